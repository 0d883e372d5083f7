/**
 * The bad-input corpus of the library calls a user reaches first: NaN, Inf, empty, mismatched
 * shapes and huge sizes. Each either throws a typed error whose message is one line naming the
 * argument, or returns NaN where NaN is the documented answer; none returns a plausible number,
 * hangs, or allocates what a header claims.
 */
import { decodeBoxes, iou, matchAnchors, nms, priorBoxes, scaleAnchorConfig, DEFAULT_ANCHOR_CONFIG } from '@caddm/anchors';
import { align5p, templateLandmarks } from '@caddm/face';
import { createImage, resize, wrapImage } from '@caddm/image';
import { averagePrecision, delongPaired, eer, rocAuc, tsne, videoAuc } from '@caddm/metrics';
import { slidingWindow } from '@caddm/mfs';
import { dssimMap } from '@caddm/ssim';
import { describe, expect, it } from 'vitest';
import { decodePng } from './io/png.js';
import { pngHeaderSize } from './io/read-image.js';
import { parseShard } from './shard/shard.js';

type Outcome = 'throws' | 'nan';
interface LibCase {
  readonly name: string;
  readonly call: () => unknown;
  readonly outcome: Outcome;
  /** What a thrown message must say. */
  readonly says?: RegExp;
}

const img = (h: number, w: number, c = 3, fill = 100) => {
  const i = createImage(h, w, c);
  i.data.fill(fill);
  return i;
};
const float = (h: number, w: number, v: number) => wrapImage(new Float64Array(h * w * 3).fill(v), h, w, 3);
const lm = templateLandmarks(60, 60, 50, 0);

