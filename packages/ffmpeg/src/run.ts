/**
 * Running ffmpeg / ffprobe as a child process.
 */
import { spawn } from 'node:child_process';
import { FfmpegNotFoundError } from './errors.js';

/** Exit code, stdout and the tail of stderr of one {@link runTool}. */
export interface ToolResult {
  /** Exit code (null when killed by a signal). */
  code: number | null;
  /** Everything written to stdout. */
  stdout: Buffer;
  /** stderr as text (its last 64 KiB). */
  stderr: string;
}

/** How much of stderr {@link runTool} keeps, in characters. */
export const STDERR_TAIL = 65536;

/**
 * Runs a tool with `args`, feeding `input` to stdin (stdin is closed when there is none),
 * collecting stdout and the tail of stderr. Never rejects for a non-zero exit: callers turn
 * `code` and `stderr` (see {@link lastLine}) into their own typed errors.
 * @param bin - executable path (e.g. from {@link requireFfmpeg})
 * @throws FfmpegNotFoundError (as a rejection) when the executable cannot be started
 */
export function runTool(bin: string, args: readonly string[], input?: Uint8Array): Promise<ToolResult> {
  return new Promise((resolveP, rejectP) => {
    const child = spawn(bin, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      if (err.length > STDERR_TAIL) err = err.slice(-STDERR_TAIL);
    });
    child.on('error', (e) => rejectP(new FfmpegNotFoundError(`cannot run ${bin}: ${e.message}`, bin, [bin], bin)));
    child.on('close', (code) => resolveP({ code, stdout: Buffer.concat(out), stderr: err }));
    if (input && child.stdin) {
      child.stdin.on('error', () => {
        /* the tool may exit before reading everything; its exit code tells */
      });
      child.stdin.end(input);
    }
  });
}

/** The last non-empty line of a tool's stderr (ffmpeg puts the reason there), or `(no message)`. */
export function lastLine(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines[lines.length - 1] : '(no message)';
}
