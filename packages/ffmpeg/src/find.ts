/**
 * Locating ffmpeg and ffprobe. Order, first match wins:
 * 1. the environment override (`CADDM_FFMPEG` / `CADDM_FFPROBE`): when it is set it is the only
 *    candidate, and a path that is not an executable file is an error naming it (never a silent
 *    fall-back to another binary);
 * 2. for ffprobe, when `CADDM_FFMPEG` is set and `CADDM_FFPROBE` is not: only the `ffprobe` in the
 *    same folder as that ffmpeg (an ffprobe of another build from `PATH` is never paired with it);
 * 3. `ffmpeg` / `ffprobe` on `PATH` (Debian/Ubuntu: `apt-get install -y ffmpeg`);
 * 4. the optional npm package `@ffmpeg-installer/ffmpeg` (ffmpeg only), when it is installed.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { FfmpegNotFoundError } from './errors.js';

/** The tools this package finds. */
export type ToolName = 'ffmpeg' | 'ffprobe';

/** The environment variable that overrides each tool's search. */
export const ENV_OVERRIDE: Readonly<Record<ToolName, string>> = Object.freeze({
  ffmpeg: 'CADDM_FFMPEG',
  ffprobe: 'CADDM_FFPROBE',
});

/** How to get ffmpeg, quoted by every not-found message. */
export const INSTALL_HINT =
  'install it (Debian/Ubuntu: apt-get install -y ffmpeg), set CADDM_FFMPEG to its path, or add the npm package @ffmpeg-installer/ffmpeg';

/** Outcome of one {@link searchTool}. */
export interface ToolSearch {
  /** The tool looked for. */
  tool: ToolName;
  /** The executable found, when one was. */
  path?: string;
  /** Where {@link ToolSearch.path} came from (`env`: the override, or for ffprobe the folder of `CADDM_FFMPEG`). */
  source?: 'env' | 'path' | 'npm';
  /** Each place tried, in order, with why it did not serve (the last one is the hit, when there is one). */
  tried: string[];
  /** Set when the environment override names something that is not an executable file: the path and what is wrong with it. */
  badOverride?: { path: string; problem: string };
}

/** Why `p` is not a usable executable, or undefined when it is one. */
function notExecutable(p: string): string | undefined {
  try {
    if (!statSync(p).isFile()) return 'is not a file';
    accessSync(p, constants.X_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not executable' : `cannot be checked (${(e as Error).message})`;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (notExecutable(p) === undefined) return p;
  }
  return undefined;
}

function fromNpm(tried: string[]): string | undefined {
  let mod: { path?: string };
  try {
    mod = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path?: string };
  } catch (e) {
    // The package throws a bare string when its platform binary is missing.
    const notInstalled = (e as NodeJS.ErrnoException | undefined)?.code === 'MODULE_NOT_FOUND';
    tried.push(`npm package @ffmpeg-installer/ffmpeg: ${notInstalled ? 'not installed' : `installed but unusable (${e instanceof Error ? e.message : String(e)})`}`);
    return undefined;
  }
  if (!mod.path) {
    tried.push('npm package @ffmpeg-installer/ffmpeg: installed, but it names no binary for this platform');
    return undefined;
  }
  const why = notExecutable(mod.path);
  if (why) {
    tried.push(`npm package @ffmpeg-installer/ffmpeg: its binary ${mod.path} ${why}`);
    return undefined;
  }
  tried.push(`npm package @ffmpeg-installer/ffmpeg: ${mod.path}`);
  return mod.path;
}

/**
 * Looks for one tool now (no cache), recording every place tried.
 * @param tool - `ffmpeg` or `ffprobe` (`@ffmpeg-installer/ffmpeg` ships no ffprobe, so that step is ffmpeg's only)
 */
