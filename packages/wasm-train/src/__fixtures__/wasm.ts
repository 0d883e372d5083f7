/**
 * Test helpers: the wasm backend with this package's kernels, seeded random
 * data, and cross-backend comparison. Not part of the build.
 */
import * as tf from '@tensorflow/tfjs';
import { setupWasmBackend } from '../index.js';

export { tf };

/**
 * Sets up (once per test file) and selects the wasm backend. Single-threaded
 * by default, which starts faster (no pool of 8 workers); training.test.ts
 * and threads.test.ts cover the threaded build.
 */
export async function useWasm(threads = 1): Promise<void> {
  setupWasmBackend({ threads });
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
}

/** A seeded uniform generator in [-1, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2147483648 - 1;
  };
}

/** `n` seeded values in [-1, 1). */
export function randomValues(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, r);
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Largest |a - b| / (1 + |a|) over two equally long arrays (throws on a length mismatch or NaN). */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / (1 + Math.abs(a[i]));
    if (Number.isNaN(e)) throw new Error(`NaN at ${i}: ${a[i]} vs ${b[i]}`);
    if (e > m) m = e;
  }
  return m;
}

/** Runs `fn` on backend `name` and returns its tensors' values (disposing them). */
export async function valuesOn(name: string, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed`);
  const before = tf.memory().numTensors;
  const out = tf.tidy(fn);
  const values = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`${name}: ${after - before} tensor(s) leaked`);
  return values;
}

/** Data ids alive on the wasm backend (catches temporaries a kernel forgot to free). */
export function wasmDataIds(): number {
  return (tf.engine().registry as Record<string, tf.KernelBackend>).wasm.numDataIds();
}
