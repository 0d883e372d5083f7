/**
 * Round tick positions covering `[min, max]`: steps of 1, 2, 2.5 or 5 times
 * a power of ten, about `count` of them, all inside the interval.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(Number.isFinite(min) && Number.isFinite(max))) return [];
  if (min === max) return [min];
  if (min > max) [min, max] = [max, min];
  const step = niceStep((max - min) / Math.max(1, count));
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(roundTo(k * step, step));
  return ticks;
}

/** The nice step (1, 2, 2.5, 5 x 10^k) nearest above `raw`. @internal */
export function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return m * p;
}

function roundTo(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(v.toFixed(Math.min(20, decimals)));
}

/**
 * Widens `[min, max]` outward to nice step boundaries (for axis domains);
 * a zero-width interval becomes one unit wide.
 */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return [min - pad, max + pad];
  }
  const step = niceStep((max - min) / Math.max(1, count));
  return [roundTo(Math.floor(min / step + 1e-9) * step, step), roundTo(Math.ceil(max / step - 1e-9) * step, step)];
}

/** Formats a tick value with as many decimals as the tick step needs. */
export function formatTick(v: number, ticks: readonly number[]): string {
  let step = Infinity;
  for (let i = 1; i < ticks.length; i++) step = Math.min(step, Math.abs(ticks[i] - ticks[i - 1]));
  if (!Number.isFinite(step) || step === 0) return String(Number(v.toPrecision(6)));
  if (step >= 1e5 || step < 1e-4) return v.toExponential(1);
  // The fewest decimals that write the step exactly (0.25 -> 2, 0.2 -> 1, 20 -> 0).
  let d = 0;
  while (d < 10 && Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) > 1e-6) d++;
  const out = v.toFixed(d);
  return /^-0(\.0*)?$/.test(out) ? out.slice(1) : out;
}

/** A linear map from a data interval to a pixel interval. */
export interface LinearScale {
  (v: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
}

/** Linear map of `domain` onto `range` (either may be reversed). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as LinearScale;
  Object.defineProperty(f, 'domain', { value: [d0, d1] });
  Object.defineProperty(f, 'range', { value: [r0, r1] });
  return f;
}
