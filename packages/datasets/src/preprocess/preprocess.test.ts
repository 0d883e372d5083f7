import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImageFile } from '../io/read-image.js';
import { readFFpp } from '../readers/ffpp.js';
import { encodeMp4 } from '../video/encode.js';
import { copyTo, ffmpegForTests, syntheticFrames, tempDir, writeText } from '../testing/fixtures.js';
import type { LandmarkDetector } from './detector.js';
import { loadManifest } from './manifest.js';
import { formatSummary, preprocess } from './preprocess.js';

/**
 * A fake detector whose landmarks encode the frame's content: all 68 points sit at
 * x = frame index read from the pixels (green = 20 + 8 i), y = point number; frame 9 has no face.
 */
const fakeDetector: LandmarkDetector = {
  name: 'fake',
  async detect(frame) {
    let s = 0;
    for (let i = 1; i < frame.data.length; i += 3) s += frame.data[i];
    const idx = Math.round((s / (frame.data.length / 3) - 20) / 8) + 0;
    if (idx === 9) return [];
    const lm = new Float32Array(136);
    for (let p = 0; p < 68; p++) {
      lm[2 * p] = idx + (p % 5);
      lm[2 * p + 1] = p % 17;
    }
    // A second, smaller face that must not be chosen.
    return [{ landmarks: lm.map((v) => v / 4), score: 0.99 }, { landmarks: lm, score: 0.9 }];
  },
};

const tools = ffmpegForTests();