export function searchTool(tool: ToolName): ToolSearch {
  const tried: string[] = [];
  const envName = ENV_OVERRIDE[tool];
  const env = process.env[envName];
  if (env) {
    const why = notExecutable(env);
    if (why) {
      tried.push(`${envName}=${env}: ${why}`);
      return { tool, tried, badOverride: { path: env, problem: why } };
    }
    tried.push(`${envName}=${env}`);
    return { tool, path: env, source: 'env', tried };
  }
  tried.push(`${envName}: not set`);
  const ffmpegEnv = process.env[ENV_OVERRIDE.ffmpeg];
  if (tool === 'ffprobe' && ffmpegEnv) {
    // The overridden ffmpeg names the build to use: its own ffprobe, or none.
    const beside = join(dirname(ffmpegEnv), 'ffprobe');
    if (notExecutable(beside) === undefined) {
      tried.push(`beside ${ENV_OVERRIDE.ffmpeg}: ${beside}`);
      return { tool, path: beside, source: 'env', tried };
    }
    tried.push(`beside ${ENV_OVERRIDE.ffmpeg}: no executable ${beside} (PATH is not searched while ${ENV_OVERRIDE.ffmpeg} is set)`);
    return { tool, tried };
  }
  const p = onPath(tool);
  if (p) {
    tried.push(`PATH: ${p}`);
    return { tool, path: p, source: 'path', tried };
  }
  tried.push(`PATH: no executable ${tool} in ${process.env.PATH ? process.env.PATH : '(PATH is empty)'}`);
  if (tool === 'ffmpeg') {
    const n = fromNpm(tried);
    if (n) return { tool, path: n, source: 'npm', tried };
  }
  return { tool, tried };
}

/** The error for a failed {@link searchTool}, listing the places tried and how to install ffmpeg. */
export function notFoundError(search: ToolSearch): FfmpegNotFoundError {
  const bad = search.badOverride;
  const head = bad
    ? `${search.tool} not found: ${ENV_OVERRIDE[search.tool]} is set to ${bad.path}, which ${bad.problem}; fix or unset it`
    : `${search.tool} not found`;
  return new FfmpegNotFoundError(`${head} (tried: ${search.tried.join('; ')}). To get ffmpeg: ${INSTALL_HINT}`, search.tool, search.tried, bad?.path);
}

const cache = new Map<ToolName, ToolSearch>();

function cached(tool: ToolName, refresh: boolean): ToolSearch {
  let s = refresh ? undefined : cache.get(tool);
  if (!s) {
    s = searchTool(tool);
    cache.set(tool, s);
  }
  return s;
}

/**
 * The path of an ffmpeg executable, or undefined when there is none (or when `CADDM_FFMPEG`
 * names something that is not an executable). Cached; pass `refresh` to look again after
 * changing `CADDM_FFMPEG` or `PATH`.
 */
export function findFfmpeg(refresh = false): string | undefined {
  return cached('ffmpeg', refresh).path;
}

/**
 * The path of an ffprobe executable, or undefined (`CADDM_FFPROBE`; else, when `CADDM_FFMPEG` is
 * set, the ffprobe beside it; else `PATH`). Cached like {@link findFfmpeg}.
 */
export function findFfprobe(refresh = false): string | undefined {
  return cached('ffprobe', refresh).path;
}

/**
 * Like {@link findFfmpeg} but throws when there is no ffmpeg.
 * @param refresh - look again instead of using the cached result
 * @throws FfmpegNotFoundError listing the places tried (naming a bad `CADDM_FFMPEG`) and how to install ffmpeg
 */
export function requireFfmpeg(refresh = false): string {
  const s = cached('ffmpeg', refresh);
  if (!s.path) throw notFoundError(s);
  return s.path;
}

/** ffmpeg and, when found, ffprobe. */
export interface FfmpegTools {
  /** ffmpeg executable path. */
  ffmpeg: string;
  /** ffprobe executable path, when one was found (frame counts then avoid a full decode). */
  ffprobe?: string;
}

/**
 * ffmpeg and ffprobe together, or undefined when there is no ffmpeg. ffprobe is optional:
 * it is left out when missing (or when `CADDM_FFPROBE` is bad; {@link requireFfmpegTools} throws then).
 * @param refresh - look again instead of using the cached results
 */
export function findFfmpegTools(refresh = false): FfmpegTools | undefined {
  const ffmpeg = findFfmpeg(refresh);
  if (!ffmpeg) return undefined;
  const ffprobe = findFfprobe(refresh);
  return ffprobe ? { ffmpeg, ffprobe } : { ffmpeg };
}

/**
 * Like {@link findFfmpegTools} but throws when ffmpeg is missing or `CADDM_FFPROBE` names
 * something that is not an executable (a missing ffprobe without an override is fine).
 * @param refresh - look again instead of using the cached results
 * @throws FfmpegNotFoundError listing the places tried and how to install ffmpeg
 */
export function requireFfmpegTools(refresh = false): FfmpegTools {
  const ffmpeg = requireFfmpeg(refresh);
  const probe = cached('ffprobe', refresh);
  if (probe.badOverride) throw notFoundError(probe);
  return probe.path ? { ffmpeg, ffprobe: probe.path } : { ffmpeg };
}
