/**
 * `caddm eval --faces DIR`: a held-out real-face set built from a folder of people
 * (real faces: crops of the sample photos face-api ships, made here), evaluated with
 * its identity-cluster interval; then reused from the cache.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@caddm/tf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegForTests } from '../../../datasets/src/testing/fixtures.js';
import { PHOTO_PEOPLE_MAX, writePhotoPeople } from '../../../datasets/src/__fixtures__/photo-people.js';
import { importWeights } from '../import-weights.js';
import { runCliCaptured } from './__fixtures__/run-cli.js';

const S = mkdtempSync(join(tmpdir(), 'caddm-eval-faces-'));
const tools = ffmpegForTests();
let run = '';
let people = '';
const saved = process.env.CADDM_CACHE;

beforeAll(async () => {
  await initBackend({ quiet: true });
  process.env.CADDM_CACHE = join(S, 'cache');
  run = join(S, 'run');
  await importWeights({ file: fileURLToPath(new URL('../__fixtures__/reference-caddm/epoch_0.pkl', import.meta.url)), arch: 'resnet34', out: run, overrides: { 'model.width': 0.03125 } });
  people = await writePhotoPeople(join(S, 'people'), PHOTO_PEOPLE_MAX);
}, 120_000);

afterAll(() => {
  if (saved == null) delete process.env.CADDM_CACHE;
  else process.env.CADDM_CACHE = saved;
  rmSync(S, { recursive: true, force: true });
});

describe.skipIf(!tools)('caddm eval --faces', () => {
  it('builds a real-face set from a folder of people and writes AUCs with their identity-cluster interval', async () => {
    const out = join(S, 'eval');
    const r = await runCliCaptured(['eval', '--run', run, '--faces', people, '--out', out]);
    if (r.code !== 0) throw new Error(r.out);
    expect(r.out).toMatch(/generating the embedded benchmark/);
    expect(r.out).toMatch(/\d+ people with 2\+ photos in which a face is found \(\d+ of 54 photos\); splits: train 0, val 0, test \d+, cross \d+ \(the same people\); frames 256 px/);
    expect(r.out).toMatch(/real-face set: \d+ real and \d+ fake videos of \d+ people; video AUC [\d.]+ \[[\d.]+, [\d.]+\] \(identity-cluster bootstrap, 95%\)/);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(m.split).toBe('test');
    expect(m.identities).toBeGreaterThanOrEqual(10);
    expect(m.realVideos).toBe(2 * m.identities);
    // Four methods, each target with its partner as donor: four fakes per real video.
    expect(m.fakeVideos).toBe(4 * m.realVideos);
    expect(m.videos).toBe(m.realVideos + m.fakeVideos);
    expect(m.videoAuc).toBeGreaterThanOrEqual(0);
    const [lo, hi] = m.videoAucIdentityCi95;
    expect(lo).toBeLessThanOrEqual(m.videoAuc);
    expect(hi).toBeGreaterThanOrEqual(m.videoAuc);
    expect(m.faces).toMatchObject({ split: 'test', use: 'eval', photos: 54, frameSize: 256 });
    expect(m.faces.faceFound.frames).toBeGreaterThan(0);

    // The cross part: the held-out method on the same people, from the cache.
    const again = await runCliCaptured(['eval', '--run', run, '--faces', people, '--split', 'cross', '--out', join(S, 'eval-cross')]);
    if (again.code !== 0) throw new Error(again.out);
    expect(again.out).not.toMatch(/generating the embedded benchmark/);
    const c = JSON.parse(readFileSync(join(S, 'eval-cross', 'metrics.json'), 'utf8'));
    expect(c.split).toBe('cross');
    expect(c.fakeVideos).toBe(c.realVideos);
  }, 600_000);
});
