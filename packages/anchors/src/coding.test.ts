import { describe, expect, it } from 'vitest';
import { loadGoldenKind, rng } from './__fixtures__/golden.js';
import { AnchorShapeError, decodeBoxes, encodeBoxes, priorBoxes, toCentre, toPoint, type Box } from './index.js';

interface DecodeFixture {
  loc: number[][];
  boxes: number[][];
  scores: number[];
  nms_overlap: number;
  top_k: number;
  keep: number[];
  variances?: [number, number];
}

const priors = priorBoxes();
const fixtures = loadGoldenKind<DecodeFixture>('decode_nms');

describe.skipIf(fixtures.length === 0)('decodeBoxes golden', () => {
  it.each(fixtures.map((f) => [f.file, f.data] as const))('%s: decoded boxes match to 1e-6', (_f, g) => {
    const out = decodeBoxes(new Float32Array(g.loc.flat()), priors, g.variances ?? [0.1, 0.2]);
    g.boxes.forEach((row, i) => {
      for (let k = 0; k < 4; k++) expect(Math.abs(out[4 * i + k] - row[k])).toBeLessThanOrEqual(1e-6);
    });
  });
});

function randomBox(r: () => number): Box {
  const w = 0.02 + r() * 0.9;
  const h = 0.02 + r() * 0.9;
  const x0 = r() * (1 - w);
  const y0 = r() * (1 - h);
  return { x0, y0, x1: x0 + w, y1: y0 + h };
}

describe('box coding', () => {
  it('decode(encode(b)) = b for random boxes against every prior', () => {
    const r = rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const boxes = Array.from({ length: priors.count }, () => randomBox(r));
      const loc = encodeBoxes(boxes, priors);
      const back = decodeBoxes(loc, priors);
      boxes.forEach((b, i) => {
        expect(back[4 * i]).toBeCloseTo(b.x0, 5);
        expect(back[4 * i + 1]).toBeCloseTo(b.y0, 5);
        expect(back[4 * i + 2]).toBeCloseTo(b.x1, 5);
        expect(back[4 * i + 3]).toBeCloseTo(b.y1, 5);
      });
    }
  });

  it('encoding a prior against itself gives zero offsets', () => {
    const pt = new Float32Array(priors.count * 4);
    for (let i = 0; i < priors.count; i++) {
      const b = toPoint({ cx: priors.data[4 * i], cy: priors.data[4 * i + 1], w: priors.data[4 * i + 2], h: priors.data[4 * i + 3] });
      pt.set([b.x0, b.y0, b.x1, b.y1], 4 * i);
    }
    const loc = encodeBoxes(pt, priors);
    for (const v of loc) expect(Math.abs(v)).toBeLessThan(1e-5);
  });

  it('uses the variances: doubling the box width adds log(2)/v1', () => {
    const one = new Float32Array([0.5, 0.5, 0.2, 0.2]);
    const loc = encodeBoxes([{ x0: 0.4, y0: 0.45, x1: 0.8, y1: 0.55 }], one, [0.1, 0.2]);
    expect(loc[0]).toBeCloseTo(0.1 / (0.1 * 0.2), 4); // centre moved by 0.1
    expect(loc[2]).toBeCloseTo(Math.log(2) / 0.2, 5);
    expect(loc[3]).toBeCloseTo(Math.log(0.5) / 0.2, 5);
  });

  it('centre/point conversions round-trip', () => {
    const r = rng(3);
    for (let i = 0; i < 50; i++) {
      const b = randomBox(r);
      const c = toCentre(b);
      const back = toPoint(c);
      expect(back.x0).toBeCloseTo(b.x0, 12);
      expect(back.y1).toBeCloseTo(b.y1, 12);
    }
  });

  it('rejects mismatched sizes', () => {
    expect(() => decodeBoxes(new Float32Array(10), priors)).toThrow(AnchorShapeError);
    expect(() => encodeBoxes(new Float32Array(8), priors)).toThrow(/2 boxes for 168 priors/);
    expect(() => decodeBoxes(new Float32Array(168 * 4), priors, [0.1, 0.2], new Float32Array(3))).toThrow(/out has length/);
  });
});
