import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ffmpegFile } from './file-arg.js';

describe('ffmpegFile', () => {
  it('gives every path as an absolute file: URL, so no name is read as a protocol', () => {
    expect(ffmpegFile('pipe:0.mp4')).toBe(`file:${join(process.cwd(), 'pipe:0.mp4')}`);
    expect(ffmpegFile('/data/take:1.mp4')).toBe('file:/data/take:1.mp4');
    expect(ffmpegFile('a/../v.mp4')).toBe(`file:${resolve('v.mp4')}`);
  });
});
