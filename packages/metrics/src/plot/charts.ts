import { MetricsInputError } from '../errors.js';
import { drawAxes, type PlotRect } from './axes.js';
import { drawLegend, legendSize, type LegendItem } from './legend.js';
import { marker, markerFor, type MarkerShape } from './markers.js';
import { linearScale, niceDomain, niceTicks } from './scale.js';
import { n2, PALETTE, svgDocument, text, textWidth } from './svg.js';

/** Where a legend goes: outside on the right, inside a corner, or nowhere. */
export type LegendPlacement = 'right' | 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right' | 'none';

/** What every chart has. */
export interface ChartBase {
  /** Title above the plot. */
  readonly title?: string;
  /** Width in px; default 640. */
  readonly width?: number;
  /** Height in px; default 440. */
  readonly height?: number;
  /** X-axis label. */
  readonly xLabel?: string;
  /** Y-axis label. */
  readonly yLabel?: string;
  /** Legend placement; default `'right'`. */
  readonly legend?: LegendPlacement;
}

/** One line of a {@link lineChart}. */
export interface LineSeries {
  /** Legend label. */
  readonly name: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** CSS colour; default from the Tableau-10 palette by series index. */
  readonly color?: string;
  /** Dashed stroke. */
  readonly dashed?: boolean;
  /** Draw a marker at every point (`true` = circle). */
  readonly markers?: boolean | MarkerShape;
}

/** A line chart (ROC curves, accuracy curves, any y(x) series). */
export interface LineChartSpec extends ChartBase {
  readonly series: readonly LineSeries[];
  /** X range; default the data's, widened to nice ticks. */
  readonly xDomain?: readonly [number, number];
  /** Y range; default the data's, widened to nice ticks. */
  readonly yDomain?: readonly [number, number];
  /** Draw the dashed y = x chance line (for ROC curves). */
  readonly diagonal?: boolean;
}

/** A scatter plot with marker shapes for one grouping and colours for another. */
export interface ScatterChartSpec extends ChartBase {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Group of each point drawn as marker shape (e.g. identity); 20 distinct markers. */
  readonly shapeBy?: ArrayLike<string | number>;
  /** Legend header of the shapes; default `'group'`. */
  readonly shapeTitle?: string;
  /** Category of each point drawn as colour (e.g. real/fake). */
  readonly colorBy?: ArrayLike<string | number>;
  /** Legend header of the colours; default `'class'`. */
  readonly colorTitle?: string;
  /** Colour per category; `real`/`fake` default to blue/red, others to the palette. */
  readonly colors?: Readonly<Record<string, string>>;
  /** Draw ticks and grid; default true (t-SNE plots usually hide them). */
  readonly axes?: boolean;
  /** Same px per unit on both axes; default false. */
  readonly equalAspect?: boolean;
  /** Marker radius in px; default 5. */
  readonly pointRadius?: number;
}

/** A grouped bar chart (experiment tables). */
export interface BarChartSpec extends ChartBase {
  /** One group of bars per category, along x. */
  readonly categories: readonly string[];
  /** One bar per category per series. */
  readonly series: readonly { readonly name: string; readonly values: ArrayLike<number>; readonly color?: string }[];
  /** Y range; default from 0 (or the data's minimum if negative) to the maximum, nice. */
  readonly yDomain?: readonly [number, number];
  /** Print each value above its bar (`true`: 3 significant digits, or a formatter). */
  readonly valueLabels?: boolean | ((v: number) => string);
  /** A dashed horizontal reference line, e.g. AUC 0.5. */
  readonly referenceLine?: { readonly y: number; readonly label?: string };
}

const DEFAULT_COLORS: Readonly<Record<string, string>> = { real: '#1f77b4', fake: '#d62728' };

function fail(problem: 'bad-shape' | 'non-finite' | 'empty' | 'bad-option', msg: string): never {
  throw new MetricsInputError(problem, msg);
}

function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'number' || !Number.isFinite(values[i])) fail('non-finite', `${what}[${i}] is ${values[i]}`);
  }
}

function checkSize(w: number, h: number, what: string): void {
  if (!(Number.isFinite(w) && Number.isFinite(h) && w >= 200 && h >= 150)) {
    fail('bad-option', `${what}: width and height must be at least 200 x 150 px, got ${w} x ${h}`);
  }
}

