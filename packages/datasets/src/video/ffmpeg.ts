/**
 * Locating and running ffmpeg / ffprobe.
 *
 * Order: the `CADDM_FFMPEG` / `CADDM_FFPROBE` environment variables, then `ffmpeg` /
 * `ffprobe` on `PATH` (Debian's package), then the optional npm package
 * `@ffmpeg-installer/ffmpeg` (ffmpeg only) when it is installed.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { FfmpegNotFoundError } from '../errors.js';

/** Where the tools were found. */
export interface FfmpegTools {
  /** ffmpeg executable path. */
  ffmpeg: string;
  /** ffprobe executable path, when one was found (frame counts then avoid a full decode). */
  ffprobe?: string;
}

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
    const req = createRequire(import.meta.url);
    const mod = req('@ffmpeg-installer/ffmpeg') as { path?: string };
    return mod.path && executable(mod.path) ? mod.path : undefined;
  } catch {
    return undefined;
  }
}

let cached: FfmpegTools | null | undefined;

/**
 * Finds ffmpeg (and ffprobe when available), or returns undefined.
 * The result is cached; pass `refresh` to look again.
 */
export function findFfmpeg(refresh = false): FfmpegTools | undefined {
  if (cached !== undefined && !refresh) return cached ?? undefined;
  const envFf = process.env.CADDM_FFMPEG;
  const envProbe = process.env.CADDM_FFPROBE;
  const ffmpeg = (envFf && executable(envFf) ? envFf : undefined) ?? onPath('ffmpeg') ?? fromNpm();
  if (!ffmpeg) {
    cached = null;
    return undefined;
  }
  const ffprobe = (envProbe && executable(envProbe) ? envProbe : undefined) ?? onPath('ffprobe');
  cached = ffprobe ? { ffmpeg, ffprobe } : { ffmpeg };
  return cached;
}

/**
 * Like {@link findFfmpeg} but throws a helpful error when ffmpeg is missing.
 * @throws FfmpegNotFoundError
 */
export function requireFfmpeg(): FfmpegTools {
  const t = findFfmpeg();
  if (!t) {
    throw new FfmpegNotFoundError(
      'ffmpeg not found: install it (Debian/Ubuntu: apt-get install -y ffmpeg), set CADDM_FFMPEG to its path, or add the npm package @ffmpeg-installer/ffmpeg',
    );
  }
  return t;
}

/** Result of {@link runTool}. */
export interface ToolResult {
  /** Exit code (null when killed by a signal). */
  code: number | null;
  /** Everything written to stdout. */
  stdout: Buffer;
  /** stderr as text (last 64 KiB). */
  stderr: string;
}

/**
 * Runs a tool, feeding `input` to stdin, collecting stdout and stderr.
 * Never throws for a non-zero exit: callers turn `code` and `stderr` into typed errors.
 * @throws FfmpegNotFoundError when the executable cannot be started
 */
export function runTool(bin: string, args: readonly string[], input?: Uint8Array): Promise<ToolResult> {
  return new Promise((resolveP, rejectP) => {
    const child = spawn(bin, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      if (err.length > 65536) err = err.slice(-65536);
    });
    child.on('error', (e) => rejectP(new FfmpegNotFoundError(`cannot run ${bin}: ${e.message}`, bin)));
    child.on('close', (code) => resolveP({ code, stdout: Buffer.concat(out), stderr: err }));
    if (input && child.stdin) {
      child.stdin.on('error', () => {
        /* the tool may exit before reading everything; its exit code tells */
      });
      child.stdin.end(input);
    }
  });
}

/** The last non-empty line of a tool's stderr, for error messages. */
export function lastLine(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines[lines.length - 1] : '(no message)';
}
