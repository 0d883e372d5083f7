import { describe, expect, it } from 'vitest';
import { meanSd, rocAuc, seededRng, type VideoScore } from '@caddm/metrics';
import { resolveConfig } from '@caddm/trainer';
import type { CrossTest } from '../protocol/data.js';
import { comparePaired, formatMeanSd, identityInterval, formatInterval, identityOfFfppVideo } from '../protocol/stats.js';
import type { VariantResult } from '../protocol/train.js';
import { table2Report } from './table2.js';

const SETS: CrossTest[] = [
  { name: 'in-dataset test', cache: '-', stands_for: 'FF++' },
  { name: 'Embedded-cross', cache: '-', stands_for: 'Celeb-DF' },
  { name: 'Embedded-cross-similar', cache: '-', stands_for: 'Celeb-DF' },
];

/** 30 identities per set: each a genuine video and one fake (target = the identity), scores label * sep + noise. */
function videos(set: number, sep: number, seed: number): VideoScore[] {
  const rng = seededRng(seed);
  const root = ['ffpp', 'cross', 'cross-similar'][set];
  const out: VideoScore[] = [];
  for (let i = 0; i < 30; i++) {
    // The two cross sets hold the same targets and genuine videos; only the donors differ.
    const base = set === 0 ? 0 : 500;
    const id = String(base + i).padStart(3, '0');
    const donor = set === 2 ? (i % 2 ? i - 1 : i + 1) : (i + 7) % 30;
    out.push({ id: `${root}/original/${id}`, label: 0, score: rng.normal(), frames: 4 });
    out.push({ id: `${root}/HQSwap/${id}_${String(base + donor).padStart(3, '0')}`, label: 1, score: sep + rng.normal(), frames: 4 });
  }
  return out;
}

function model(row: number, seed: number, seps: readonly number[]): VariantResult {
  const scores = SETS.map((_, k) => videos(k, seps[k], 1000 * row + 10 * seed + k));
  const auc = (v: readonly VideoScore[]) => Math.round(rocAuc(v.map((x) => x.label), v.map((x) => x.score)) * 10000) / 100;
  return {
    name: `row${row}`,
    config: resolveConfig({ train: { seed } }, { profile: 'mini' }),
    steps: 10,
    seconds: 1,
    trainSeconds: 0.5,
    videoAuc: scores.map(auc),
    frameAuc: scores.map(auc),
    videos: scores.map((v) => ({ fake: v.filter((x) => x.label === 1).length, real: v.filter((x) => x.label === 0).length })),
    scores,
  };
}

/** Rows 0 (baseline) and 4 (full) with three seeds; the full model separates the cross sets much better. */
function runs(fullCross: readonly number[] = [3, 3, 3], fullIn = 2): VariantResult[][] {
  return [0, 1, 2, 3, 4].map((row) => {
    const seeds = row === 0 || row === 4 ? [1, 2, 3] : [1];
    return seeds.map((s, j) => model(row, s, row === 4 ? [fullIn, fullCross[j], fullCross[j]] : [2, 0.3, 0.3]));
  });
}

const identityOf = (id: string) => identityOfFfppVideo(id);

