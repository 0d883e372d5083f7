/** Escapes text for SVG element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** A coordinate with at most two decimals (keeps files small and stable). */
export function n2(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** The font stack of every chart: DejaVu Sans is bundled for PNG rendering. */
export const FONT_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif";

/** Approximate advance width of `text` at `size` px in DejaVu Sans. @internal */
export function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) {
    if ('il.,:;|!\'()[] '.includes(ch)) w += 0.34;
    else if ('mwMW@%'.includes(ch)) w += 0.9;
    else if (ch >= 'A' && ch <= 'Z') w += 0.7;
    else w += 0.62;
  }
  return w * size;
}

/** Attributes of a `<text>` element. @internal */
export interface TextAttrs {
  readonly size?: number;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly weight?: 'normal' | 'bold';
  readonly fill?: string;
  readonly rotate?: number;
  readonly baseline?: 'auto' | 'middle' | 'hanging';
  /** A translucent white box behind the text, to stay readable over lines. */
  readonly halo?: boolean;
}

/** An SVG `<text>` element. @internal */
export function text(x: number, y: number, content: string, a: TextAttrs = {}): string {
  const size = a.size ?? 12;
  const parts = [`x="${n2(x)}"`, `y="${n2(y)}"`, `font-size="${size}"`];
  if (a.anchor && a.anchor !== 'start') parts.push(`text-anchor="${a.anchor}"`);
  if (a.weight === 'bold') parts.push('font-weight="bold"');
  if (a.fill) parts.push(`fill="${a.fill}"`);
  if (a.baseline && a.baseline !== 'auto') parts.push(`dominant-baseline="${a.baseline === 'middle' ? 'central' : a.baseline}"`);
  if (a.rotate) parts.push(`transform="rotate(${a.rotate} ${n2(x)} ${n2(y)})"`);
  const el = `<text ${parts.join(' ')}>${escapeXml(content)}</text>`;
  if (!a.halo || a.rotate) return el;
  // A halo is a translucent white box behind the text, so lines under it do not cross the glyphs.
  const w = textWidth(content, size) + 4;
  const x0 = a.anchor === 'middle' ? x - w / 2 : a.anchor === 'end' ? x - w + 2 : x - 2;
  const y0 = a.baseline === 'middle' ? y - size * 0.6 : y - size * 0.95;
  return `<rect x="${n2(x0)}" y="${n2(y0)}" width="${n2(w)}" height="${n2(size * 1.2)}" fill="#ffffff" fill-opacity="0.85"/>${el}`;
}

/** Wraps body elements in an `<svg>` root with a white background. @internal */
export function svgDocument(width: number, height: number, body: readonly string[], title?: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}">`,
    title ? `<title>${escapeXml(title)}</title>` : '',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ]
    .filter((s) => s !== '')
    .join('\n');
}

/** Tableau-10 colours, the default series palette. */
export const PALETTE: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
