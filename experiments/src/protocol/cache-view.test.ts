import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest, MANIFEST_VERSION, type ManifestVideo } from '@caddm/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheViewError, dealPairs, videoName, writeCacheView } from './cache-view.js';

const dir = mkdtempSync(join(tmpdir(), 'caddm-view-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A source cache: reals 000-003 (train, train, test, test) and two methods' fakes of 000_001 and 002_003, with frame files on disk. */
function sourceCache(): string {
  const src = join(dir, 'src');
  const videos: ManifestVideo[] = [];
  const video = (id: string, method: string, label: 0 | 1, split: 'train' | 'test', source?: string): ManifestVideo => {
    const file = `frames/${id}/000000.png`;
    mkdirSync(join(src, `frames/${id}`), { recursive: true });
    writeFileSync(join(src, file), id);
    return {
      v: MANIFEST_VERSION, id, dataset: 'ffpp', method, label, split, input: `/in/${id}.mp4`, status: 'ok', frameCount: 1, width: 8, height: 8, scale: 1,
      detector: 'sidecar', points: 68,
      frames: [{ index: 0, file, landmarks: [1, 2], ...(source ? { source: { id: source, index: 0, file: `frames/${source}/000000.png` } } : {}) }],
    };
  };
  for (const [n, split] of [['000', 'train'], ['001', 'train'], ['002', 'test'], ['003', 'test']] as const) videos.push(video(`ffpp/original/${n}`, 'original', 0, split));
  for (const m of ['Deepfakes', 'FaceSwap']) {
    videos.push(video(`ffpp/${m}/000_001`, m, 1, 'train', 'ffpp/original/000'));
    videos.push(video(`ffpp/${m}/002_003`, m, 1, 'test', 'ffpp/original/002'));
  }
  writeFileSync(join(src, 'manifest.jsonl'), videos.map((v) => JSON.stringify(v)).join('\n') + '\n');
  return src;
}

describe('writeCacheView', () => {
  const src = sourceCache();

  it('keeps the selected videos under their new split, with frame and source paths that reach the source files', () => {
    const view = writeCacheView(src, join(dir, 'views', 'df'), (v) => (v.label === 0 || v.method === 'Deepfakes' ? (v.split === 'test' ? 'test' : 'train') : null));
    expect(view.counts).toEqual({ train: { real: 2, fake: 1 }, test: { real: 2, fake: 1 } });
    const { videos } = loadManifest(join(view.dir, 'manifest.jsonl'));
    expect([...videos.keys()].sort()).toEqual(['ffpp/Deepfakes/000_001', 'ffpp/Deepfakes/002_003', 'ffpp/original/000', 'ffpp/original/001', 'ffpp/original/002', 'ffpp/original/003']);
    for (const v of videos.values()) {
      const f = v.frames[0];
      expect(f.file.startsWith('..')).toBe(true);
      expect(readFileSync(join(view.dir, f.file), 'utf8')).toBe(v.id);
      if (v.label === 1) expect(readFileSync(join(view.dir, f.source!.file), 'utf8')).toBe(v.sourceId ?? f.source!.id);
    }
    // The source manifest is untouched.
    expect(loadManifest(join(src, 'manifest.jsonl')).videos.get('ffpp/FaceSwap/000_001')?.split).toBe('train');
  });

  it('re-assigns splits (a tree without a train split becomes trainable)', () => {
    const view = writeCacheView(src, join(dir, 'views', 'resplit'), (v) => (videoName(v).startsWith('000') || videoName(v) === '001' ? 'train' : 'test'));
    expect(view.counts.train).toEqual({ real: 2, fake: 2 });
    expect(view.counts.test).toEqual({ real: 2, fake: 2 });
    const { videos } = loadManifest(join(view.dir, 'manifest.jsonl'));
    expect(videos.get('ffpp/original/002')?.split).toBe('test');
    expect(videos.get('ffpp/FaceSwap/000_001')?.split).toBe('train');
  });

  it('refuses an empty view and a cache without a manifest', () => {
    expect(() => writeCacheView(src, join(dir, 'views', 'none'), () => null)).toThrow(CacheViewError);
    expect(() => writeCacheView(join(dir, 'nowhere'), join(dir, 'views', 'x'), () => 'test')).toThrow(/no preprocessed video/);
  });
});

describe('dealPairs', () => {
  const pairs: Array<[string, string]> = [['506', '509'], ['504', '508'], ['514', '507'], ['505', '513']];

  it('puts both identities and both fakes of a pair in the same part, the first pairs first', () => {
    const part = dealPairs(pairs, 0.5);
    for (const n of ['506', '509', '506_509', '509_506', '504', '508_504']) expect(part.get(n)).toBe('first');
    for (const n of ['514', '507', '514_507', '505', '513_505']) expect(part.get(n)).toBe('second');
    expect(part.size).toBe(16);
  });

  it('keeps the pairs of the same two persons together (two videos per person, one pair per video)', () => {
    const person: Record<string, string> = { '500': 'A', '501': 'A', '502': 'B', '503': 'B', '504': 'C', '505': 'C', '506': 'D', '507': 'D' };
    const byVideo: Array<[string, string]> = [['500', '502'], ['501', '503'], ['504', '506'], ['505', '507']];
    const part = dealPairs(byVideo, 0.5, (v) => person[v]);
    for (const n of ['500', '501', '502', '503', '501_503', '503_501']) expect(part.get(n)).toBe('first');
    for (const n of ['504', '505', '506', '507', '505_507']) expect(part.get(n)).toBe('second');
    // Without the persons, the two videos of A would land on both sides.
    expect(dealPairs(byVideo, 0.25).get('501')).toBe('second');
    // A person paired with two different persons cannot be dealt to one side.
    expect(() => dealPairs([['500', '502'], ['501', '504'], ['503', '505']], 0.5, (v) => person[v])).toThrow(/person [A-D] is paired in both parts/);
  });

  it('keeps at least one pair on each side', () => {
    expect([...dealPairs(pairs, 0.01).values()].filter((p) => p === 'first')).toHaveLength(4);
    expect([...dealPairs(pairs, 0.99).values()].filter((p) => p === 'second')).toHaveLength(4);
  });

  it('rejects fewer than two pairs and fractions outside (0, 1)', () => {
    expect(() => dealPairs(pairs.slice(0, 1), 0.5)).toThrow(/at least two/);
    expect(() => dealPairs(pairs, 1)).toThrow(CacheViewError);
    expect(() => dealPairs(pairs, 0)).toThrow(CacheViewError);
  });
});
