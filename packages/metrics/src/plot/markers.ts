import { n2 } from './svg.js';

/** Marker shapes, in the order identities get them. */
export const MARKER_SHAPES = [
  'circle',
  'square',
  'triangle',
  'diamond',
  'triangle-down',
  'cross',
  'plus',
  'star',
  'pentagon',
  'hexagon',
] as const;

/** A marker shape. */
export type MarkerShape = (typeof MARKER_SHAPES)[number];

function polygon(cx: number, cy: number, r: number, sides: number, rot: number): string {
  const pts: string[] = [];
  for (let k = 0; k < sides; k++) {
    const a = rot + (2 * Math.PI * k) / sides;
    pts.push(`${n2(cx + r * Math.cos(a))},${n2(cy + r * Math.sin(a))}`);
  }
  return pts.join(' ');
}

/**
 * One marker as an SVG element: filled with `color` (or hollow: white fill,
 * `color` outline). Crosses and pluses are strokes only.
 * @internal
 */
export function marker(shape: MarkerShape, cx: number, cy: number, r: number, color: string, hollow = false): string {
  const fill = hollow ? '#ffffff' : color;
  const style = `fill="${fill}" fill-opacity="${hollow ? 1 : 0.8}" stroke="${color}" stroke-width="${hollow ? 1.6 : 1}"`;
  const up = -Math.PI / 2;
  switch (shape) {
    case 'circle':
      return `<circle cx="${n2(cx)}" cy="${n2(cy)}" r="${n2(r)}" ${style}/>`;
    case 'square': {
      const s = r * 0.88;
      return `<rect x="${n2(cx - s)}" y="${n2(cy - s)}" width="${n2(2 * s)}" height="${n2(2 * s)}" ${style}/>`;
    }
    case 'triangle':
      return `<polygon points="${polygon(cx, cy + r * 0.15, r * 1.2, 3, up)}" ${style}/>`;
    case 'triangle-down':
      return `<polygon points="${polygon(cx, cy - r * 0.15, r * 1.2, 3, -up)}" ${style}/>`;
    case 'diamond':
      return `<polygon points="${polygon(cx, cy, r * 1.2, 4, up)}" ${style}/>`;
    case 'pentagon':
      return `<polygon points="${polygon(cx, cy, r * 1.1, 5, up)}" ${style}/>`;
    case 'hexagon':
      return `<polygon points="${polygon(cx, cy, r * 1.05, 6, 0)}" ${style}/>`;
    case 'star': {
      const pts: string[] = [];
      for (let k = 0; k < 10; k++) {
        const rr = k % 2 === 0 ? r * 1.35 : r * 0.55;
        const a = up + (Math.PI * k) / 5;
        pts.push(`${n2(cx + rr * Math.cos(a))},${n2(cy + rr * Math.sin(a))}`);
      }
      return `<polygon points="${pts.join(' ')}" ${style}/>`;
    }
    case 'cross':
    case 'plus': {
      const s = r * 1.05;
      const w = hollow ? 1.6 : 2.6;
      const d =
        shape === 'plus'
          ? `M${n2(cx - s)} ${n2(cy)}H${n2(cx + s)}M${n2(cx)} ${n2(cy - s)}V${n2(cy + s)}`
          : `M${n2(cx - s)} ${n2(cy - s)}L${n2(cx + s)} ${n2(cy + s)}M${n2(cx - s)} ${n2(cy + s)}L${n2(cx + s)} ${n2(cy - s)}`;
      return `<path d="${d}" fill="none" stroke="${color}" stroke-width="${w}" stroke-linecap="round"/>`;
    }
  }
}

/**
 * The marker of the `index`-th group: ten shapes, then the same ten hollow
 * (20 distinct markers; beyond that they repeat).
 */
export function markerFor(index: number): { shape: MarkerShape; hollow: boolean } {
  const i = ((index % 20) + 20) % 20;
  return { shape: MARKER_SHAPES[i % 10], hollow: i >= 10 };
}
