/**
 * `@caddm/tf`: the shared TensorFlow.js instance and backend selection.
 *
 * ```ts
 * import { tf, initBackend } from '@caddm/tf';
 * await initBackend();            // torch > node-gpu > node > wasm > cpu, or CADDM_BACKEND
 * const y = tf.tidy(() => tf.ones([2, 2]).mul(2));
 * ```
 *
 * @packageDocumentation
 */
export * from './browser.js';
export {
  BACKEND_ORDER,
  CANDIDATES,
  wasmBinaryDir,
  type BackendCandidate,
  type BackendChoice,
} from './candidates.js';
export {
  initBackend,
  backendInfo,
  resetBackendSelection,
  describe as describeBackend,
  BackendUnavailableError,
  type BackendAttempt,
  type BackendInfo,
  type InitBackendOptions,
} from './select.js';
