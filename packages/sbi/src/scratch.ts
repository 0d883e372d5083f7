/**
 * Reusable typed-array buffers, so a stream of same-size samples allocates (and garbage
 * collects) nothing per sample. Not shared across concurrent users: `selfBlend` is
 * synchronous and takes its buffers from one module-level pool.
 */
export class Scratch {
  private readonly f32s = new Map<string, Float32Array<ArrayBuffer>>();
  private readonly u8s = new Map<string, Uint8Array<ArrayBuffer>>();

  /**
   * A `Float32Array` view of `n` entries for `name` (contents undefined unless `zero`).
   * @param name - buffer name; the same name returns the same memory
   * @param n - length
   * @param zero - clear it first
   */
  f32(name: string, n: number, zero = false): Float32Array<ArrayBuffer> {
    let b = this.f32s.get(name);
    if (!b || b.length < n) {
      b = new Float32Array(n);
      this.f32s.set(name, b);
      return b;
    }
    const v = b.subarray(0, n);
    if (zero) v.fill(0);
    return v;
  }

  /** A `Uint8Array` view of `n` entries for `name`, like {@link Scratch.f32}. */
  u8(name: string, n: number, zero = false): Uint8Array<ArrayBuffer> {
    let b = this.u8s.get(name);
    if (!b || b.length < n) {
      b = new Uint8Array(n);
      this.u8s.set(name, b);
      return b;
    }
    const v = b.subarray(0, n);
    if (zero) v.fill(0);
    return v;
  }
}