describe('table2Report', () => {
  const rs = runs();
  const { markdown, raw } = table2Report(rs, SETS, identityOf);
  const lines = markdown.split('\n');
  if (process.env.SHOW_MD) console.log(markdown);
  const cells = (row: string) => lines.find((l) => l.startsWith(`| ${row} |`))!.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, ''));

  it('main table cells are the mean ± sd over seeds, or one model\'s AUC with its identity-cluster interval, beside the paper\'s value', () => {
    const base = cells('baseline');
    expect(base[4]).toBe(`${formatMeanSd(meanSd(rs[0].map((r) => r.videoAuc[0])), 2)} (99.88)`);
    expect(base[5]).toBe(`${formatMeanSd(meanSd(rs[0].map((r) => r.videoAuc[1])), 2)} (64.05)`);
    // The similar-pairs set stands for Celeb-DF too: the paper's Celeb-DF value, not DFDC's.
    expect(base[6]).toBe(`${formatMeanSd(meanSd(rs[0].map((r) => r.videoAuc[2])), 2)} (64.05)`);
    const mfs = cells('+MFS');
    const iv = identityInterval(rs[1][0].scores[1], identityOf);
    expect(mfs[5]).toBe(`${formatInterval(iv.aucPct, iv.ciPct, 2)} (76.35)`);
    expect(base[7]).toBe('1, 2, 3');
  });

  it('paired rows are DeLong on the same videos, seed by seed', () => {
    for (const s of [0, 1, 2]) {
      const c = comparePaired(rs[4][s].scores[1], rs[0][s].scores[1]);
      expect(markdown).toContain(`| full - baseline | ${s + 1} | Embedded-cross (~Celeb-DF) | ${formatInterval(c.diffPct, c.ciPct, 2)} |`);
    }
    const r = raw as { paired: Array<{ comparison: string; seed: number; testSet: string; diffPct: number }>; counts: Array<{ fake: number; real: number }> };
    expect(r.paired.filter((x) => x.comparison === 'full - baseline')).toHaveLength(9);
    expect(r.counts[1]).toEqual({ fake: 30, real: 30 });
  });

  it('the raw JSON rebuilds every AUC: the compact per-video scores give each model\'s AUC', () => {
    const r = raw as { scores: { sets: Array<{ ids: string[]; labels: number[] }>; models: Array<{ row: string; seed: number; scores: number[][] }> } };
    expect(r.scores.models).toHaveLength(3 + 1 + 1 + 1 + 3);
    const full2 = r.scores.models.find((m) => m.row === '+DA+MFS+ADM' && m.seed === 2)!;
    const auc = rocAuc(r.scores.sets[1].labels, full2.scores[1]);
    expect(Math.round(auc * 10000) / 100).toBeCloseTo(rs[4][1].videoAuc[1], 1);
  });

  it('reads "reproduced" only when the full model is better in every seed, and "not shown" when one seed ties', () => {
    expect(markdown).toMatch(/Embedded-cross \(~Celeb-DF\): full model − baseline = [^\n]*better in every seed: the paper's main claim \(better cross-dataset generalisation\) is reproduced/);
    const mixed = table2Report(runs([3, 3, 0.3]), SETS, identityOf).markdown;
    expect(mixed).toMatch(/Embedded-cross \(~Celeb-DF\): [^\n]*not better in every seed: the paper's main claim is not shown/);
    const worse = table2Report(runs([-1, -1, -1]), SETS, identityOf).markdown;
    expect(worse).toMatch(/Embedded-cross \(~Celeb-DF\): [^\n]*worse in every seed: the paper's main claim is contradicted/);
  });

  it('pairs the random- and similar-donor fakes by target for the identity contrast', () => {
    expect(markdown).toContain('## Identity contrast');
    const r = raw as { identityContrast: Array<{ row: string; seed: number; videos: number }> };
    expect(r.identityContrast).toHaveLength(6);
    expect(r.identityContrast[0].videos).toBe(60);
  });

  it('a test set whose statistics cannot run (one fake video) reads n/a instead of stopping the report', () => {
    const broken = runs().map((rs) => rs.map((r) => ({ ...r, scores: r.scores.map((v, k) => (k === 1 ? v.filter((x) => x.label === 0 || x.id.endsWith('_507')) : v)) })));
    const md = table2Report(broken, SETS, identityOf).markdown;
    expect(md).toMatch(/\| full - baseline \| 1 \| Embedded-cross \(~Celeb-DF\) \| n\/a \| n\/a \| tie \|/);
    expect(md).toMatch(/Embedded-cross \(~Celeb-DF\): full model − baseline = n\/a/);
  });

  it('says when the full model fits its own training distribution much worse than the baseline', () => {
    expect(markdown).not.toContain('- Fit:');
    const underfit = table2Report(runs([3, 3, 3], 0.5), SETS, identityOf).markdown;
    expect(underfit).toMatch(/- Fit: the full model's in-dataset AUC is [\d.]+ points below the baseline's/);
    expect(underfit).toMatch(/in-dataset test \(~FF\+\+\): full model − baseline = [^\n]*worse in every seed; the paper has the two within 0\.2 points in-dataset\. Not reproduced\./);
  });
});
