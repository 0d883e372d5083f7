import { formatTick, type LinearScale } from './scale.js';
import { n2, text } from './svg.js';

/** The plotting rectangle. @internal */
export interface PlotRect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Options of {@link drawAxes}. @internal */
export interface AxesSpec {
  readonly rect: PlotRect;
  readonly x?: { readonly scale: LinearScale; readonly ticks: readonly number[]; readonly label?: string; readonly format?: (v: number) => string };
  readonly y?: { readonly scale: LinearScale; readonly ticks: readonly number[]; readonly label?: string; readonly format?: (v: number) => string };
  /** Light grid lines at the ticks; default true. */
  readonly grid?: boolean;
}

/** Frame, grid, ticks, tick labels and axis labels. @internal */
export function drawAxes(spec: AxesSpec): string[] {
  const { rect } = spec;
  const right = rect.left + rect.width;
  const bottom = rect.top + rect.height;
  const out: string[] = [];
  const grid = spec.grid ?? true;
  if (spec.x) {
    const { scale, ticks } = spec.x;
    const fmt = spec.x.format ?? ((v: number) => formatTick(v, ticks));
    for (const t of ticks) {
      const px = scale(t);
      if (grid) out.push(`<line x1="${n2(px)}" y1="${n2(rect.top)}" x2="${n2(px)}" y2="${n2(bottom)}" stroke="#e6e6e6"/>`);
      out.push(`<line x1="${n2(px)}" y1="${n2(bottom)}" x2="${n2(px)}" y2="${n2(bottom + 5)}" stroke="#333333"/>`);
      out.push(text(px, bottom + 18, fmt(t), { size: 11, anchor: 'middle', fill: '#333333' }));
    }
    if (spec.x.label) out.push(text(rect.left + rect.width / 2, bottom + 38, spec.x.label, { size: 13, anchor: 'middle' }));
  }
  if (spec.y) {
    const { scale, ticks } = spec.y;
    const fmt = spec.y.format ?? ((v: number) => formatTick(v, ticks));
    for (const t of ticks) {
      const py = scale(t);
      if (grid) out.push(`<line x1="${n2(rect.left)}" y1="${n2(py)}" x2="${n2(right)}" y2="${n2(py)}" stroke="#e6e6e6"/>`);
      out.push(`<line x1="${n2(rect.left - 5)}" y1="${n2(py)}" x2="${n2(rect.left)}" y2="${n2(py)}" stroke="#333333"/>`);
      out.push(text(rect.left - 8, py, fmt(t), { size: 11, anchor: 'end', baseline: 'middle', fill: '#333333' }));
    }
    if (spec.y.label) {
      out.push(text(rect.left - 48, rect.top + rect.height / 2, spec.y.label, { size: 13, anchor: 'middle', rotate: -90 }));
    }
  }
  out.push(
    `<rect x="${n2(rect.left)}" y="${n2(rect.top)}" width="${n2(rect.width)}" height="${n2(rect.height)}" fill="none" stroke="#333333"/>`,
  );
  return out;
}
