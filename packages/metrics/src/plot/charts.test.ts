import { describe, expect, it } from 'vitest';
import { barChart, lineChart, scatterChart } from './charts.js';
import { probeChart, rocChart, tsneChart } from './presets.js';
import { MetricsInputError } from '../errors.js';
import { rocAuc } from '../roc.js';
import type { ProbeResult } from '../probe-result.js';

const count = (svg: string, re: RegExp): number => (svg.match(re) ?? []).length;
/** Markup between the plot-area group tags (the data marks). */
const marks = (svg: string): string => svg.slice(svg.indexOf('<g clip-path'), svg.indexOf('</g>'));

describe('lineChart', () => {
  const spec = {
    title: 'A <b> & "c"',
    xLabel: 'epoch',
    yLabel: 'acc',
    series: [
      { name: 'train', x: [1, 2, 3], y: [0.1, 0.5, 0.9] },
      { name: 'test', x: [1, 2, 3], y: [0.1, 0.3, 0.4], dashed: true, markers: true },
    ],
  };
  it('draws one polyline per series with all points, escaped text, axes and legend', () => {
    const svg = lineChart(spec);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('A &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).not.toContain('<b>');
    const lines: string[] = svg.match(/<polyline points="([^"]*)"/g) ?? [];
    expect(lines).toHaveLength(2);
    expect(lines[0].split(' ').length - 1).toBe(3);
    expect(svg).toContain('stroke-dasharray="7 4"');
    expect(count(marks(svg), /<circle/g)).toBe(3); // markers of the second series
    expect(svg).toContain('>epoch</text>');
    expect(svg).toContain('>train</text>');
  });
  it('maps data to pixels monotonically (higher y is higher up)', () => {
    const svg = lineChart({ ...spec, series: [spec.series[0]], yDomain: [0, 1], legend: 'none' });
    const pts = (svg.match(/<polyline points="([^"]*)"/) as RegExpMatchArray)[1].split(' ').map((p) => p.split(',').map(Number));
    expect(pts[1][0]).toBeGreaterThan(pts[0][0]);
    expect(pts[1][1]).toBeLessThan(pts[0][1]);
  });
  it('rejects bad input', () => {
    expect(() => lineChart({ series: [] })).toThrow(MetricsInputError);
    expect(() => lineChart({ series: [{ name: 'a', x: [1, 2], y: [1] }] })).toThrow(/2 x but 1 y/);
    expect(() => lineChart({ series: [{ name: 'a', x: [1, 2], y: [1, Number.NaN] }] })).toThrow(/y\[1\] is NaN/);
    expect(() => lineChart({ ...spec, yDomain: [1, 0] })).toThrow(/yDomain/);
    expect(() => lineChart({ ...spec, width: 100 })).toThrow(/at least 200 x 150/);
  });
});

