import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { outputNames } from './detect.js';
import { runCliCaptured } from './__fixtures__/run-cli.js';

describe('detect output names', () => {
  it('keeps same-named inputs apart with their folders, and leaves distinct names alone', () => {
    expect(outputNames(['/a/d1/face.jpg', '/a/d2/face.jpg', '/a/d2/other.png'])).toEqual(['d1_face', 'd2_face', 'other']);
    expect(outputNames(['/x/a/same/f.jpg', '/x/b/same/f.jpg'])).toEqual(['a_same_f', 'b_same_f']);
    expect(outputNames(['/p/f.jpg', '/p/f.jpg'])).toEqual(['p_f', 'p_f-2']);
    expect(outputNames(['/p/clip.mp4', '/q/clip.png'])).toEqual(['p_clip', 'q_clip']);
  });

  it('refuses a named pipe at once instead of blocking on it', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'caddm-fifo-')), 'fifo.jpg');
    execFileSync('mkfifo', [fifo]);
    // The inputs are checked before the run is loaded.
    const r = await runCliCaptured(['detect', fifo, '--run', '/no/such/run']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/fifo\.jpg: not a regular file \(a pipe, socket or device\)/);
  });
});

describe('detect on a truncated video', () => {
  it('says in the text output how many sampled frames could not be read, and which', async () => {
    const { encodeMp4 } = await import('@caddm/datasets');
    const { createImage } = await import('@caddm/image');
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { importWeights } = await import('../import-weights.js');
    const { initBackend } = await import('@caddm/tf');
    await initBackend({ quiet: true });
    const dir = mkdtempSync(join(tmpdir(), 'caddm-trunc-'));
    const frames = Array.from({ length: 30 }, (_, i) => {
      const img = createImage(48, 48, 3);
      img.data.fill((i * 8) % 256);
      return img;
    });
    const whole = join(dir, 'whole.mp4');
    await encodeMp4(frames, whole, { fps: 10 });
    const bytes = readFileSync(whole);
    const cut = join(dir, 'cut.mp4');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.85)));
    const run = join(dir, 'run');
    await importWeights({ file: fileURLToPath(new URL('../__fixtures__/reference-caddm/epoch_0.pkl', import.meta.url)), arch: 'resnet34', out: run, overrides: { 'model.width': 0.03125 } });
    const r = await runCliCaptured(['detect', cut, '--run', run, '--frames', '10']);
    if (r.code !== 0) throw new Error(r.out);
    expect(r.out).toMatch(/cut\.mp4: video P\(fake\) n\/a over 0 frame\(s\) with a face; \d+ of 10 sampled frame\(s\) could not be decoded \(frames \d+(, \d+)*\): frame \d+ could not be decoded/);
  }, 120_000);
});
