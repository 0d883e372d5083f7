import { describe, expect, it } from 'vitest';
import { aucVsChance, clusterBootstrapAuc, delongPaired, meanSd, seededRng, type VideoScore } from '@caddm/metrics';
import { comparePaired, formatInterval, formatMeanSd, identityInterval, identityOfFfppVideo, versusChance } from './stats.js';

/** FF++-named videos: per identity k, the real `k` and fakes `k_<donor>` under each method. */
function ffppVideos(seed: number, identities: number, separation: number, noise = 1): VideoScore[] {
  const r = seededRng(seed);
  const out: VideoScore[] = [];
  const name = (k: number) => String(k).padStart(3, '0');
  for (let k = 0; k < identities; k++) {
    const u = 0.5 * r.normal();
    out.push({ id: `original/${name(k)}`, label: 0, score: u + noise * r.normal(), frames: 8 });
    for (const method of ['Deepfakes', 'FaceSwap']) {
      out.push({ id: `${method}/${name(k)}_${name((k + 1) % identities)}`, label: 1, score: u + separation + noise * r.normal(), frames: 8 });
    }
  }
  return out;
}

/** The same videos rescored by another model: `score' = f(score) + noise`. */
function rescore(videos: readonly VideoScore[], seed: number, f: (v: VideoScore) => number): VideoScore[] {
  const r = seededRng(seed);
  return videos.map((v) => ({ ...v, score: f(v) + 0.3 * r.normal() }));
}

describe('comparePaired', () => {
  const a = ffppVideos(1, 40, 1.5);
  it('matches videos by id and runs the paired DeLong test in points', () => {
    const b = rescore(a, 2, (v) => 0.5 * v.score + v.label * 0.2);
    const shuffled = [...b].reverse();
    const c = comparePaired(a, shuffled);
    const ref = delongPaired(a.map((v) => v.label), a.map((v) => v.score), b.map((v) => v.score));
    expect(c.diffPct).toBeCloseTo(ref.diff * 100, 12);
    expect(c.ciPct[0]).toBeCloseTo(ref.ci[0] * 100, 12);
    expect(c.ciPct[1]).toBeCloseTo(ref.ci[1] * 100, 12);
    expect(c.p).toBe(ref.p);
    expect([c.test, c.level, c.videos]).toEqual(['paired DeLong', 0.95, 120]);
  });
  it('calls a clear gap better / worse and an overlap a tie', () => {
    // Most of the separation removed and noise added: a much weaker model.
    const r = seededRng(3);
    const weak = a.map((v) => ({ ...v, score: v.score - 1.2 * v.label + 1.5 * r.normal() }));
    expect(comparePaired(a, weak).verdict).toBe('better');
    expect(comparePaired(weak, a).verdict).toBe('worse');
    const self = comparePaired(a, a);
    expect([self.verdict, self.diffPct, self.p]).toEqual(['tie', 0, 1]);
    const close = rescore(a, 4, (v) => v.score);
    const c = comparePaired(a, close);
    expect(c.verdict).toBe('tie');
    expect(c.ciPct[0]).toBeLessThan(0);
    expect(c.ciPct[1]).toBeGreaterThan(0);
  });
  it('names the first video found on one side only', () => {
    const missing = a.filter((v) => v.id !== 'Deepfakes/003_004');
    expect(() => comparePaired(a, missing)).toThrow(/^comparePaired: video 'Deepfakes\/003_004' is in a but not in b \(120 vs 119 videos\)$/);
    const extra = [...a, { id: 'original/999', label: 0 as const, score: 0, frames: 1 }];
    expect(() => comparePaired(a, extra)).toThrow(/^comparePaired: video 'original\/999' is in b but not in a \(120 vs 121 videos\)$/);
    expect(() => comparePaired([...a, a[0]], a)).toThrow(/^comparePaired: video 'original\/000' appears twice in a$/);
    const relabelled = a.map((v, i) => (i === 0 ? { ...v, label: 1 as const } : v));
    expect(() => comparePaired(a, relabelled)).toThrow(/^comparePaired: video 'original\/000' is labelled 0 in a but 1 in b$/);
  });
});

