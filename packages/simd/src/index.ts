/**
 * Hand-vectorised WebAssembly SIMD kernels for the image hot paths, compiled from
 * AssemblyScript (`assembly/kernels.ts`) into the committed `wasm/kernels.wasm`.
 * Every kernel has a scalar twin in the package that uses it; a kernel call returns
 * false when the kernels are unavailable (`CADDM_SIMD=0`, or a runtime without
 * WebAssembly SIMD), and the caller runs its twin. {@link simdStatus} says which.
 *
 * @packageDocumentation
 */
export { simdStatus, KERNELS_WASM, align16, reserveScratch, type Scratch } from './module.js';
export { ssimMapU8, type RowsU8, type SsimMapU8Args } from './ssim.js';
export { multigridKernels, type MultigridKernels } from './multigrid.js';
export { countChangedU8 } from './count.js';
export { warpPerspectiveRgbU8, type WarpPerspectiveRgbU8Args } from './warp.js';
export { sepFilter5U8, type SepFilter5U8Args } from './filter.js';
