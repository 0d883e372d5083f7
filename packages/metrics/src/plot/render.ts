import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MetricsInputError } from '../errors.js';

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /** Pixels per SVG px; default 2 (sharp on high-density screens and in reports). */
  readonly scale?: number;
  /** Also use the system's fonts (default false: only the bundled DejaVu Sans, for identical output everywhere). */
  readonly systemFonts?: boolean;
}

/**
 * The TrueType files text is rendered with: DejaVu Sans (regular, bold,
 * oblique) from the `dejavu-fonts-ttf` npm package, so PNGs have readable
 * text on machines without system fonts.
 */
export function bundledFontFiles(): string[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((f) => join(dir, f));
}

/**
 * Renders an SVG string to PNG bytes without a browser (resvg, a Rust SVG
 * renderer shipped as a prebuilt npm binary), with the bundled fonts.
 *
 * @throws {@link MetricsInputError} on a bad scale; resvg's own error on
 * malformed SVG.
 */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const r = await resvg(svg, options);
  return new Uint8Array(r.render().asPng());
}

/**
 * Renders an SVG string to raw RGBA pixels (row-major, 4 bytes a pixel), as
 * {@link svgToPng} would draw them; for tests and image checks.
 */
export async function svgToRgba(svg: string, options: PngOptions = {}): Promise<{ width: number; height: number; pixels: Uint8Array }> {
  const img = (await resvg(svg, options)).render();
  return { width: img.width, height: img.height, pixels: new Uint8Array(img.pixels) };
}

async function resvg(svg: string, options: PngOptions): Promise<import('@resvg/resvg-js').Resvg> {
  const scale = options.scale ?? 2;
  if (!(scale > 0 && scale <= 16)) throw new MetricsInputError('bad-option', `svgToPng: scale must be in (0, 16], got ${scale}`);
  const { Resvg } = await import('@resvg/resvg-js');
  return new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: {
      loadSystemFonts: options.systemFonts ?? false,
      fontFiles: bundledFontFiles(),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
}

/**
 * Writes a chart as `<base>.svg` and `<base>.png` (creating folders) and
 * returns both paths. `base` may also end in `.svg` or `.png`.
 */
export async function writeChart(base: string, svg: string, options: PngOptions = {}): Promise<{ svg: string; png: string }> {
  const stem = base.replace(/\.(svg|png)$/i, '');
  const paths = { svg: `${stem}.svg`, png: `${stem}.png` };
  await mkdir(dirname(stem), { recursive: true });
  await writeFile(paths.svg, svg, 'utf8');
  await writeFile(paths.png, await svgToPng(svg, options));
  return paths;
}
