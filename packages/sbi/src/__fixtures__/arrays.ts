/**
 * Test helpers for large typed arrays (vitest's deep equality is slow on them and its diff
 * is unreadable): `firstMismatch` describes the first differing element or length.
 */

/** `null` when `a` and `b` are equal element-wise, else a description of the first difference. */
export function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `lengths differ: ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return `element ${i}: ${a[i]} vs ${b[i]}`;
  }
  return null;
}

/** Element-wise equality. */
export function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return firstMismatch(a, b) === null;
}
