import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SHARED_ENV, missingForTests, repoRoot, requireShared, sharedDir, sharedPath } from './index.js';

const saved = { CI: process.env.CI, [SHARED_ENV]: process.env[SHARED_ENV] };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  vi.restoreAllMocks();
});

describe('the shared folder', () => {
  it('is ../shared beside the repository, or CADDM_SHARED when set', () => {
    delete process.env[SHARED_ENV];
    expect(sharedDir()).toBe(resolve(repoRoot(), '..', 'shared'));
    process.env[SHARED_ENV] = 'some/where';
    expect(sharedDir()).toBe(resolve('some/where'));
    expect(sharedPath('golden/x.json')).toBe(join(resolve('some/where'), 'golden/x.json'));
  });

  it('a missing file fails under CI=true and is skipped with a message naming it otherwise', () => {
    process.env[SHARED_ENV] = '/nonexistent/caddm-shared';
    process.env.CI = 'true';
    expect(() => requireShared('golden/a.json')).toThrow('shared test data missing: /nonexistent/caddm-shared/golden/a.json (CI=true: failing instead of skipping)');
    delete process.env.CI;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(requireShared('golden/a.json')).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[skip\] shared test data missing: \/nonexistent\/caddm-shared\/golden\/a\.json: .*CADDM_SHARED/));
  });
});

describe('missingForTests', () => {
  it('throws only when CI is exactly "true"', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    process.env.CI = 'true';
    expect(() => missingForTests('ffmpeg not found', 'install it')).toThrow('ffmpeg not found (CI=true: failing instead of skipping); install it');
    process.env.CI = '1';
    expect(missingForTests('ffmpeg not found', 'install it')).toBeUndefined();
    expect(warn).toHaveBeenCalledWith('[skip] ffmpeg not found: the tests that need it are skipped; install it');
  });
});
