/** Thrown when a training kernel receives input it cannot handle. */
export class WasmKernelInputError extends Error {
  constructor(
    /** The tfjs kernel name, e.g. `Conv2DBackpropFilter`. */
    readonly kernel: string,
    message: string,
  ) {
    super(`${kernel} (wasm): ${message}`);
    this.name = 'WasmKernelInputError';
  }
}

/** Thrown when a kernel this package builds on is not registered on the wasm backend. */
export class WasmKernelMissingError extends Error {
  constructor(
    /** The missing kernel's name. */
    readonly kernel: string,
  ) {
    super(
      `the wasm backend has no '${kernel}' kernel; is @tensorflow/tfjs-backend-wasm 4.22 imported (it registers the kernels)?`,
    );
    this.name = 'WasmKernelMissingError';
  }
}