function checkDomain(d: readonly [number, number] | undefined, what: string): void {
  if (d && !(Number.isFinite(d[0]) && Number.isFinite(d[1]) && d[1] > d[0])) {
    fail('bad-option', `${what} must be two finite numbers [min, max] with min < max, got [${d.join(', ')}]`);
  }
}

interface Layout {
  readonly width: number;
  readonly height: number;
  readonly rect: PlotRect;
  readonly legendAt?: { x: number; y: number };
}

function layout(base: ChartBase, legend: readonly LegendItem[], bottomExtra = 0, axes = true): Layout {
  const width = base.width ?? 640;
  const height = base.height ?? 440;
  const place = legend.length ? (base.legend ?? 'right') : 'none';
  const lsize = legendSize(legend);
  const top = base.title ? 42 : 16;
  const left = axes ? (base.yLabel ? 72 : 52) : 16;
  const bottom = (axes ? (base.xLabel ? 56 : 34) : 16) + bottomExtra;
  const right = place === 'right' ? lsize.width + 28 : 26;
  const rect: PlotRect = { left, top, width: width - left - right, height: height - top - bottom };
  if (rect.width < 60 || rect.height < 60) fail('bad-option', `chart of ${width} x ${height} px leaves no room to plot (legend ${lsize.width} px wide)`);
  let legendAt: { x: number; y: number } | undefined;
  const pad = 10;
  if (place === 'right') legendAt = { x: left + rect.width + 14, y: top };
  else if (place === 'top-left') legendAt = { x: left + pad, y: top + pad };
  else if (place === 'top-right') legendAt = { x: left + rect.width - lsize.width - pad, y: top + pad };
  else if (place === 'bottom-left') legendAt = { x: left + pad, y: top + rect.height - lsize.height - pad };
  else if (place === 'bottom-right') legendAt = { x: left + rect.width - lsize.width - pad, y: top + rect.height - lsize.height - pad };
  return { width, height, rect, legendAt };
}

function titleOf(base: ChartBase, width: number): string[] {
  return base.title ? [text(width / 2, 26, base.title, { size: 16, anchor: 'middle', weight: 'bold' })] : [];
}

function clip(rect: PlotRect): string {
  return `<defs><clipPath id="plot-area"><rect x="${n2(rect.left)}" y="${n2(rect.top)}" width="${n2(rect.width)}" height="${n2(rect.height)}"/></clipPath></defs>`;
}

function extent(arrays: readonly ArrayLike<number>[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays)
    for (let i = 0; i < a.length; i++) {
      if (a[i] < lo) lo = a[i];
      if (a[i] > hi) hi = a[i];
    }
  return [lo, hi];
}

/**
 * A line chart as an SVG string.
 *
 * @throws {@link MetricsInputError} on no series, x/y length mismatches,
 * non-finite values, bad domains or a size too small to plot in.
 */
