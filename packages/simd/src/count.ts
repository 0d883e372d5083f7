import { kernels, reserveLayout } from './module.js';

/**
 * How many positions of two equally long uint8 arrays differ by more than `tol`
 * (an integer in 0..254), on a u8x16 kernel (16 values per step). Undefined when the
 * kernels are unavailable (then count with a scalar loop).
 * @throws RangeError when the lengths differ or `tol` is out of range
 */
export function countChangedU8(a: Uint8Array, b: Uint8Array, tol: number): number | undefined {
  if (a.length !== b.length) throw new RangeError(`countChangedU8: lengths ${a.length} and ${b.length} differ`);
  if (!Number.isInteger(tol) || tol < 0 || tol > 254) throw new RangeError(`countChangedU8: tol must be an integer in 0..254, got ${tol}`);
  const k = kernels();
  if (k == null) return undefined;
  const n = a.length;
  const [A, B] = reserveLayout(k, [n, n]);
  const u8 = new Uint8Array(k.memory.buffer);
  u8.set(a, A);
  u8.set(b, B);
  return k.countChangedU8(A, B, n, tol);
}
