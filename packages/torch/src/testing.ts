import * as tf from '@tensorflow/tfjs';
import { setupTorchBackend, type TorchSetup } from './setup.js';

/**
 * For test suites: sets the torch backend up, or says why it cannot be.
 * Returns the setup, or the reason (one line) when the addon is unavailable.
 */
export function tryTorch(): { setup?: TorchSetup; reason?: string } {
  try {
    return { setup: setupTorchBackend() };
  } catch (e) {
    return { reason: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

/** Runs `fn` on the named backend, restoring the previous one afterwards. */
export async function onBackend<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const before = tf.getBackend();
  await tf.setBackend(name);
  try {
    return await fn();
  } finally {
    if (before) await tf.setBackend(before);
  }
}