describe.skipIf(!tools)('preprocess', () => {
  let root = '';
  beforeAll(async () => {
    root = tempDir('caddm-pp-');
    const o = (n: string) => join(root, 'original_sequences/youtube/c23/videos', `${n}.mp4`);
    const m = (n: string) => join(root, 'manipulated_sequences/Deepfakes/c23/videos', `${n}.mp4`);
    // Two encodes, copied: ffmpeg start-up dominates on a loaded machine.
    await encodeMp4(syntheticFrames(20), o('000'), { fps: 10 });
    // The fake 000_001 is SHORTER than its source 000: indices come from the source's length.
    await encodeMp4(syntheticFrames(16), m('000_001'), { fps: 10 });
    copyTo(o('000'), [o('001'), m('001_000'), m('002_001'), m('005_004')]);
    writeFileSync(o('002'), 'corrupt'.repeat(50));
    writeText(join(root, 'splits/train.json'), JSON.stringify([['000', '001'], ['002', '003']]));
  });

  it('caches per-frame landmarks and same-index source frames, reports every problem, and resumes after an interruption', async () => {
    const ds = readFFpp(root);
    const out = tempDir('caddm-pp-out-');
    const ctrl = new AbortController();
    let seen = 0;
    const stopping: LandmarkDetector = {
      name: 'fake',
      detect: async (f, ctx) => {
        if (ctx.frameIndex === 0 && ++seen === 2) ctrl.abort(); // stop after the 2nd video
        return fakeDetector.detect(f, ctx);
      },
    };
    const chunks: string[] = [];
    const stream = { write: (s: string) => (chunks.push(s), true), isTTY: false } as unknown as NodeJS.WritableStream;
    const first = await preprocess(ds, { out, frames: 5, detector: stopping, signal: ctrl.signal, progress: stream });
    expect(first.aborted).toBe(true);
    expect(first.processed).toBe(2);
    // Simulate a kill in the middle of writing the next manifest line.
    appendFileSync(join(out, 'manifest.jsonl'), '{"v":1,"id":"ffpp/Deepfakes/000_0');

    const second = await preprocess(ds, { out, frames: 5, detector: fakeDetector, progress: stream });
    expect(second.repaired).toBe(true);
    expect(second.resumed).toBe(2);
    expect(second.processed).toBe(ds.entries.length - 2);
    const text = chunks.join('');
    expect(text).toMatch(/preprocess ffpp \[/);
    expect(text).toMatch(/ETA/);
    expect(text).toMatch(/repaired the manifest/);

    const { videos, repaired } = loadManifest(join(out, 'manifest.jsonl'));
    expect(repaired).toBe(false);
    expect(readFileSync(join(out, 'manifest.jsonl'), 'utf8').trim().split('\n').length).toBe(ds.entries.length);
    const orig = videos.get('ffpp/original/000')!;
    expect(orig.status).toBe('ok');
    expect(orig.frames.map((f) => f.index)).toEqual([0, 4, 9, 14, 19]);
    // Landmarks are per frame (bug 5): each frame's landmarks encode its own index; the larger face is kept.
    for (const f of orig.frames) {
      if (f.index === 9) expect(f.landmarks).toBeNull();
      else expect(f.landmarks![0]).toBe(f.index);
      expect(existsSync(join(out, f.file))).toBe(true);
    }
    const img = await readImageFile(join(out, orig.frames[1].file));
    expect(img.shape).toEqual([32, 32, 3]);

    // 001_000: source 001 (20 frames); every frame has its same-index source frame.
    const f1 = videos.get('ffpp/Deepfakes/001_000')!;
    expect(f1.frames.map((f) => f.source?.index)).toEqual([0, 4, 9, 14, 19]);
    expect(f1.frames.every((f) => f.source?.id === 'ffpp/original/001' && existsSync(join(out, f.source.file)))).toBe(true);
    // 000_001 has 16 frames: indices come from the source's 20 frames, so frame 19 is missing and reported.
    const f0 = videos.get('ffpp/Deepfakes/000_001')!;
    expect(f0.frameCount).toBe(16);
    expect(f0.frames.map((f) => f.index)).toEqual([0, 4, 9, 14]);
    expect(f0.missingFrames).toEqual([19]);
    expect(f0.frames.every((f) => f.source?.id === 'ffpp/original/000')).toBe(true);

    // The corrupt source fails; its fake keeps its frames with the reason its source is missing.
    expect(videos.get('ffpp/original/002')!.status).toBe('failed');
    const f2 = videos.get('ffpp/Deepfakes/002_001')!;
    expect(f2.frames.every((f) => f.source === null && /002 failed/.test(f.sourceMissing!))).toBe(true);
    const f5 = videos.get('ffpp/Deepfakes/005_004')!;
    expect(f5.frames.every((f) => f.source === null && /names no source/.test(f.sourceMissing!))).toBe(true);

    // The summary names each problem's file.
    expect(second.failed.map((s) => s.id)).toEqual(['ffpp/original/002']);
    expect(second.missingSources.map((s) => s.id).sort()).toEqual(['ffpp/Deepfakes/002_001', 'ffpp/Deepfakes/005_004']);
    expect(second.missingFrames.map((s) => s.id)).toEqual(['ffpp/Deepfakes/000_001']);
    expect(second.noFace.length).toBe(ds.entries.length - 1);
    expect(second.noFace.every((s) => s.frames.join() === '9')).toBe(true);
    // One line naming the file, the problem and what to do, whichever ffmpeg build read it.
    expect(text).toMatch(/original_sequences\/youtube\/c23\/videos\/002\.mp4: cannot read video \S+\/002\.mp4: [^\n]+; check that it plays, then re-copy or re-encode it, or leave it out\n/);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).failed.length).toBe(1);

    // A third run has nothing left to do.
    const third = await preprocess(ds, { out, frames: 5, detector: fakeDetector, progress: false });
    expect(third.processed).toBe(0);
    expect(third.resumed).toBe(ds.entries.length);
  });

  it("says what the dataset reader left out, in the summary and in its text", async () => {
    const small = tempDir('caddm-pp-skip-');
    const src = join(root, 'original_sequences/youtube/c23/videos/000.mp4');
    copyTo(src, [
      join(small, 'original_sequences/youtube/c23/videos/000.mp4'),
      join(small, 'original_sequences/youtube/c23/videos/001.mp4'),
      join(small, 'manipulated_sequences/Deepfakes/c23/videos/000_001.mp4'),
      join(small, 'manipulated_sequences/Deepfakes/c23/videos/badly named.mp4'),
    ]);
    writeText(join(small, 'splits/train.json'), JSON.stringify([['000', '001']]));
    const ds = readFFpp(small);
    // The badly named fake, and the fake 001_000 that the split's pair promises but the tree lacks.
    expect(ds.skipped.map((k) => k.path)).toEqual([expect.stringContaining('badly named.mp4'), expect.stringContaining('001_000.mp4')]);
    const summary = await preprocess(ds, { out: tempDir('caddm-pp-skip-out-'), frames: 2, detector: fakeDetector, progress: false });
    expect(summary.readerSkipped).toEqual(ds.skipped);
    const text = formatSummary(summary);
    expect(text).toContain('  inputs the dataset reader left out: 2');
    for (const k of ds.skipped) expect(text).toContain(`    ${k.path}: ${k.reason}`);
    expect(JSON.parse(readFileSync(join(summary.out, 'summary.json'), 'utf8')).readerSkipped).toHaveLength(2);
  });

  it('preprocesses only a subset plus the sources of its fakes', async () => {
    const ds = readFFpp(root);
    const out = tempDir('caddm-pp-sub-');
    const s = await preprocess(ds, { out, frames: 2, detector: fakeDetector, ids: ['ffpp/Deepfakes/001_000'], progress: false, forehead: false });
    expect(s.processed).toBe(2);
    const { videos } = loadManifest(join(out, 'manifest.jsonl'));
    expect([...videos.keys()]).toEqual(['ffpp/original/001', 'ffpp/Deepfakes/001_000']);
    await expect(preprocess(ds, { out, detector: fakeDetector, ids: ['nope'], progress: false })).rejects.toThrow(/id nope is not in dataset ffpp/);
  });
});
