import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { outputNames } from './detect.js';
import { runCli } from './program.js';

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
    const err: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
    try {
      // The inputs are checked before the run is loaded.
      expect(await runCli(['detect', fifo, '--run', '/no/such/run'])).toBe(2);
    } finally {
      process.stderr.write = orig;
    }
    expect(err.join('')).toMatch(/fifo\.jpg: not a regular file \(a pipe, socket or device\)/);
  });
});