const CASES: LibCase[] = [
  // metrics
  { name: 'rocAuc with a NaN score', call: () => rocAuc([0, 1], [0.2, Number.NaN]), outcome: 'throws', says: /NaN|finite/i },
  { name: 'rocAuc with an infinite score', call: () => rocAuc([0, 1], [0.2, Number.POSITIVE_INFINITY]), outcome: 'throws', says: /finite|Infinity/i },
  { name: 'rocAuc of mismatched lengths', call: () => rocAuc([0, 1, 1], [0.2, 0.3]), outcome: 'throws', says: /length|3.*2|2.*3/ },
  { name: 'rocAuc of no items', call: () => rocAuc([], []), outcome: 'throws', says: /empty|no /i },
  { name: 'rocAuc with label 2', call: () => rocAuc([0, 2], [0.1, 0.2]), outcome: 'throws', says: /label/i },
  { name: 'rocAuc of one class', call: () => rocAuc([1, 1], [0.1, 0.2]), outcome: 'throws', says: /class|both/i },
  { name: 'averagePrecision with a NaN score', call: () => averagePrecision([0, 1], [Number.NaN, 0.3]), outcome: 'throws', says: /NaN|finite/i },
  { name: 'eer of mismatched lengths', call: () => eer([0, 1], [0.3]), outcome: 'throws', says: /entries|length/ },
  { name: 'videoAuc with ids of another length', call: () => videoAuc([0, 1], [0.1, 0.9], ['a']), outcome: 'throws', says: /length|id/i },
  { name: 'delongPaired of mismatched lengths', call: () => delongPaired([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8], [0.1, 0.9]), outcome: 'throws', says: /labels has 4 entries/ },
  { name: 'delongPaired with a NaN score', call: () => delongPaired([0, 1, 0, 1], [0.1, Number.NaN, 0.2, 0.8], [0.1, 0.9, 0.3, 0.7]), outcome: 'throws', says: /NaN|finite/i },
  { name: 'tsne of one point', call: () => tsne([[1, 2]]), outcome: 'throws', says: /point|at least/i },
  { name: 'tsne of points with a NaN', call: () => tsne([[1, 2], [Number.NaN, 1], [3, 4], [5, 6]]), outcome: 'throws', says: /NaN|finite/i },
  { name: 'tsne of ragged rows', call: () => tsne([[1, 2], [3]]), outcome: 'throws', says: /dim|length|row/i },
  // anchors
  { name: 'iou of a box with a NaN corner', call: () => iou({ x0: 0, y0: 0, x1: Number.NaN, y1: 1 }, { x0: 0, y0: 0, x1: 1, y1: 1 }), outcome: 'nan' },
  { name: 'matchAnchors with a NaN truth box', call: () => matchAnchors([{ x0: 0, y0: 0, x1: Number.NaN, y1: 1 }], priorBoxes()), outcome: 'throws', says: /NaN|finite|box/i },
  { name: 'nms of mismatched boxes and scores', call: () => nms(new Float32Array(8), new Float32Array(3)), outcome: 'throws', says: /box|score|length/i },
  { name: 'decodeBoxes of a short head', call: () => decodeBoxes(new Float32Array(10), priorBoxes()), outcome: 'throws', says: /length|168|4/ },
  { name: 'priorBoxes of an empty layout', call: () => priorBoxes({ ...DEFAULT_ANCHOR_CONFIG, featureMaps: [] }), outcome: 'throws', says: /feature|map|empty/i },
  { name: 'priorBoxes with a zero step', call: () => priorBoxes({ ...DEFAULT_ANCHOR_CONFIG, steps: [0, 45, 75, 224] }), outcome: 'throws', says: /step/i },
  { name: 'scaleAnchorConfig to a NaN size', call: () => scaleAnchorConfig(DEFAULT_ANCHOR_CONFIG, Number.NaN), outcome: 'throws', says: /size|NaN|positive/i },
  // image
  { name: 'createImage of a negative size', call: () => createImage(-1, 4, 3), outcome: 'throws', says: /height|positive|-1/ },
  { name: 'createImage of a huge size', call: () => createImage(1e6, 1e6, 3), outcome: 'throws', says: /large|limit|size|pixels|length/i },
  { name: 'wrapImage over too little data', call: () => wrapImage(new Uint8Array(10), 4, 4, 3), outcome: 'throws', says: /10|48|data|length/ },
  { name: 'resize to zero width', call: () => resize(img(8, 8), 0, 4), outcome: 'throws', says: /width|positive|0/ },
  { name: 'resize to NaN height', call: () => resize(img(8, 8), 4, Number.NaN), outcome: 'throws', says: /height|NaN|positive/ },
  // ssim
  { name: 'dssimMap of images of different sizes', call: () => dssimMap(img(8, 8), img(8, 9)), outcome: 'throws', says: /size|8x8|8x9/ },
  { name: 'dssimMap of a float image with NaN', call: () => dssimMap(float(12, 12, 50), wrapImage(new Float64Array(12 * 12 * 3).fill(Number.NaN), 12, 12, 3)), outcome: 'throws', says: /non-finite value NaN at row 0, column 0, channel 0/ },
  { name: 'dssimMap of a float image with Infinity', call: () => dssimMap(float(12, 12, Number.POSITIVE_INFINITY), float(12, 12, 0)), outcome: 'throws', says: /non-finite value Infinity/ },
  // mfs
  { name: 'slidingWindow larger than the map', call: () => slidingWindow(float(8, 8, 1), [9, 2]), outcome: 'throws', says: /does not fit in the 8x8 map/ },
  { name: 'slidingWindow of a zero window', call: () => slidingWindow(float(8, 8, 1), [0, 2]), outcome: 'throws', says: /positive integers/ },
  { name: 'slidingWindow over NaN', call: () => slidingWindow(float(8, 8, Number.NaN), [2, 2]), outcome: 'throws', says: /NaN or infinite/ },
  { name: 'slidingWindow over data shorter than its shape', call: () => slidingWindow({ data: new Float64Array(10), shape: [8, 8] }, [2, 2]), outcome: 'throws', says: /reaches element 63 but its data holds 10 values/ },
  // face
  { name: 'align5p with too few landmarks', call: () => align5p(img(64, 64), new Float32Array(20)), outcome: 'throws', says: /10 points, at least 68/ },
  { name: 'align5p with a NaN landmark', call: () => align5p(img(64, 64), Float32Array.from(lm, (v, i) => (i === 7 ? Number.NaN : v))), outcome: 'throws', says: /landmarks\[7\] .* is not finite/ },
  { name: 'align5p with landmarks of 1e30', call: () => align5p(img(64, 64), Float32Array.from(lm, (v, i) => (i === 0 ? 1e30 : v))), outcome: 'throws', says: /beyond ±1000000 pixels/ },
  { name: 'align5p to a zero canvas', call: () => align5p(img(64, 64), lm, { canvasSize: 0 }), outcome: 'throws', says: /canvas/i },
  // datasets
  { name: 'decodePng of a header-only PNG', call: () => decodePng(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'x.png'), outcome: 'throws', says: /x\.png/ },
  { name: 'pngHeaderSize of garbage', call: () => pngHeaderSize(Buffer.from('hello')) ?? Number.NaN, outcome: 'nan' },
  { name: 'parseShard of 3/3', call: () => parseShard('3/3', {}), outcome: 'throws', says: /index must be an integer from 0 to 2/ },
];

describe('library calls on bad numbers and shapes', () => {
  for (const c of CASES) {
    it(c.name, () => {
      let value: unknown;
      let error: unknown;
      try {
        value = c.call();
      } catch (e) {
        error = e;
      }
      if (c.outcome === 'nan') {
        expect(error).toBeUndefined();
        expect(value).toBeNaN();
        return;
      }
      expect(error, `returned ${String(value)}`).toBeInstanceOf(Error);
      const e = error as Error;
      // A typed error (not a bare Error/TypeError/RangeError from deep inside), one line, saying what is wrong.
      expect(e.name, e.message).not.toMatch(/^(Error|TypeError|RangeError)$/);
      expect(e.message).not.toContain('\n');
      if (c.says) expect(e.message).toMatch(c.says);
    });
  }
});
