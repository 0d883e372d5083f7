/**
 * `@caddm/wasm-train`: kernels that make `@tensorflow/tfjs-backend-wasm` able
 * to train the CADDM models (the stock backend lacks e.g.
 * `Conv2DBackpropFilter`).
 *
 * STUB: no kernel is registered yet (issue #3). Until then the backend
 * selector's smoke test rejects wasm and falls back to the `cpu` backend.
 *
 * @packageDocumentation
 */

/** Registers the training kernels on the `wasm` backend. Idempotent. */
export function registerWasmTrainingKernels(): void {
  // Stub: nothing registered yet.
}
