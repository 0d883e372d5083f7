import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LandmarkDetector } from '../preprocess/detector.js';
import { preprocess } from '../preprocess/preprocess.js';
import { readFFpp } from '../readers/ffpp.js';
import { copyTo, ffmpegForTests, syntheticFrames, tempDir, writeText } from '../testing/fixtures.js';
import { encodeMp4 } from '../video/encode.js';
import { mergePreprocessShards } from './merge-cache.js';
import { parseShard, shardOf, stableHash } from './shard.js';
import { fileTree } from '@caddm/testkit';

describe('parseShard', () => {
  it('reads I/N, and the index and count from SLURM job arrays or Kubernetes Indexed Jobs', () => {
    expect(parseShard('2/4', {})).toEqual({ index: 2, count: 4 });
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '4', SLURM_ARRAY_TASK_COUNT: '3' })).toEqual({ index: 1, count: 3 });
    expect(parseShard('auto/8', { JOB_COMPLETION_INDEX: '7' })).toEqual({ index: 7, count: 8 });
    expect(() => parseShard('4/4', {})).toThrow('--shard 4/4: the index must be an integer from 0 to 3');
    expect(() => parseShard('auto', { JOB_COMPLETION_INDEX: '1' })).toThrow(/the shard count is unknown .*give --shard auto\/N/);
    expect(() => parseShard('auto/2', {})).toThrow(/neither SLURM_ARRAY_TASK_ID .* nor JOB_COMPLETION_INDEX/);
    expect(() => parseShard('first', {})).toThrow(/expected I\/N/);
  });

  it('partitions by a stable hash: fixed values, every key in exactly one shard, roughly even', () => {
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('a')).toBe(0xe40c292c); // FNV-1a 32 test vector
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardOf(`ffpp/original/${String(i).padStart(3, '0')}`, 4)]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});

/** Landmarks that encode the frame's content (green = 20 + 8 i), as in the preprocess tests. */
const detector: LandmarkDetector = {
  name: 'fake',
  async detect(frame) {
    let s = 0;
    for (let i = 1; i < frame.data.length; i += 3) s += frame.data[i];
    const idx = Math.round((s / (frame.data.length / 3) - 20) / 8);
    const lm = new Float32Array(136);
    for (let p = 0; p < 68; p++) [lm[2 * p], lm[2 * p + 1]] = [idx + (p % 5), p % 17];
    return [{ landmarks: lm, score: 1 }];
  },
};

const tools = ffmpegForTests();
describe.skipIf(!tools)('sharded preprocessing', () => {
  let root = '';
  beforeAll(async () => {
    root = tempDir('caddm-shard-');
    const o = (n: string) => join(root, 'original_sequences/youtube/c23/videos', `${n}.mp4`);
    const m = (k: string, n: string) => join(root, `manipulated_sequences/${k}/c23/videos`, `${n}.mp4`);
    await encodeMp4(syntheticFrames(12), o('000'), { fps: 10 });
    copyTo(o('000'), [o('001'), o('002'), o('003'), o('004'), o('005'), m('Deepfakes', '000_001'), m('Deepfakes', '001_000'), m('Deepfakes', '002_003'), m('Face2Face', '003_002'), m('Face2Face', '004_005'), m('Deepfakes', '005_004')]);
    writeFileSync(o('006'), 'not a video'.repeat(20));
    writeText(join(root, 'splits/train.json'), JSON.stringify([['000', '001'], ['002', '003'], ['004', '005']]));
  });

  it('3 shards merged give the single-process cache, byte for byte; a missing or unfinished shard, or other settings, are refused', async () => {
    const ds = readFFpp(root);
    const single = tempDir('caddm-shard-single-');
    await preprocess(ds, { out: single, frames: 4, detector, tools: tools!, progress: false });
    const sharded = tempDir('caddm-shard-out-');
    const run = (index: number, frames = 4) => preprocess(ds, { out: sharded, frames, detector, tools: tools!, progress: false, shard: { index, count: 3 } });
    const parts = [await run(0), await run(2)];
    expect(() => mergePreprocessShards(sharded)).toThrow(/cannot merge 3 shards: missing shard\(s\) 1; run those indices again \(--shard I\/3\), then merge/);
    // A shard cut short (its manifest lacks videos) is unfinished.
    const s1 = await run(1);
    parts.push(s1);
    expect(parts.reduce((a, p) => a + p.entries, 0)).toBe(ds.entries.length);
    const summary1 = join(sharded, 'shards/1-of-3/summary.json');
    const good = readFileSync(summary1, 'utf8');
    writeFileSync(summary1, JSON.stringify({ ...JSON.parse(good), processed: 0, resumed: 0 }));
    expect(() => mergePreprocessShards(sharded)).toThrow(/unfinished shard\(s\) 1/);
    // A shard made with other settings.
    renameSync(join(sharded, 'shards/1-of-3'), join(sharded, 'shard1-kept'));
    await run(1, 5);
    expect(() => mergePreprocessShards(sharded)).toThrow(/shard 1 was made with other settings than shard 0 \(frames\)/);
    rmSync(join(sharded, 'shards/1-of-3'), { recursive: true });
    renameSync(join(sharded, 'shard1-kept'), join(sharded, 'shards/1-of-3'));
    writeFileSync(summary1, good);

    const r = mergePreprocessShards(sharded);
    expect(r.videos).toBe(ds.entries.length);
    const a = fileTree(single);
    const b = fileTree(sharded);
    a.delete('summary.json');
    b.delete('summary.json');
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);
    expect(JSON.parse(readFileSync(join(sharded, 'summary.json'), 'utf8'))).toMatchObject({ mergedShards: 3, entries: ds.entries.length });
    expect(() => mergePreprocessShards(sharded)).toThrow(/no shards to merge/);
    mkdirSync(join(sharded, 'shards/0-of-2'), { recursive: true });
    mkdirSync(join(sharded, 'shards/0-of-3'), { recursive: true });
    expect(() => mergePreprocessShards(sharded)).toThrow(/shards of different counts \(of-2, of-3\)/);
  });
});
