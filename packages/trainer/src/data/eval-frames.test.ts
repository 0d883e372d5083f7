import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/index.js';
import { cacheSplits, EvalDataError, manifestEvalFrames, requireEvalVideos } from './eval-frames.js';

/** A cache folder whose manifest lists videos of the given splits (no frames: nothing is decoded here). */
function cache(splits: Array<['train' | 'val' | 'test', 'ok' | 'failed']>): string {
  const dir = mkdtempSync(join(tmpdir(), 'caddm-evalcache-'));
  const lines = splits.map(([split, status], i) =>
    JSON.stringify({ v: 1, id: `ds/original/${i}`, dataset: 'ds', method: 'original', label: 0, split, input: 'x.mp4', status, frameCount: 0, width: 8, height: 8, scale: 1, frames: [] }),
  );
  writeFileSync(join(dir, 'manifest.jsonl'), lines.join('\n') + '\n');
  return dir;
}

describe('evaluation input checks', () => {
  it('counts usable videos per split, leaving failed ones out', () => {
    expect(Object.fromEntries(cacheSplits(cache([['train', 'ok'], ['train', 'ok'], ['test', 'ok'], ['test', 'failed']])))).toEqual({ train: 2, test: 1 });
  });

  it('names a folder that is not a cache, and a split without videos, in one line each', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'caddm-notcache-'));
    expect(() => requireEvalVideos(empty)).toThrow(EvalDataError);
    expect(() => requireEvalVideos(empty)).toThrow(/no manifest\.jsonl, so this is not a preprocessing cache; run 'caddm preprocess'/);
    const c = cache([['train', 'ok'], ['test', 'failed']]);
    expect(() => requireEvalVideos(c, 'val')).toThrow(/has no usable video in split 'val' to evaluate \(it has: train 1\)/);
    expect(() => requireEvalVideos(c, 'train')).not.toThrow();
    // The frame generator checks before yielding anything.
    const it = manifestEvalFrames(c, resolveConfig({}, { profile: 'mini' }), { split: 'test' });
    await expect(it.next()).rejects.toThrow(/no usable video in split 'test'/);
  });
});

describe('cached landmarks that cannot align a face', () => {
  it('name the frame file, the video and the frame, and say to preprocess again', async () => {
    const { writePngFile } = await import('@caddm/datasets');
    const { createImage } = await import('@caddm/image');
    const dir = mkdtempSync(join(tmpdir(), 'caddm-badlm-'));
    writePngFile(join(dir, 'frames/v/000003.png'), createImage(32, 32, 3));
    const frame = { index: 3, file: 'frames/v/000003.png', landmarks: [1, 2, 3, 4, 5, 6] };
    writeFileSync(join(dir, 'manifest.jsonl'), JSON.stringify({ v: 1, id: 'ds/original/v', dataset: 'ds', method: 'original', label: 0, split: 'test', input: 'x.mp4', status: 'ok', frameCount: 4, width: 32, height: 32, scale: 1, frames: [frame] }) + '\n');
    const it = manifestEvalFrames(dir, resolveConfig({}), {});
    await expect(it.next()).rejects.toThrow(EvalDataError);
    const again = manifestEvalFrames(dir, resolveConfig({}), {});
    await expect(again.next()).rejects.toThrow(`${join(dir, 'frames/v/000003.png')} (video ds/original/v, frame 3): its cached landmarks has 3 points, at least 68 are needed; preprocess this video again`);
  });
});
