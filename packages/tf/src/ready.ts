import { tf } from './tf.js';

/** A tfjs model was built before any backend was initialised. */
export class BackendNotReadyError extends Error {
  override readonly name = 'BackendNotReadyError';
}

/**
 * Throws {@link BackendNotReadyError} naming `what` and `initBackend()` when
 * no tfjs backend has been initialised yet (neither by `initBackend` nor
 * by a caller's own `tf.setBackend`), instead of tfjs's "backend 'wasm' has not
 * yet been initialized" from deep inside a layer. Model builders call it first.
 */
export function requireBackend(what: string): void {
  if ((tf.engine() as unknown as { backendName?: string | null }).backendName) return;
  throw new BackendNotReadyError(`${what} needs a tfjs backend: call 'await initBackend()' (from @caddm/tf) first (it picks torch, node-gpu, node or wasm), or in a browser 'await tf.setBackend(...)'`);
}