export function lineChart(spec: LineChartSpec): string {
  if (spec.series.length === 0) fail('empty', 'lineChart: no series');
  spec.series.forEach((s, k) => {
    if (s.x.length !== s.y.length) fail('bad-shape', `lineChart: series ${k} ('${s.name}') has ${s.x.length} x but ${s.y.length} y values`);
    if (s.x.length === 0) fail('empty', `lineChart: series ${k} ('${s.name}') is empty`);
    checkFinite(s.x, `lineChart: series ${k} x`);
    checkFinite(s.y, `lineChart: series ${k} y`);
  });
  checkDomain(spec.xDomain, 'lineChart: xDomain');
  checkDomain(spec.yDomain, 'lineChart: yDomain');
  const w = spec.width ?? 640;
  const h = spec.height ?? 440;
  checkSize(w, h, 'lineChart');
  const colorOf = (k: number): string => spec.series[k].color ?? PALETTE[k % PALETTE.length];
  const legend: LegendItem[] = spec.series.map((s, k) =>
    s.markers
      ? { kind: 'marker', label: s.name, color: colorOf(k), shape: s.markers === true ? 'circle' : s.markers }
      : { kind: 'line', label: s.name, color: colorOf(k), dashed: s.dashed },
  );
  const L = layout(spec, spec.legend === 'none' ? [] : legend);
  const [x0, x1] = spec.xDomain ?? niceDomain(...extent(spec.series.map((s) => s.x)));
  const [y0, y1] = spec.yDomain ?? niceDomain(...extent(spec.series.map((s) => s.y)));
  const xs = linearScale([x0, x1], [L.rect.left, L.rect.left + L.rect.width]);
  const ys = linearScale([y0, y1], [L.rect.top + L.rect.height, L.rect.top]);
  const body: string[] = [clip(L.rect), ...titleOf(spec, L.width)];
  body.push(
    ...drawAxes({
      rect: L.rect,
      x: { scale: xs, ticks: niceTicks(x0, x1, Math.max(2, Math.round(L.rect.width / 90))), label: spec.xLabel },
      y: { scale: ys, ticks: niceTicks(y0, y1, Math.max(2, Math.round(L.rect.height / 60))), label: spec.yLabel },
    }),
  );
  body.push('<g clip-path="url(#plot-area)">');
  if (spec.diagonal) {
    const a = Math.max(x0, y0);
    const b = Math.min(x1, y1);
    body.push(`<line x1="${n2(xs(a))}" y1="${n2(ys(a))}" x2="${n2(xs(b))}" y2="${n2(ys(b))}" stroke="#999999" stroke-dasharray="4 4"/>`);
  }
  spec.series.forEach((s, k) => {
    const pts: string[] = [];
    for (let i = 0; i < s.x.length; i++) pts.push(`${n2(xs(s.x[i]))},${n2(ys(s.y[i]))}`);
    body.push(
      `<polyline points="${pts.join(' ')}" fill="none" stroke="${colorOf(k)}" stroke-width="2.2" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="7 4"' : ''}/>`,
    );
    if (s.markers) {
      const shape = s.markers === true ? 'circle' : s.markers;
      for (let i = 0; i < s.x.length; i++) body.push(marker(shape, xs(s.x[i]), ys(s.y[i]), 3.5, colorOf(k)));
    }
  });
  body.push('</g>');
  if (L.legendAt) body.push(...drawLegend(legend, L.legendAt.x, L.legendAt.y));
  return svgDocument(L.width, L.height, body, spec.title);
}

function sortedGroups(values: ArrayLike<string | number>): (string | number)[] {
  const seen = new Set<string | number>();
  for (let i = 0; i < values.length; i++) seen.add(values[i]);
  // Natural order, except that 'real' comes before 'fake'.
  const rank = (v: string | number): number => ({ real: 0, fake: 1 })[String(v).toLowerCase()] ?? 2;
  return [...seen].sort((a, b) => rank(a) - rank(b) || String(a).localeCompare(String(b), 'en', { numeric: true }));
}

/**
 * A scatter plot as an SVG string (t-SNE maps: identity as marker shape,
 * real/fake as colour).
 *
 * @throws {@link MetricsInputError} on length mismatches, non-finite
 * coordinates, no points or a size too small to plot in.
 */
