/**
 * Helpers for this package's tests: tiny real mp4 files and dataset trees in temporary
 * folders (test-only: left out of the build).
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createImage, type ImageU8 } from '@caddm/image';
import { INSTALL_HINT, findFfmpegTools, searchTool, type FfmpegTools } from '@caddm/ffmpeg';
import { missingForTests } from '@caddm/testkit';
import { encodeMp4 } from '../video/encode.js';

/**
 * ffmpeg for tests: undefined when missing (tests then skip with a message), but throws
 * when `CI=true`, where a missing ffmpeg must fail loudly (testkit's rule). ffprobe is
 * never needed: the video code works with ffmpeg alone.
 */
export function ffmpegForTests(): FfmpegTools | undefined {
  return findFfmpegTools() ?? missingForTests(`ffmpeg not found (tried: ${searchTool('ffmpeg').tried.join('; ')})`, INSTALL_HINT);
}

/** A new temporary folder. */
export function tempDir(prefix = 'caddm-ds-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** `n` synthetic frames whose pixels encode the frame index (a moving bar on a flat colour). */
export function syntheticFrames(n: number, w = 32, h = 32, tint = 0): ImageU8[] {
  const out: ImageU8[] = [];
  for (let i = 0; i < n; i++) {
    const img = createImage(h, w, 3);
    const d = img.data;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = (y * w + x) * 3;
        const bar = Math.abs(x - ((i * 3) % w)) < 3;
        d[o] = bar ? 250 : (40 + tint) & 0xff;
        d[o + 1] = Math.min(255, 20 + i * 8);
        d[o + 2] = bar ? 10 : 120;
      }
    }
    out.push(img);
  }
  return out;
}

/** Writes a tiny mp4 of `n` synthetic frames. */
export async function writeTinyMp4(path: string, n = 6, w = 32, h = 32): Promise<void> {
  await encodeMp4(syntheticFrames(n, w, h), path, { fps: 10 });
}

/** Copies one template file to many paths (creating folders). */
export function copyTo(template: string, paths: readonly string[]): void {
  for (const p of paths) {
    mkdirSync(dirname(p), { recursive: true });
    copyFileSync(template, p);
  }
}

/** Writes a text/JSON file, creating folders. */
export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
