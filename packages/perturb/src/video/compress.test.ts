import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INSTALL_HINT, runTool, searchTool } from '@caddm/ffmpeg';
import { createImage, createRng, type ImageU8 } from '@caddm/image';
import { missingForTests } from '@caddm/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { PERTURBATIONS, PerturbArgumentError, VideoCompressionError, compressFrames, compressVideo, findFfmpeg, perturbFrames } from '../index.js';
import { firstDiff, psnr, waves } from '../__fixtures__/test-util.js';

/** The ffmpeg these tests run; none fails under CI=true and skips them, with a message, otherwise. */
const ffmpeg = findFfmpeg() ?? missingForTests(`ffmpeg not found (tried: ${searchTool('ffmpeg').tried.join('; ')})`, INSTALL_HINT);

/** `n` frames of a smooth pattern panning 2 pixels per frame. */
function panning(n: number, h: number, w: number): ImageU8[] {
  const base = waves(h, w + 2 * n);
  const bw = w + 2 * n;
  const out: ImageU8[] = [];
  for (let i = 0; i < n; i++) {
    const f = createImage(h, w, 3);
    for (let y = 0; y < h; y++) f.data.set(base.data.subarray((y * bw + 2 * i) * 3, (y * bw + 2 * i + w) * 3), y * w * 3);
    out.push(f);
  }
  return out;
}

function meanPsnr(a: readonly ImageU8[], b: readonly ImageU8[]): number {
  return a.reduce((s, f, i) => s + psnr(f.data, b[i].data), 0) / a.length;
}

const tmpDirs: string[] = [];
afterAll(() => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe.skipIf(!ffmpeg)('compressFrames (VC)', () => {
  const frames = panning(6, 48, 64);

  it('round-trips every frame, losing more at higher CRF levels; perturbFrames does the same, deterministically', async () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('caddm-vc-')).length;
    const levels = [1, 3, 5]; // each call costs two ffmpeg start-ups
    const [outs, viaPerturb] = await Promise.all([
      Promise.all(levels.map((l) => compressFrames(frames, PERTURBATIONS.VC.params[l - 1]))),
      perturbFrames(frames, { type: 'VC', level: 5 }, createRng(0)),
    ]);
    const scores = outs.map((out) => {
      expect(out).toHaveLength(frames.length);
      for (const f of out) expect(f.shape).toEqual([48, 64, 3]);
      return meanPsnr(frames, out);
    });
    for (let i = 1; i < scores.length; i++) expect(scores[i], `level ${levels[i]} vs ${levels[i - 1]}`).toBeLessThan(scores[i - 1]);
    expect(scores[0]).toBeGreaterThan(20); // still the same pictures
    expect(scores[0] - scores[2]).toBeGreaterThan(1);
    viaPerturb.forEach((f, i) => expect(firstDiff(f.data, outs[2][i].data)).toBe(-1));
    // temporary files are gone
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('caddm-vc-')).length).toBeLessThanOrEqual(before);
  });

  it('handles odd frame sizes (padded for yuv420p, cropped back)', async () => {
    const odd = panning(3, 47, 63);
    const out = await compressFrames(odd, 30);
    expect(out.map((f) => f.shape)).toEqual([[47, 63, 3], [47, 63, 3], [47, 63, 3]]);
    expect(meanPsnr(odd, out)).toBeGreaterThan(20);
  });

  it('rejects bad input before running ffmpeg', async () => {
    await expect(compressFrames([], 30)).rejects.toThrow(/at least one frame/);
    await expect(compressFrames([frames[0], createImage(10, 10, 3)], 30)).rejects.toThrow(/frame 1 is 10x10x3, expected 64x48x3/);
    await expect(compressFrames([createImage(8, 8, 1)], 30)).rejects.toThrow(PerturbArgumentError);
    await expect(compressFrames(frames, 52)).rejects.toThrow(/CRF must be a number in 0\.\.51/);
    await expect(compressFrames(frames, 30, { preset: 'fast; rm -rf' })).rejects.toThrow(/preset must be a word/);
  });
});

describe.skipIf(!ffmpeg)('compressVideo (VC on a file)', () => {
  it('re-encodes a video at the given CRF, atomically, smaller at higher CRF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caddm-perturb-test-'));
    tmpDirs.push(dir);
    const input = join(dir, 'in.mp4');
    const made = await runTool(ffmpeg!, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=96x64:rate=25', '-frames:v', '10', '-c:v', 'libx264', '-crf', '0', '-pix_fmt', 'yuv420p', input]);
    expect(made.code, made.stderr).toBe(0);
    const decode = async (p: string): Promise<Uint8Array> => {
      const r = await runTool(ffmpeg!, ['-v', 'error', '-i', p, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };

    const out30 = join(dir, 'sub', 'out30.mp4');
    const out40 = join(dir, 'out40.mp4');
    await Promise.all([compressVideo(input, out30, 30), compressVideo(input, out40, 40)]);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['out30.mp4']); // no temporary left behind
    const [src, a, b] = await Promise.all([decode(input), decode(out30), decode(out40)]);
    expect(src.length).toBe(10 * 96 * 64 * 3);
    expect(a.length).toBe(src.length);
    expect(b.length).toBe(src.length);
    expect(psnr(src, b)).toBeLessThan(psnr(src, a));
    expect(statSync(out40).size).toBeLessThan(statSync(out30).size);

    await expect(compressVideo(join(dir, 'missing.mp4'), join(dir, 'x.mp4'), 30)).rejects.toThrow(/does not exist/);
    await expect(compressVideo(input, input, 30)).rejects.toThrow(/same file/);
    const notVideo = join(dir, 'not-a-video.mp4');
    writeFileSync(notVideo, 'hello');
    const junk = join(dir, 'junk.mp4');
    await expect(compressVideo(notVideo, junk, 30)).rejects.toThrow(VideoCompressionError);
    expect(existsSync(junk)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['in.mp4', 'not-a-video.mp4', 'out40.mp4', 'sub']);
  });
});