export function scatterChart(spec: ScatterChartSpec): string {
  const n = spec.x.length;
  if (n === 0) fail('empty', 'scatterChart: no points');
  if (spec.y.length !== n) fail('bad-shape', `scatterChart: ${n} x but ${spec.y.length} y values`);
  if (spec.shapeBy && spec.shapeBy.length !== n) fail('bad-shape', `scatterChart: ${n} points but ${spec.shapeBy.length} shapeBy values`);
  if (spec.colorBy && spec.colorBy.length !== n) fail('bad-shape', `scatterChart: ${n} points but ${spec.colorBy.length} colorBy values`);
  checkFinite(spec.x, 'scatterChart: x');
  checkFinite(spec.y, 'scatterChart: y');
  const w = spec.width ?? 640;
  const h = spec.height ?? 480;
  checkSize(w, h, 'scatterChart');
  const axes = spec.axes ?? true;
  const r = spec.pointRadius ?? 5;

  const shapeGroups = spec.shapeBy ? sortedGroups(spec.shapeBy) : [];
  const shapeIndex = new Map(shapeGroups.map((g, k) => [g, k]));
  const colorGroups = spec.colorBy ? sortedGroups(spec.colorBy) : [];
  const palette = PALETTE.filter((c) => c !== DEFAULT_COLORS.real && c !== DEFAULT_COLORS.fake);
  let next = 0;
  const colorMap = new Map<string | number, string>();
  for (const g of colorGroups) {
    const key = String(g);
    colorMap.set(g, spec.colors?.[key] ?? DEFAULT_COLORS[key.toLowerCase()] ?? palette[next++ % palette.length]);
  }
  const legend: LegendItem[] = [];
  if (colorGroups.length) {
    legend.push({ kind: 'header', label: spec.colorTitle ?? 'class' });
    for (const g of colorGroups) legend.push({ kind: 'marker', label: String(g), color: colorMap.get(g) as string, shape: 'circle' });
  }
  if (shapeGroups.length) {
    legend.push({ kind: 'header', label: spec.shapeTitle ?? 'group' });
    shapeGroups.forEach((g, k) => legend.push({ kind: 'marker', label: String(g), color: '#555555', ...markerFor(k) }));
  }
  const base: ChartBase = { ...spec, width: w, height: h };
  const L = layout(base, spec.legend === 'none' ? [] : legend, 0, axes);
  let [x0, x1] = niceDomain(...extent([spec.x]));
  let [y0, y1] = niceDomain(...extent([spec.y]));
  if (!axes) {
    // Without ticks a 5% margin is enough.
    [x0, x1] = padded(extent([spec.x]));
    [y0, y1] = padded(extent([spec.y]));
  }
  if (spec.equalAspect) {
    const kx = L.rect.width / (x1 - x0);
    const ky = L.rect.height / (y1 - y0);
    if (kx > ky) {
      const extra = (L.rect.width / ky - (x1 - x0)) / 2;
      x0 -= extra;
      x1 += extra;
    } else {
      const extra = (L.rect.height / kx - (y1 - y0)) / 2;
      y0 -= extra;
      y1 += extra;
    }
  }
  const xs = linearScale([x0, x1], [L.rect.left, L.rect.left + L.rect.width]);
  const ys = linearScale([y0, y1], [L.rect.top + L.rect.height, L.rect.top]);
  const body: string[] = [clip(L.rect), ...titleOf(base, L.width)];
  if (axes) {
    body.push(
      ...drawAxes({
        rect: L.rect,
        x: { scale: xs, ticks: niceTicks(x0, x1, Math.max(2, Math.round(L.rect.width / 90))), label: spec.xLabel },
        y: { scale: ys, ticks: niceTicks(y0, y1, Math.max(2, Math.round(L.rect.height / 60))), label: spec.yLabel },
      }),
    );
  } else {
    body.push(`<rect x="${n2(L.rect.left)}" y="${n2(L.rect.top)}" width="${n2(L.rect.width)}" height="${n2(L.rect.height)}" fill="none" stroke="#999999"/>`);
  }
  body.push('<g clip-path="url(#plot-area)">');
  for (let i = 0; i < n; i++) {
    const color = spec.colorBy ? (colorMap.get(spec.colorBy[i]) as string) : PALETTE[0];
    const m = spec.shapeBy ? markerFor(shapeIndex.get(spec.shapeBy[i]) as number) : { shape: 'circle' as const, hollow: false };
    body.push(marker(m.shape, xs(spec.x[i]), ys(spec.y[i]), r, color, m.hollow));
  }
  body.push('</g>');
  if (L.legendAt) body.push(...drawLegend(legend, L.legendAt.x, L.legendAt.y));
  return svgDocument(L.width, L.height, body, spec.title);
}

function padded([lo, hi]: [number, number]): [number, number] {
  const pad = hi > lo ? (hi - lo) * 0.05 : 1;
  return [lo - pad, hi + pad];
}

/**
 * A grouped bar chart as an SVG string.
 *
 * @throws {@link MetricsInputError} on no categories or series, value
 * counts that differ from the categories, non-finite values, a bad domain
 * or a size too small to plot in.
 */
