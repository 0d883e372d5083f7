/**
 * The peak f32 arithmetic rate of WebAssembly SIMD128 on this machine: a
 * hand-encoded module whose loop runs 6 independent f32x4.mul chains and 6
 * independent f32x4.add chains (enough to hide both latencies on the two
 * multiply and two add pipes of current x86 cores), unrolled 4 times. No
 * memory traffic, so it bounds from above what any wasm convolution kernel
 * (XNNPACK's included) can reach per thread; relaxed-SIMD FMA is not
 * available to tfjs-wasm and is not used.
 */

const CHAINS = 6;
const UNROLL = 4;
/** f32 operations per loop iteration: (mul + add chains) x 4 lanes x unroll. */
export const FLOPS_PER_ITERATION = 2 * CHAINS * 4 * UNROLL;

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

const SIMD = 0xfd;
const F32X4_MUL = [SIMD, ...leb(0xe6)];
const F32X4_ADD = [SIMD, ...leb(0xe4)];
const V128_CONST = [SIMD, ...leb(0x0c)];
const F32X4_EXTRACT_LANE_0 = [SIMD, ...leb(0x1f), 0];
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;

function splat(x: number): number[] {
  const b = new Uint8Array(new Float32Array([x, x, x, x]).buffer);
  return [...V128_CONST, ...b];
}

/** The module's bytes: `peak(iterations: i32) -> f32`. */
export function peakModuleBytes(): Uint8Array {
  // Locals: 0 = iterations (param), 1..6 mul chains, 7..12 add chains, 13 = factor, 14 = addend.
  const mulLocal = (i: number) => 1 + i;
  const addLocal = (i: number) => 1 + CHAINS + i;
  const factor = 1 + 2 * CHAINS;
  const addend = factor + 1;
  const body: number[] = [];
  for (let i = 0; i < CHAINS; i++) body.push(...splat(1 + i / 8), LOCAL_SET, mulLocal(i), ...splat(i), LOCAL_SET, addLocal(i));
  // x·1 and x + 0 keep the values finite and normal over any number of iterations.
  body.push(...splat(1), LOCAL_SET, factor, ...splat(0), LOCAL_SET, addend);
  body.push(0x02, 0x40, 0x03, 0x40); // block, loop
  for (let u = 0; u < UNROLL; u++) {
    for (let i = 0; i < CHAINS; i++) body.push(LOCAL_GET, mulLocal(i), LOCAL_GET, factor, ...F32X4_MUL, LOCAL_SET, mulLocal(i));
    for (let i = 0; i < CHAINS; i++) body.push(LOCAL_GET, addLocal(i), LOCAL_GET, addend, ...F32X4_ADD, LOCAL_SET, addLocal(i));
  }
  // iterations -= 1; loop while non-zero
  body.push(LOCAL_GET, 0, 0x41, 1, 0x6b, LOCAL_TEE, 0, 0x0d, 0, 0x0b, 0x0b);
  // Return lane 0 of the sum of every chain, so that none is dead.
  body.push(LOCAL_GET, mulLocal(0));
  for (let i = 1; i < CHAINS; i++) body.push(LOCAL_GET, mulLocal(i), ...F32X4_ADD);
  for (let i = 0; i < CHAINS; i++) body.push(LOCAL_GET, addLocal(i), ...F32X4_ADD);
  body.push(...F32X4_EXTRACT_LANE_0, 0x0b);
  const locals = [1, ...leb(2 * CHAINS + 2), 0x7b];
  const func = [...locals, ...body];
  const name = [...new TextEncoder().encode('peak')];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7d]),
    ...section(3, [1, 0]),
    ...section(7, [1, name.length, ...name, 0x00, 0]),
    ...section(10, [1, ...leb(func.length), ...func]),
  ]);
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

/** Milliseconds per GFLOP at the measured peak (one thread, median of `runs` runs of about 0.2 s). */
export function simdPeakMsPerGflop(runs = 5): number {
  // The project's TypeScript libs carry no WebAssembly declarations: the two constructors used here.
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const inst = new wasm.Instance(new wasm.Module(peakModuleBytes()));
  const peak = inst.exports.peak as (n: number) => number;
  const iterations = 2_000_000;
  peak(iterations / 10);
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const v = peak(iterations);
    ms.push(performance.now() - t);
    if (!Number.isFinite(v)) throw new Error('simd peak: non-finite result');
  }
  ms.sort((a, b) => a - b);
  const gflop = (iterations * FLOPS_PER_ITERATION) / 1e9;
  return ms[runs >> 1] / gflop;
}
