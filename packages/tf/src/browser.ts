/**
 * `@caddm/tf` for browsers (the `browser` export condition): the shared tfjs
 * instance and its helpers, without the Node backend selector (`initBackend`),
 * which loads libtorch, tfjs-node or wasm binaries from disk. In a page, pick a
 * backend with `tf.setBackend('webgpu' | 'webgl' | 'wasm')`.
 *
 * @packageDocumentation
 */
export { tf } from './tf.js';
export { BackendNotReadyError, requireBackend } from './ready.js';
export { smokeTest } from './smoke.js';
export { expectNoLeaks, countTensors } from './leaks.js';
