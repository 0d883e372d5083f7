import { describe, expect, it } from 'vitest';
import { FfmpegNotFoundError, STDERR_TAIL, lastLine, runTool } from './index.js';

// These use node itself as the child, so they run without ffmpeg.
const node = process.execPath;

describe('runTool', () => {
  it('feeds stdin and collects stdout as bytes', async () => {
    const input = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) & 0xff);
    const r = await runTool(node, ['-e', 'process.stdin.pipe(process.stdout)'], input);
    expect(r.code).toBe(0);
    expect(Buffer.compare(r.stdout, Buffer.from(input))).toBe(0);
  });

  it('resolves with a non-zero exit code and the stderr tail instead of rejecting', async () => {
    const r = await runTool(node, ['-e', `process.stderr.write('x'.repeat(${STDERR_TAIL + 1000}) + '\\nfirst\\n  the reason  \\n\\n'); process.exit(3)`]);
    expect(r.code).toBe(3);
    expect(r.stderr.length).toBe(STDERR_TAIL);
    expect(lastLine(r.stderr)).toBe('the reason');
  });

  it('rejects with FfmpegNotFoundError naming a binary that cannot start', async () => {
    const bin = '/nonexistent/caddm/ffmpeg';
    const e = await runTool(bin, ['-version']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FfmpegNotFoundError);
    expect((e as FfmpegNotFoundError).message).toContain(`cannot run ${bin}`);
    expect((e as FfmpegNotFoundError).path).toBe(bin);
  });
});

describe('lastLine', () => {
  it('is the last non-blank line, or a placeholder', () => {
    expect(lastLine('a\r\nb\r\n \r\n')).toBe('b');
    expect(lastLine('  \n')).toBe('(no message)');
    expect(lastLine('')).toBe('(no message)');
  });
});