describe('scatterChart', () => {
  const ids = Array.from({ length: 40 }, (_, i) => `id${i % 10}`);
  const cls = Array.from({ length: 40 }, (_, i) => (i < 20 ? 'real' : 'fake'));
  const x = Array.from({ length: 40 }, (_, i) => Math.cos(i));
  const y = Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.3));
  it('draws every point with a shape per group and a colour per class', () => {
    const svg = scatterChart({ x, y, shapeBy: ids, colorBy: cls, shapeTitle: 'identity' });
    const m = marks(svg);
    expect(count(m, /<(circle|rect|polygon|path) /g)).toBe(40);
    expect(count(m, /#d62728/g)).toBeGreaterThanOrEqual(20); // fake = red
    expect(count(m, /#1f77b4/g)).toBeGreaterThanOrEqual(20); // real = blue
    for (let k = 0; k < 10; k++) expect(svg).toContain(`>id${k}</text>`);
    expect(svg).toContain('>identity</text>');
    // Ten identities get ten different marker elements/geometries in the legend.
    const legend = svg.slice(svg.lastIndexOf('</g>'));
    expect(count(legend, /<(circle|rect|polygon|path) /g)).toBe(13); // box + 2 colours + 10 shapes
  });
  it('uses custom colours and hides axes when asked', () => {
    const svg = scatterChart({ x, y, colorBy: cls, colors: { real: '#00aa00' }, axes: false, equalAspect: true });
    expect(svg).toContain('#00aa00');
    expect(svg).not.toContain('stroke="#e6e6e6"'); // no grid
  });
  it('rejects bad input', () => {
    expect(() => scatterChart({ x: [], y: [] })).toThrow(/no points/);
    expect(() => scatterChart({ x: [1], y: [1, 2] })).toThrow(/1 x but 2 y/);
    expect(() => scatterChart({ x: [1, 2], y: [1, 2], shapeBy: ['a'] })).toThrow(/shapeBy/);
    expect(() => scatterChart({ x: [1, Infinity], y: [1, 2] })).toThrow(MetricsInputError);
  });
});

describe('barChart', () => {
  it('draws one bar per category per series, value labels and a reference line', () => {
    const svg = barChart({
      categories: ['ResNet-18', 'ResNet-34', 'ResNet-50'],
      series: [
        { name: 'FF++', values: [81.53, 89.77, 99.58] },
        { name: 'Celeb-DF', values: [46.88, 47.22, 49.47] },
      ],
      valueLabels: true,
      referenceLine: { y: 50, label: 'chance' },
    });
    expect(count(marks(svg), /<rect /g)).toBe(6);
    expect(svg).toContain('>81.5</text>');
    expect(svg).toContain('>chance</text>');
    expect(svg).toContain('stroke-dasharray="6 4"');
  });
  it('grows negative bars downward from zero and rotates long labels', () => {
    const svg = barChart({
      categories: ['a rather long category name', 'another long category name', 'and a third', 'and a fourth one'],
      series: [{ name: 's', values: [-1, 2, 1, 1] }],
    });
    expect(svg).toContain('rotate(-35');
    const rects = [...marks(svg).matchAll(/<rect x="[^"]*" y="([^"]*)" width="[^"]*" height="([^"]*)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    // The negative bar starts where the positive bar ends (the zero line).
    expect(rects[0][0]).toBeCloseTo(rects[1][0] + rects[1][1], 1);
  });
  it('rejects bad input', () => {
    expect(() => barChart({ categories: [], series: [] })).toThrow(/no categories/);
    expect(() => barChart({ categories: ['a'], series: [{ name: 's', values: [1, 2] }] })).toThrow(/2 values for 1 categories/);
    expect(() => barChart({ categories: ['a'], series: [{ name: 's', values: [Number.NaN] }] })).toThrow(/NaN/);
  });
});

describe('presets', () => {
  it('rocChart labels curves with their AUC', () => {
    const labels = [0, 0, 1, 1, 0, 1];
    const scores = [0.1, 0.4, 0.35, 0.8, 0.2, 0.7];
    const svg = rocChart([{ name: 'model', labels, scores }, { name: 'given', fpr: [0, 1], tpr: [0, 1], auc: 0.5 }]);
    expect(svg).toContain(`model (AUC ${rocAuc(labels, scores).toFixed(4)})`);
    expect(svg).toContain('given (AUC 0.5000)');
    expect(svg).toContain('stroke-dasharray="4 4"'); // chance diagonal
  });
  it('probeChart draws train and test per run', () => {
    const result: ProbeResult = {
      epochs: [1, 2].map((epoch) => ({ epoch, loss: 1, trainAccuracy: 0.5 * epoch, testAccuracy: 0.4 * epoch })),
      trainAccuracy: [0.5, 1],
      testAccuracy: [0.4, 0.8],
      testCorrect: Uint8Array.of(1, 0),
      loss: [1, 1],
      classes: [0, 1],
      chance: 0.5,
    };
    const svg = probeChart([{ name: 'binary', result }, { name: 'CADDM', result }]);
    expect(count(svg, /<polyline/g)).toBe(4);
    expect(svg).toContain('>CADDM test</text>');
    expect(() => probeChart([])).toThrow(MetricsInputError);
  });
  it('tsneChart maps 0/1 classes to real/fake', () => {
    const svg = tsneChart({ embedding: [0, 0, 1, 1, 2, 0], identities: ['a', 'b', 'a'], classes: [0, 1, 1] });
    expect(svg).toContain('>real</text>');
    expect(svg).toContain('>fake</text>');
    expect(() => tsneChart({ embedding: [0, 0, 1], identities: ['a'] })).toThrow(/not n x 2/);
  });
});
