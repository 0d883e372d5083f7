import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFFpp } from '../readers/ffpp.js';
import { ffmpegForTests, tempDir } from '../testing/fixtures.js';
import { decodeAllFramesBatch } from '../video/decode.js';
import { crossValidatedAccuracy } from '../stats/logistic.js';
import { sidecarDetector } from '../preprocess/detector.js';
import { loadManifest } from '../preprocess/manifest.js';
import { preprocess } from '../preprocess/preprocess.js';
import { ensureBenchmark } from './ensure.js';
import { generateBenchmark, type BenchmarkProfile } from './generate.js';

function hashTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p.slice(root.length), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(root);
  return out;
}

const tools = ffmpegForTests();

describe('embedded benchmark', () => {
  it('is deterministic: the same seed gives the same bytes, another seed other bytes (frames format)', async () => {
    const a = tempDir('caddm-bench-a-');
    const b = tempDir('caddm-bench-b-');
    const c = tempDir('caddm-bench-c-');
    const small: BenchmarkProfile = { size: 48, frames: 2, identities: { train: 2, val: 2, test: 0 }, crossIdentities: 2, videosPerIdentity: 2 };
    await generateBenchmark({ out: a, seed: 7, profile: small, format: 'frames' });
    await generateBenchmark({ out: b, seed: 7, profile: small, format: 'frames' });
    await generateBenchmark({ out: c, seed: 8, profile: small, format: 'frames' });
    const ha = hashTree(a);
    const hb = hashTree(b);
    expect(ha.size).toBeGreaterThan(40);
    expect([...ha.entries()]).toEqual([...hb.entries()]);
    // Regenerating in place replaces an earlier benchmark, but never an unrelated FF++ tree.
    await generateBenchmark({ out: a, seed: 7, profile: small, format: 'frames' });
    expect([...hashTree(a).entries()]).toEqual([...ha.entries()]);
    const foreign = tempDir('caddm-bench-foreign-');
    mkdirSync(join(foreign, 'ffpp'));
    await expect(generateBenchmark({ out: foreign, profile: small, format: 'frames' })).rejects.toThrow(/refusing to overwrite/);
    const hc = hashTree(c);
    const same = [...ha].filter(([k, v]) => hc.get(k) === v && k.endsWith('.png')).length;
    expect(same).toBe(0);
  });

  it.skipIf(!tools)('writes FF++-layout mp4 trees that the FF++ reader, the decoder and preprocessing understand', async () => {
    const out = tempDir('caddm-bench-mp4-');
    const res = await generateBenchmark({ out, seed: 3, profile: 'tiny', format: 'mp4' });
    const again = tempDir('caddm-bench-mp4b-');
    await generateBenchmark({ out: again, seed: 3, profile: 'tiny', format: 'mp4' });
    expect([...hashTree(join(out, 'ffpp')).entries()]).toEqual([...hashTree(join(again, 'ffpp')).entries()]);

    const ds = readFFpp(res.ffppRoot);
    expect(ds.skipped).toEqual([]);
    expect(ds.warnings).toEqual([]);
    const reals = ds.entries.filter((e) => e.label === 0);
    const fakes = ds.entries.filter((e) => e.label === 1);
    expect(reals.length).toBe(12);
    expect(fakes.length).toBe(12 * 4);
    expect(new Set(fakes.map((e) => e.method))).toEqual(new Set(['Deepfakes', 'Face2Face', 'FaceSwap', 'NeuralTextures']));
    expect(fakes.every((e) => e.sourceId === `ffpp/original/${e.id.split('/')[2].split('_')[0]}` && e.landmarksPath)).toBe(true);
    expect(ds.entries.filter((e) => e.split === 'train').length).toBe(4 + 4 * 4);
    const cross = readFFpp(res.crossRoot);
    expect(cross.warnings).toEqual([]);
    expect(new Set(cross.entries.map((e) => e.method))).toEqual(new Set(['original', 'HQSwap']));
    expect(cross.entries.every((e) => e.split === 'cross')).toBe(true);
    // New identities: no name shared with the in-domain part.
    const inNames = new Set(reals.map((e) => e.id.split('/')[2]));
    expect(cross.entries.filter((e) => e.label === 0).some((e) => inNames.has(e.id.split('/')[2]))).toBe(false);
    // The similar-pairs tree holds the same real videos, byte for byte, and other fakes of the same targets.
    expect(res.crossSimilarRoot).toBeDefined();
    const similar = readFFpp(res.crossSimilarRoot!);
    expect(similar.warnings).toEqual([]);
    const realHashes = (root: string) => [...hashTree(join(root, 'original_sequences')).entries()];
    expect(realHashes(res.crossSimilarRoot!)).toEqual(realHashes(res.crossRoot));
    expect(similar.entries.filter((e) => e.label === 1).length).toBe(cross.entries.filter((e) => e.label === 1).length);
    // Identities: two real videos each, in one split only.
    const ids = (JSON.parse(readFileSync(join(res.ffppRoot, 'identities.json'), 'utf8')) as { videos: Record<string, string> }).videos;
    expect(Object.keys(ids).sort()).toEqual(reals.map((e) => e.id.split('/')[2]).sort());
    const splitsOf = new Map<string, Set<string>>();
    for (const e of reals) {
      const person = ids[e.id.split('/')[2]];
      splitsOf.set(person, (splitsOf.get(person) ?? new Set()).add(e.split!));
    }
    expect(splitsOf.size).toBe(6);
    expect([...splitsOf.values()].every((s) => s.size === 1)).toBe(true);
    expect(Object.values(ids).filter((v) => v === ids['000']).length).toBe(2);

    // Preprocessing with the exact landmarks: every frame has landmarks and every fake frame its source.
    const pp = tempDir('caddm-bench-pp-');
    const s = await preprocess(ds, { out: pp, frames: 32, detector: sidecarDetector(), progress: false });
    expect(s.failed).toEqual([]);
    expect(s.noFace).toEqual([]);
    expect(s.missingSources).toEqual([]);
    const { videos } = loadManifest(join(pp, 'manifest.jsonl'));
    const f = videos.get(fakes[0].id)!;
    expect(f.frames.length).toBe(4);
    const side = JSON.parse(readFileSync(fakes[0].landmarksPath!, 'utf8')) as { frames: number[][] };
    expect(f.frames[2].landmarks![10]).toBeCloseTo(side.frames[2][10], 1);
    expect(f.frames.every((fr) => fr.source?.id === fakes[0].sourceId)).toBe(true);
  });

  it.skipIf(!tools)('is honest: a linear probe on mean colour and file size is near chance, but catches a planted shortcut', async () => {
    const p: BenchmarkProfile = { size: 48, frames: 3, identities: { train: 12, val: 0, test: 0 }, crossIdentities: 2, videosPerIdentity: 1 };
    const out = tempDir('caddm-bench-honest-');
    const res = await generateBenchmark({ out, seed: 5, profile: p, format: 'mp4' });
    const ds = readFFpp(res.ffppRoot);
    const rows: number[][] = [];
    const labels: number[] = [];
    const groups: number[] = [];
    const pairOf = new Map<string, number>();
    (JSON.parse(readFileSync(join(res.ffppRoot, 'splits/train.json'), 'utf8')) as string[][]).forEach(([a, b], i) => {
      pairOf.set(a, i);
      pairOf.set(b, i);
    });
    const all = await decodeAllFramesBatch(ds.entries.map((e) => e.path));
    expect(all).toBeDefined();
    for (const [vi, e] of ds.entries.entries()) {
      const m = [0, 0, 0];
      let n = 0;
      for (const img of all![vi]) {
        for (let i = 0; i < img.data.length; i += 3) {
          m[0] += img.data[i];
          m[1] += img.data[i + 1];
          m[2] += img.data[i + 2];
          n++;
        }
      }
      rows.push([m[0] / n, m[1] / n, m[2] / n, statSync(e.path).size]);
      labels.push(e.label);
      groups.push(pairOf.get(e.id.split('/')[2].split('_')[0])!);
    }
    const acc = crossValidatedAccuracy(rows, labels, groups, 4);
    const stat = (j: number, l: number) => {
      const v = rows.filter((_, i) => labels[i] === l).map((r) => r[j]);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return `${m.toFixed(1)}±${Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length).toFixed(1)}`;
    };
    console.log(`[honesty] real size ${stat(3, 0)} fake size ${stat(3, 1)}; real R ${stat(0, 0)} fake R ${stat(0, 1)}`);
    expect(acc).toBeLessThan(0.66);
    // Power check: the same probe finds a file-size shortcut planted in the fakes (+25%, what
    // encoding fakes about 3 CRF steps finer would give).
    const planted = rows.map((r, i) => (labels[i] ? [r[0], r[1], r[2], r[3] * 1.25] : r));
    const accPlanted = crossValidatedAccuracy(planted, labels, groups, 4);
    console.log(`[honesty] probe balanced accuracy: ${acc.toFixed(3)} (planted shortcut: ${accPlanted.toFixed(3)})`);
    expect(accPlanted).toBeGreaterThan(0.8);
  });
});

describe('ensureBenchmark', () => {
  it('generates and preprocesses once, then reuses both', async () => {
    const dir = tempDir('caddm-ensure-');
    const a = await ensureBenchmark({ dir, seed: 4, profile: 'tiny', format: 'frames' });
    expect(a.generated).toBe(true);
    expect(a.summaries[0].processed).toBe(a.ffpp.entries.length);
    expect(a.summaries[1].processed).toBe(a.cross.entries.length);
    const b = await ensureBenchmark({ dir, seed: 4, profile: 'tiny', format: 'frames' });
    expect(b.generated).toBe(false);
    expect(b.summaries[0].processed).toBe(0);
    expect(b.summaries[0].resumed).toBe(a.ffpp.entries.length);
    expect(b.ffppCache).toBe(a.ffppCache);
  });
});
