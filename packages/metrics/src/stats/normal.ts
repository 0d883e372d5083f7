import { MetricsInputError } from '../errors.js';

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * Complementary error function for `x >= 0`, to about 1e-14 relative up to
 * x = 4 and 1e-13 relative in the far tail (where `exp(-x^2)` carries the
 * rounding of `x^2`), measured against CPython's `math.erfc`.
 *
 * Below 1.5: `1 - erf(x)` with the all-positive series
 * `erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1*3*...*(2n+1))`
 * (no cancellation inside the sum; `erfc(1.5)` is 0.034, so the
 * subtraction costs under two digits). From 1.5 on: Laplace's continued
 * fraction `erfc(x) = e^{-x^2} / sqrt(pi) / (x + (1/2)/(x + (2/2)/(x + (3/2)/(x + ...))))`,
 * evaluated by the modified Lentz method (under 100 terms at x = 1.5).
 */
function erfcNonNegative(x: number): number {
  if (x < 1.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term <= sum * 1e-17) break;
    }
    return 1 - ((2 / SQRT_PI) * Math.exp(-x2) * sum);
  }
  if (x > 27.3) return 0; // erfc(27.3) < 2^-1074: underflows.
  const tiny = 1e-300;
  let f = x;
  let c = f;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** Upper tail `1 - Phi(z)` of the standard normal, accurate in relative terms for large `z`. @internal */
export function normalSf(z: number): number {
  const x = z * Math.SQRT1_2;
  return x >= 0 ? 0.5 * erfcNonNegative(x) : 1 - 0.5 * erfcNonNegative(-x);
}

/**
 * Standard normal cumulative distribution function `Phi(z) = P(Z <= z)`,
 * computed as `erfc(-z / sqrt(2)) / 2` with an erfc accurate to about 1e-14
 * relative (2e-13 far in the lower tail), so lower-tail probabilities such as
 * `normalCdf(-30)` keep their relative precision.
 *
 * `normalCdf(-Infinity)` is 0 and `normalCdf(Infinity)` is 1.
 *
 * @throws {@link MetricsInputError} (`non-finite`) when `z` is NaN or not a number.
 */
export function normalCdf(z: number): number {
  if (typeof z !== 'number' || Number.isNaN(z)) {
    throw new MetricsInputError('non-finite', `normalCdf: z is ${String(z)}; a number is needed`);
  }
  return normalSf(-z);
}

// Acklam's rational approximation of the normal quantile (relative error
// below 1.15e-9), refined below by one Halley step.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW || p > 1 - P_LOW) {
    // Tails: a rational function of sqrt(-2 log(tail probability)).
    const lower = p < P_LOW;
    const q = Math.sqrt(-2 * Math.log(lower ? p : 1 - p));
    const x =
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    return lower ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/**
 * Standard normal quantile (inverse of {@link normalCdf}): the `z` with
 * `Phi(z) = p`. Acklam's rational approximation followed by one Halley step
 * on {@link normalCdf}, accurate to about 1e-14 relative for `p` in
 * `[1e-300, 1 - 1e-16]` (against CPython's `statistics.NormalDist.inv_cdf`). The residual of the step is taken from the tail
 * nearer to `p` (`(1 - p) - (1 - Phi(z))` above 0.5, where `1 - p` is exact),
 * so upper quantiles do not lose digits to `Phi(z) - p`.
 *
 * `normalQuantile(0)` is `-Infinity` and `normalQuantile(1)` is `Infinity`.
 *
 * @throws {@link MetricsInputError} (`bad-option`) when `p` is NaN or outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new MetricsInputError('bad-option', `normalQuantile: p is ${String(p)}; it must lie in [0, 1]`);
  }
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const x = acklam(p);
  // Halley: x <- x - u / (1 + x u / 2), u = (Phi(x) - p) / phi(x).
  const e = p > 0.5 ? 1 - p - normalSf(x) : normalSf(-x) - p;
  const u = e * SQRT_2PI * Math.exp((x * x) / 2);
  return Number.isFinite(u) ? x - u / (1 + (x * u) / 2) : x;
}

/**
 * The two-sided critical value `z` of a confidence level, e.g. 1.959964 for
 * 0.95, after checking that the level lies strictly between 0 and 1.
 * @internal
 */
export function criticalValue(level: number, what: string): number {
  if (typeof level !== 'number' || !(level > 0 && level < 1)) {
    throw new MetricsInputError('bad-option', `${what}: level is ${String(level)}; it must lie strictly between 0 and 1`);
  }
  return normalQuantile(0.5 + level / 2);
}

/** Two-sided p-value of a standard normal statistic: `2 (1 - Phi(|z|))`; 1 for z = 0, 0 for infinite z. @internal */
export function twoSidedP(z: number): number {
  return Math.min(1, 2 * normalSf(Math.abs(z)));
}
