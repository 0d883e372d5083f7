import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingForTests } from '@caddm/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FfmpegNotFoundError, INSTALL_HINT, findFfmpeg, findFfmpegTools, requireFfmpeg, requireFfmpegTools, runTool, searchTool } from './index.js';

const saved = { CADDM_FFMPEG: process.env.CADDM_FFMPEG, CADDM_FFPROBE: process.env.CADDM_FFPROBE, PATH: process.env.PATH };
function restoreEnv(): void {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  findFfmpeg(true);
  findFfmpegTools(true);
}
afterEach(restoreEnv);

const dir = mkdtempSync(join(tmpdir(), 'caddm-ffmpeg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ffmpeg these tests can run (the one the environment selects): none means skip, except under CI=true. */
const real = findFfmpeg(true) ?? missingForTests(`ffmpeg not found (tried: ${searchTool('ffmpeg').tried.join('; ')})`, INSTALL_HINT);

function thrown(fn: () => unknown): FfmpegNotFoundError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FfmpegNotFoundError);
    return e as FfmpegNotFoundError;
  }
  throw new Error('expected an FfmpegNotFoundError, nothing was thrown');
}

describe('the CADDM_FFMPEG override', () => {
  it('naming a non-existent file is an error naming it, with no fall-back to PATH', () => {
    const missing = join(dir, 'no-such-ffmpeg');
    process.env.CADDM_FFMPEG = missing;
    expect(findFfmpeg(true)).toBeUndefined();
    const e = thrown(() => requireFfmpeg());
    expect(e.message).toContain(`CADDM_FFMPEG is set to ${missing}, which does not exist`);
    expect(e.message).toContain(INSTALL_HINT);
    expect(e.path).toBe(missing);
    expect(e.tool).toBe('ffmpeg');
    expect(e.tried).toEqual([`CADDM_FFMPEG=${missing}: does not exist`]);
    expect(findFfmpegTools()).toBeUndefined();
  });

  it('naming a folder or a non-executable file says which', () => {
    process.env.CADDM_FFMPEG = dir;
    expect(thrown(() => requireFfmpeg(true)).message).toContain(`CADDM_FFMPEG is set to ${dir}, which is not a file; fix or unset it`);
    const plain = join(dir, 'plain');
    writeFileSync(plain, '#!/bin/sh\n');
    chmodSync(plain, 0o644);
    process.env.CADDM_FFMPEG = plain;
    expect(thrown(() => requireFfmpeg(true)).tried).toEqual([`CADDM_FFMPEG=${plain}: is not executable`]);
  });

  it('naming an executable is used as is', () => {
    const fake = join(dir, 'fake-ffmpeg');
    writeFileSync(fake, '#!/bin/sh\necho fake "$@"\n');
    chmodSync(fake, 0o755);
    process.env.CADDM_FFMPEG = fake;
    expect(searchTool('ffmpeg')).toEqual({ tool: 'ffmpeg', path: fake, source: 'env', tried: [`CADDM_FFMPEG=${fake}`] });
    expect(requireFfmpeg(true)).toBe(fake);
  });

  it('is cached until refresh', () => {
    const fake = join(dir, 'cached-ffmpeg');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    process.env.CADDM_FFMPEG = fake;
    expect(findFfmpeg(true)).toBe(fake);
    process.env.CADDM_FFMPEG = join(dir, 'gone');
    expect(findFfmpeg()).toBe(fake);
    expect(findFfmpeg(true)).toBeUndefined();
  });

  it('with CADDM_FFMPEG set, ffprobe is the one beside it or none, never one from PATH', () => {
    const build = join(dir, 'build');
    const onPath = join(dir, 'path');
    for (const d of [build, onPath]) mkdirSync(d, { recursive: true });
    const ff = join(build, 'ffmpeg');
    const pathProbe = join(onPath, 'ffprobe');
    for (const f of [ff, pathProbe]) {
      writeFileSync(f, '#!/bin/sh\n');
      chmodSync(f, 0o755);
    }
    delete process.env.CADDM_FFPROBE;
    process.env.CADDM_FFMPEG = ff;
    process.env.PATH = onPath;
    const none = searchTool('ffprobe');
    expect(none.path).toBeUndefined();
    expect(none.tried).toEqual(['CADDM_FFPROBE: not set', `beside CADDM_FFMPEG: no executable ${join(build, 'ffprobe')} (PATH is not searched while CADDM_FFMPEG is set)`]);
    expect(findFfmpegTools(true)).toEqual({ ffmpeg: ff });
    expect(requireFfmpegTools(true)).toEqual({ ffmpeg: ff });
    const beside = join(build, 'ffprobe');
    writeFileSync(beside, '#!/bin/sh\n');
    chmodSync(beside, 0o755);
    expect(searchTool('ffprobe')).toMatchObject({ path: beside, source: 'env' });
    delete process.env.CADDM_FFMPEG;
    expect(searchTool('ffprobe')).toMatchObject({ path: pathProbe, source: 'path' });
  });

  it('a bad CADDM_FFPROBE drops ffprobe from findFfmpegTools and makes requireFfmpegTools throw', () => {
    const fake = join(dir, 'ff');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    process.env.CADDM_FFMPEG = fake;
    process.env.CADDM_FFPROBE = join(dir, 'no-probe');
    expect(findFfmpegTools(true)).toEqual({ ffmpeg: fake });
    const e = thrown(() => requireFfmpegTools());
    expect(e.tool).toBe('ffprobe');
    expect(e.message).toContain(`CADDM_FFPROBE is set to ${join(dir, 'no-probe')}, which does not exist`);
  });
});

describe('without an override', () => {
  it('looks on PATH, and lists what it tried when nothing is found', () => {
    delete process.env.CADDM_FFPROBE;
    delete process.env.CADDM_FFMPEG;
    process.env.PATH = dir; // holds no ffprobe
    const s = searchTool('ffprobe');
    expect(s.path).toBeUndefined();
    expect(s.tried).toEqual(['CADDM_FFPROBE: not set', `PATH: no executable ffprobe in ${dir}`]);
    const probe = join(dir, 'ffprobe');
    writeFileSync(probe, '#!/bin/sh\n');
    chmodSync(probe, 0o755);
    expect(searchTool('ffprobe')).toMatchObject({ path: probe, source: 'path' });
    rmSync(probe);
  });

  it('falls back to @ffmpeg-installer/ffmpeg for ffmpeg exactly when it resolves', () => {
    delete process.env.CADDM_FFMPEG;
    process.env.PATH = '';
    let npmPath: string | undefined;
    try {
      npmPath = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    } catch {
      npmPath = undefined;
    }
    const s = searchTool('ffmpeg');
    expect(s.tried.slice(0, 2)).toEqual(['CADDM_FFMPEG: not set', 'PATH: no executable ffmpeg in (PATH is empty)']);
    if (npmPath) {
      expect(s).toMatchObject({ path: npmPath, source: 'npm' });
    } else {
      expect(s.path).toBeUndefined();
      const e = thrown(() => requireFfmpeg(true));
      expect(e.message).toMatch(/^ffmpeg not found \(tried: CADDM_FFMPEG: not set; PATH: .*; npm package @ffmpeg-installer\/ffmpeg: /);
      expect(e.message).toContain(INSTALL_HINT);
    }
  });
});

describe.skipIf(!real)('the ffmpeg found', () => {
  it('runs -version', async () => {
    const r = await runTool(requireFfmpeg(true), ['-hide_banner', '-version']);
    expect(r.code).toBe(0);
    expect(r.stdout.toString('utf8')).toMatch(/^ffmpeg version \S+/);
  });
});
