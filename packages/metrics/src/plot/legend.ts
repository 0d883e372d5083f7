import { marker, type MarkerShape } from './markers.js';
import { n2, text, textWidth } from './svg.js';

/** One legend row. @internal */
export type LegendItem =
  | { readonly kind: 'header'; readonly label: string }
  | { readonly kind: 'line'; readonly label: string; readonly color: string; readonly dashed?: boolean }
  | { readonly kind: 'marker'; readonly label: string; readonly color: string; readonly shape: MarkerShape; readonly hollow?: boolean }
  | { readonly kind: 'swatch'; readonly label: string; readonly color: string };

const ROW = 18;
const SIZE = 12;
const KEY = 26;

/** Size of a legend box. @internal */
export function legendSize(items: readonly LegendItem[]): { width: number; height: number } {
  let w = 0;
  for (const it of items) {
    const tw = it.kind === 'header' ? textWidth(it.label, SIZE) * 1.08 : KEY + textWidth(it.label, SIZE);
    w = Math.max(w, tw);
  }
  return { width: Math.ceil(w + 16), height: items.length * ROW + 10 };
}

/** Draws a legend with its top-left corner at (x, y), on a white box. @internal */
export function drawLegend(items: readonly LegendItem[], x: number, y: number): string[] {
  const { width, height } = legendSize(items);
  const out = [
    `<rect x="${n2(x)}" y="${n2(y)}" width="${width}" height="${height}" fill="#ffffff" fill-opacity="0.9" stroke="#bbbbbb" rx="3"/>`,
  ];
  items.forEach((it, k) => {
    const cy = y + 5 + ROW * k + ROW / 2;
    const tx = x + 8 + (it.kind === 'header' ? 0 : KEY);
    if (it.kind === 'line') {
      out.push(
        `<line x1="${n2(x + 8)}" y1="${n2(cy)}" x2="${n2(x + 8 + KEY - 6)}" y2="${n2(cy)}" stroke="${it.color}" stroke-width="2.5"${it.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
      );
    } else if (it.kind === 'marker') {
      out.push(marker(it.shape, x + 8 + (KEY - 6) / 2, cy, 5, it.color, it.hollow));
    } else if (it.kind === 'swatch') {
      out.push(`<rect x="${n2(x + 10)}" y="${n2(cy - 6)}" width="16" height="12" fill="${it.color}"/>`);
    }
    out.push(text(tx, cy, it.label, { size: SIZE, baseline: 'middle', weight: it.kind === 'header' ? 'bold' : 'normal' }));
  });
  return out;
}