describe('versusChance', () => {
  it('is beyond chance when the DeLong interval lies above 50', () => {
    const v = ffppVideos(5, 40, 1.5);
    const c = versusChance(v);
    const ref = aucVsChance(v.map((x) => x.label), v.map((x) => x.score));
    expect(c.verdict).toBe('beyond chance');
    expect(c.aucPct).toBeCloseTo(ref.auc * 100, 12);
    expect(c.ciPct[0]).toBeCloseTo(ref.ci[0] * 100, 12);
    expect(c.ciPct[1]).toBeCloseTo(Math.min(100, ref.ci[1] * 100), 12);
    expect(c.test).toBe('DeLong vs chance');
  });
  it('says chance for a model without signal, and for one reliably below 50', () => {
    expect(versusChance(ffppVideos(6, 40, 0)).verdict).toBe('chance');
    const below = versusChance(ffppVideos(7, 40, -1.5));
    expect(below.verdict).toBe('chance');
    expect(below.ciPct[1]).toBeLessThan(50);
  });
  it('clips the displayed interval to [0, 100]', () => {
    const perfect = versusChance(ffppVideos(8, 10, 20, 0.1));
    expect(perfect.aucPct).toBe(100);
    expect(perfect.ciPct).toEqual([100, 100]);
  });
});

describe('identityInterval', () => {
  const v = ffppVideos(9, 50, 1.2);
  it('bootstraps identities (FF++ targets), in %', () => {
    const r = identityInterval(v, identityOfFfppVideo, { reps: 500, seed: 1 });
    const ref = clusterBootstrapAuc(v.map((x) => x.label), v.map((x) => x.score), v.map((x) => identityOfFfppVideo(x.id)), { reps: 500, seed: 1 });
    expect(r.identities).toBe(50);
    expect(r.aucPct).toBeCloseTo(ref.estimate * 100, 12);
    expect(r.ciPct).toEqual([ref.lo * 100, ref.hi * 100]);
    expect(r.ciPct[0]).toBeLessThan(r.aucPct);
    expect(r.ciPct[1]).toBeGreaterThan(r.aucPct);
    expect([r.reps, r.valid, r.level, r.test]).toEqual([500, 500, 0.95, 'identity cluster bootstrap']);
  });
  it('lets an explicit map override identities per video', () => {
    // Put every video of identities 000-009 into one identity: 41 clusters.
    const map = new Map(v.filter((x) => Number(identityOfFfppVideo(x.id)) < 10).map((x) => [x.id, 'group'] as const));
    expect(identityInterval(v, identityOfFfppVideo, { reps: 50, identities: map }).identities).toBe(41);
    const rec = Object.fromEntries(map);
    expect(identityInterval(v, identityOfFfppVideo, { reps: 50, identities: rec }).identities).toBe(41);
    // A map alone suffices when it names every video.
    const all = Object.fromEntries(v.map((x) => [x.id, x.id.endsWith('0') ? 'even' : 'odd']));
    expect(identityInterval(v, () => '', { reps: 50, identities: all }).identities).toBe(2);
    expect(() => identityInterval(v, () => '', { reps: 50 })).toThrow(/^identityInterval: video 'original\/000' has no identity$/);
  });
});

describe('identityOfFfppVideo', () => {
  it.each([
    ['000', '000'],
    ['000_003', '000'],
    ['Deepfakes/000_003', '000'],
    ['data/ffpp/NeuralTextures/c23/123_456.mp4', '123'],
    ['original/071', '071'],
  ])('%s -> %s', (id, want) => {
    expect(identityOfFfppVideo(id)).toBe(want);
  });
  it('refuses other names with one line', () => {
    expect(() => identityOfFfppVideo('Deepfakes/abc')).toThrow(/^identityOfFfppVideo: 'Deepfakes\/abc' is not an FF\+\+ video name such as 000 or 000_003$/);
    expect(() => identityOfFfppVideo('000_003/')).toThrow(/not an FF\+\+ video name/);
  });
});

describe('formatting', () => {
  it('formats an estimate with its interval', () => {
    expect(formatInterval(91.234, [87.04, 95.06])).toBe('91.2 [87.0, 95.1]');
    expect(formatInterval(91.234, [87.04, 95.06], 2)).toBe('91.23 [87.04, 95.06]');
    expect(formatInterval(Number.NaN, [1, 2])).toBe('n/a');
  });
  it('formats a mean over seeds', () => {
    expect(formatMeanSd(meanSd([90, 92, 94]))).toBe('92.0 ± 2.0 (3 seeds)');
    expect(formatMeanSd(meanSd([71.49]), 2)).toBe('71.49 (1 seed)');
  });
});
