import { tf } from './tf.js';

/** Number of live tensors (`tf.memory().numTensors`). */
export function countTensors(): number {
  return tf.memory().numTensors;
}

/**
 * Runs `fn` and throws if it leaves more tensors alive than before, naming
 * how many leaked. Tensors returned by `fn` are disposed before the check
 * (a returned tensor is the caller's to free, not a leak).
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>, label = 'operation'): Promise<T> {
  const before = countTensors();
  const out = await fn();
  if (out instanceof tf.Tensor) out.dispose();
  const after = countTensors();
  if (after !== before) {
    throw new Error(`${label} leaked ${after - before} tensor(s): ${before} alive before, ${after} after`);
  }
  return out;
}