export function barChart(spec: BarChartSpec): string {
  const nc = spec.categories.length;
  if (nc === 0) fail('empty', 'barChart: no categories');
  if (spec.series.length === 0) fail('empty', 'barChart: no series');
  spec.series.forEach((s, k) => {
    if (s.values.length !== nc) fail('bad-shape', `barChart: series ${k} ('${s.name}') has ${s.values.length} values for ${nc} categories`);
    checkFinite(s.values, `barChart: series ${k} values`);
  });
  checkDomain(spec.yDomain, 'barChart: yDomain');
  if (spec.referenceLine && !Number.isFinite(spec.referenceLine.y)) fail('non-finite', `barChart: referenceLine.y is ${spec.referenceLine.y}`);
  const w = spec.width ?? 640;
  const h = spec.height ?? 440;
  checkSize(w, h, 'barChart');
  const colorOf = (k: number): string => spec.series[k].color ?? PALETTE[k % PALETTE.length];
  const legend: LegendItem[] = spec.series.length > 1 ? spec.series.map((s, k) => ({ kind: 'swatch', label: s.name, color: colorOf(k) })) : [];
  // Rotate category labels when they would not fit under their group.
  const approxBand = (w - 160) / nc;
  const longest = Math.max(...spec.categories.map((c) => textWidth(c, 11)));
  const rotate = longest > approxBand * 0.95;
  const extra = rotate ? Math.min(120, Math.max(0, longest * 0.58 - 12)) : 0;
  const L = layout(spec, spec.legend === 'none' ? [] : legend, extra);
  let lo = 0;
  let hi = 0;
  for (const s of spec.series)
    for (let i = 0; i < nc; i++) {
      lo = Math.min(lo, s.values[i]);
      hi = Math.max(hi, s.values[i]);
    }
  if (spec.referenceLine) {
    lo = Math.min(lo, spec.referenceLine.y);
    hi = Math.max(hi, spec.referenceLine.y);
  }
  const [y0, y1] = spec.yDomain ?? niceDomain(lo, hi);
  const ys = linearScale([y0, y1], [L.rect.top + L.rect.height, L.rect.top]);
  const band = L.rect.width / nc;
  const inner = band * 0.8;
  const barW = inner / spec.series.length;
  const body: string[] = [clip(L.rect), ...titleOf(spec, L.width)];
  const yTicks = niceTicks(y0, y1, Math.max(2, Math.round(L.rect.height / 60)));
  body.push(...drawAxes({ rect: L.rect, y: { scale: ys, ticks: yTicks, label: spec.yLabel } }));
  const bottom = L.rect.top + L.rect.height;
  spec.categories.forEach((c, i) => {
    const cx = L.rect.left + band * (i + 0.5);
    body.push(`<line x1="${n2(cx)}" y1="${n2(bottom)}" x2="${n2(cx)}" y2="${n2(bottom + 5)}" stroke="#333333"/>`);
    body.push(
      rotate
        ? text(cx + 4, bottom + 14, c, { size: 11, anchor: 'end', rotate: -35, fill: '#333333' })
        : text(cx, bottom + 18, c, { size: 11, anchor: 'middle', fill: '#333333' }),
    );
  });
  if (spec.xLabel) body.push(text(L.rect.left + L.rect.width / 2, bottom + 38 + extra, spec.xLabel, { size: 13, anchor: 'middle' }));
  const base = Math.min(Math.max(0, y0), y1);
  const fmt = typeof spec.valueLabels === 'function' ? spec.valueLabels : (v: number) => String(Number(v.toPrecision(3)));
  body.push('<g clip-path="url(#plot-area)">');
  spec.series.forEach((s, k) => {
    for (let i = 0; i < nc; i++) {
      const v = s.values[i];
      const x = L.rect.left + band * i + (band - inner) / 2 + barW * k;
      const ya = ys(Math.max(v, base));
      const yb = ys(Math.min(v, base));
      body.push(`<rect x="${n2(x + 1)}" y="${n2(ya)}" width="${n2(Math.max(1, barW - 2))}" height="${n2(Math.max(0, yb - ya))}" fill="${colorOf(k)}"/>`);
    }
  });
  if (spec.referenceLine) {
    const y = ys(spec.referenceLine.y);
    body.push(`<line x1="${n2(L.rect.left)}" y1="${n2(y)}" x2="${n2(L.rect.left + L.rect.width)}" y2="${n2(y)}" stroke="#444444" stroke-dasharray="6 4"/>`);
  }
  body.push('</g>');
  if (spec.valueLabels) {
    spec.series.forEach((s, k) => {
      for (let i = 0; i < nc; i++) {
        const v = s.values[i];
        const x = L.rect.left + band * i + (band - inner) / 2 + barW * (k + 0.5);
        const y = v >= base ? ys(v) - 4 : ys(v) + 13;
        body.push(text(x, y, fmt(v), { size: 10, anchor: 'middle', fill: '#222222', halo: true }));
      }
    });
  }
  if (spec.referenceLine?.label) {
    body.push(text(L.rect.left + L.rect.width - 4, ys(spec.referenceLine.y) - 5, spec.referenceLine.label, { size: 11, anchor: 'end', fill: '#444444', halo: true }));
  }
  if (L.legendAt) body.push(...drawLegend(legend, L.legendAt.x, L.legendAt.y));
  return svgDocument(L.width, L.height, body, spec.title);
}
