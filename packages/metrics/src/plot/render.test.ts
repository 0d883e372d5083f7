import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledFontFiles, svgToPng, svgToRgba, writeChart } from './render.js';
import { lineChart } from './charts.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function darkPixels(px: Uint8Array): number {
  let dark = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i] + px[i + 1] + px[i + 2] < 300) dark++;
  return dark;
}

describe('PNG rendering (resvg + bundled DejaVu Sans)', () => {
  it('ships TrueType fonts', () => {
    for (const f of bundledFontFiles()) {
      expect(f).toMatch(/\.ttf$/);
      expect(existsSync(f)).toBe(true);
    }
  });

  it('renders text with the bundled font only (no system fonts)', async () => {
    const blank = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"></svg>';
    const withText =
      '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="5" y="28" font-size="20" font-family="DejaVu Sans">AUC 0.5</text></svg>';
    const a = await svgToRgba(blank, { scale: 1 });
    const b = await svgToRgba(withText, { scale: 1 });
    expect(darkPixels(a.pixels)).toBe(0);
    expect(darkPixels(b.pixels)).toBeGreaterThan(80);
    // An unknown family falls back to the bundled default instead of vanishing.
    const c = await svgToRgba(withText.replace('DejaVu Sans', 'No Such Font'), { scale: 1 });
    expect(darkPixels(c.pixels)).toBeGreaterThan(80);
  });

  it('writes a PNG at the requested scale', async () => {
    const svg = lineChart({ title: 'T', series: [{ name: 's', x: [0, 1], y: [0, 1] }] });
    const png = await svgToPng(svg, { scale: 1.5 });
    expect(Array.from(png.subarray(0, 8))).toEqual(PNG_SIGNATURE);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(16)).toBe(960); // IHDR width = 640 * 1.5
    expect(view.getUint32(20)).toBe(660);
    await expect(svgToPng(svg, { scale: 0 })).rejects.toThrow(/scale/);
  });

  it('writeChart writes .svg and .png side by side', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metrics-plot-'));
    try {
      const svg = lineChart({ series: [{ name: 's', x: [0, 1], y: [1, 0] }] });
      const out = await writeChart(join(dir, 'nested', 'chart.svg'), svg);
      expect(out.svg).toBe(join(dir, 'nested', 'chart.svg'));
      expect(await readFile(out.svg, 'utf8')).toBe(svg);
      expect(Array.from((await readFile(out.png)).subarray(0, 8))).toEqual(PNG_SIGNATURE);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
