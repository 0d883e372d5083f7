/**
 * The indices of `values` in ascending order of value (an index sort).
 * @internal
 */
export function ascendingOrder(values: Float64Array): Uint32Array {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => values[a] - values[b]);
}

/**
 * Midranks of `values` (1-based; tied values share the mean of their
 * ranks), by one index sort: O(n log n). Sun & Xu (2014), Algorithm 1.
 * @internal
 */
export function midranks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = ascendingOrder(values);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    // Sorted positions i..j (0-based) hold one value: ranks i+1..j+1, mean (i+j)/2 + 1.
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}
