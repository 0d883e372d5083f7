/**
 * Finding and running ffmpeg. Same search order as `@caddm/datasets` (which this package
 * does not import: it would pull in tfjs and face-api): the `CADDM_FFMPEG` environment
 * variable, then `ffmpeg` on `PATH` (Debian's package), then the npm package
 * `@ffmpeg-installer/ffmpeg` when it can be resolved.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { FfmpegNotFoundError, VideoCompressionError } from '../errors.js';

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (executable(p)) return p;
  }
  return undefined;
}

function fromNpm(): string | undefined {
  try {
    const mod = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path?: string };
    return mod.path && executable(mod.path) ? mod.path : undefined;
  } catch {
    return undefined;
  }
}

let cached: string | null | undefined;

/**
 * The path of an ffmpeg executable, or undefined when none is found. Cached; pass
 * `refresh` to look again (after changing `CADDM_FFMPEG` or `PATH`).
 */
export function findFfmpeg(refresh = false): string | undefined {
  if (cached !== undefined && !refresh) return cached ?? undefined;
  const env = process.env.CADDM_FFMPEG;
  cached = (env && executable(env) ? env : undefined) ?? onPath('ffmpeg') ?? fromNpm() ?? null;
  return cached ?? undefined;
}

/**
 * Like {@link findFfmpeg} but throws when there is none.
 * @throws FfmpegNotFoundError naming the ways to install one
 */
export function requireFfmpeg(): string {
  const f = findFfmpeg();
  if (!f) {
    throw new FfmpegNotFoundError(
      'ffmpeg not found: install it (Debian/Ubuntu: apt-get install -y ffmpeg), set CADDM_FFMPEG to its path, or add the npm package @ffmpeg-installer/ffmpeg',
    );
  }
  return f;
}

/** Exit code, stdout and the tail of stderr of one ffmpeg run. */
export interface FfmpegResult {
  /** Exit code (null when killed by a signal). */
  code: number | null;
  /** Everything written to stdout. */
  stdout: Buffer;
  /** The last 64 KiB of stderr. */
  stderr: string;
}

/**
 * Runs ffmpeg with `args`, feeding `input` to stdin. Never throws for a non-zero exit.
 * @throws FfmpegNotFoundError when the executable cannot be started
 */
export function runFfmpeg(bin: string, args: readonly string[], input?: Uint8Array): Promise<FfmpegResult> {
  return new Promise((resolveP, rejectP) => {
    const child = spawn(bin, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      if (err.length > 65536) err = err.slice(-65536);
    });
    child.on('error', (e) => rejectP(new FfmpegNotFoundError(`cannot run ${bin}: ${e.message}`)));
    child.on('close', (code) => resolveP({ code, stdout: Buffer.concat(out), stderr: err }));
    if (input && child.stdin) {
      child.stdin.on('error', () => {
        /* ffmpeg may exit before reading everything; its exit code tells */
      });
      child.stdin.end(input);
    }
  });
}

/**
 * Throws a {@link VideoCompressionError} quoting ffmpeg's last stderr line unless it exited with 0.
 * @param what - what was being done, for the message
 * @param path - the file concerned (or `<frames>`)
 */
export function checkRun(r: FfmpegResult, what: string, path: string): void {
  if (r.code === 0) return;
  const lines = r.stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const last = lines.length ? lines[lines.length - 1] : '(no message)';
  throw new VideoCompressionError(`ffmpeg could not ${what} (exit ${r.code}): ${last}`, path);
}
