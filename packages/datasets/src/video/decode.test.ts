import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from '@caddm/ffmpeg';
import { beforeAll, describe, expect, it } from 'vitest';
import { VideoDecodeError } from '../errors.js';
import { writePngFile } from '../io/read-image.js';
import { ffmpegForTests, syntheticFrames, tempDir, writeTinyMp4 } from '../testing/fixtures.js';
import { decodeMediaFrames, decodeVideoFrames, probeMedia, probeVideo, sampleFrameIndices } from './decode.js';

/** Mean green of a frame: the synthetic frames encode their index as 20 + 8 i. */
function frameIndexOf(img: { data: Uint8Array }): number {
  let s = 0;
  for (let i = 1; i < img.data.length; i += 3) s += img.data[i];
  return Math.round((s / (img.data.length / 3) - 20) / 8) + 0;
}

describe('sampleFrameIndices', () => {
  it('matches numpy linspace(0, n-1, k, dtype=int) and removes duplicates', () => {
    expect(sampleFrameIndices(300, 4)).toEqual([0, 99, 199, 299]);
    expect(sampleFrameIndices(10, 32)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sampleFrameIndices(100, 32).length).toBe(32);
    expect(sampleFrameIndices(100, 32)[31]).toBe(99);
    expect(sampleFrameIndices(7, 1)).toEqual([0]);
    expect(sampleFrameIndices(0, 32)).toEqual([]);
    expect(() => sampleFrameIndices(10, 0)).toThrow(/positive integer/);
  });
});

const tools = ffmpegForTests();
describe.skipIf(!tools)('video decoding', () => {
  const dir = tempDir('caddm-decode-');
  const mp4 = join(dir, 'v.mp4');
  beforeAll(async () => {
    await writeTinyMp4(mp4, 20, 32, 24);
  });

  it('probes the frame count and size from the MP4 boxes, and other containers with ffmpeg alone', async () => {
    expect(await probeVideo(mp4, tools!)).toMatchObject({ frameCount: 20, width: 32, height: 24, countedBy: 'mp4' });
    const other = join(dir, 'v.bin');
    copyFileSync(mp4, other);
    const want = { frameCount: 20, width: 32, height: 24, fps: 10, countedBy: 'packets' };
    expect(await probeVideo(other, { ffmpeg: tools!.ffmpeg })).toEqual(want);
    // An ffprobe, when one is found, changes nothing: it is not used.
    expect(await probeVideo(other, { ffmpeg: tools!.ffmpeg, ffprobe: join(dir, 'no-such-ffprobe') })).toEqual(want);
  });

  it('decodes exactly the requested frames', async () => {
    const idx = sampleFrameIndices(20, 5);
    expect(idx).toEqual([0, 4, 9, 14, 19]);
    const { frames, missing } = await decodeVideoFrames(mp4, idx, tools!);
    expect(missing).toEqual([]);
    expect([...frames.keys()]).toEqual(idx);
    for (const [i, f] of frames) {
      expect(f.shape).toEqual([24, 32, 3]);
      expect(frameIndexOf(f)).toBe(i);
    }
  });

  it('reads files whose names look like ffmpeg protocols (pipe:0.mp4, take:1.bin) as files', async () => {
    for (const name of ['pipe:0.mp4', 'take:1.bin']) {
      const odd = join(dir, name);
      copyFileSync(mp4, odd);
      const { frames, missing } = await decodeVideoFrames(odd, [2, 7], tools!);
      expect(missing).toEqual([]);
      expect([...frames.values()].map(frameIndexOf)).toEqual([2, 7]);
    }
    expect(await probeVideo(join(dir, 'take:1.bin'), { ffmpeg: tools!.ffmpeg })).toMatchObject({ frameCount: 20, countedBy: 'packets' });
  });

  it('reports frames past the end of a video as missing', async () => {
    const { frames, missing, error } = await decodeVideoFrames(mp4, [3, 19, 25, 40], tools!);
    expect([...frames.keys()]).toEqual([3, 19]);
    expect(missing).toEqual([25, 40]);
    expect(error).toMatch(/ends after 2/);
  });

  it('throws one VideoDecodeError line naming corrupt and truncated files, the problem and what to do', async () => {
    const junk = join(dir, 'junk.mp4');
    writeFileSync(junk, Buffer.from('this is not a video at all'.repeat(20)));
    // The same words from probing and from decoding, whichever ffmpeg build runs (ffmpeg's own
    // reason sits in the middle, without the file name it starts with).
    const said = /^cannot read video (\S+junk\.mp4): (.+); check that it plays, then re-copy or re-encode it, or leave it out$/;
    for (const attempt of [() => probeVideo(junk, tools!), () => decodeVideoFrames(junk, [0], tools!)]) {
      const e = await attempt().then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(VideoDecodeError);
      const m = said.exec((e as VideoDecodeError).message);
      expect(m, (e as Error).message).not.toBeNull();
      expect(m![1]).toBe(junk);
      expect((e as VideoDecodeError).path).toBe(junk);
      expect(m![2]).not.toContain(junk);
      expect((e as Error).message).not.toContain('\n');
    }
    const silent = join(dir, 'silent.mkv');
    const made = await runTool(tools!.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono', '-t', '0.2', '-c:a', 'pcm_s16le', silent]);
    expect(made.code, made.stderr).toBe(0);
    await expect(probeVideo(silent, tools!)).rejects.toThrow(`cannot read video ${silent}: no video stream; check that it plays`);
    const cut = join(dir, 'cut.mp4');
    const bytes = readFileSync(mp4);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 3)));
    // Either the probe fails, or decoding yields fewer frames: never a silent success.
    let outcome = 'ok';
    try {
      const info = await probeVideo(cut, tools!);
      const r = await decodeVideoFrames(cut, sampleFrameIndices(info.frameCount, 20), tools!);
      if (r.missing.length > 0) outcome = 'partial';
    } catch (e) {
      expect(e).toBeInstanceOf(VideoDecodeError);
      outcome = 'error';
    }
    expect(outcome).not.toBe('ok');
  });

  it('reads frames folders and single images like videos', async () => {
    const fdir = join(dir, 'frames');
    syntheticFrames(6).forEach((f, i) => writePngFile(join(fdir, `${String(i).padStart(3, '0')}.png`), f));
    expect((await probeMedia(fdir, 'frames')).frameCount).toBe(6);
    const r = await decodeMediaFrames(fdir, 'frames', [1, 5, 9]);
    expect([...r.frames.keys()]).toEqual([1, 5]);
    expect(frameIndexOf(r.frames.get(5)!)).toBe(5);
    expect(r.missing).toEqual([9]);
    const one = await decodeMediaFrames(join(fdir, '002.png'), 'image', [0]);
    expect(frameIndexOf(one.frames.get(0)!)).toBe(2);
  });
});
