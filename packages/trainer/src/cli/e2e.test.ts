import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJsonl } from '@caddm/runlog';
import { requireShared } from '@caddm/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../checkpoint/index.js';
import { prepareEmbedded, type EmbeddedData } from '../data/embedded.js';
import { runCliCaptured } from './__fixtures__/run-cli.js';

const repo = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
/** A real face of the shared folder, or undefined (the detect test is then skipped, with a message). */
const lfwImage = requireShared('faces/lfw/Bill_Gates/Bill_Gates_0001.jpg');
const root = mkdtempSync(join(tmpdir(), 'caddm-e2e-'));
let data: EmbeddedData;

// A tiny model and short epochs: the point is the plumbing, not the AUC.
const SMALL = ['--set', 'model.width=0.125', '--set', 'model.backbone=resnet18', '--set', 'train.batch_size=8', '--set', 'train.batches_per_epoch=3', '--set', 'train.checkpoint_every=2', '--no-progress'];

beforeAll(async () => {
  data = await prepareEmbedded({ profile: 'tiny', seed: 3, root, progress: false, log: () => {} });
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));


type Rec = { type: string; step: number; loss?: number };

describe('caddm end to end on the tiny embedded benchmark', () => {
  const run = join(root, 'run');

  it('trains, checkpoints and evaluates', async () => {
    const r = await runCliCaptured(['train', '--cache', data.cache, '--run-dir', run, '--set', 'train.epoch_num=1', ...SMALL]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/trained 3 step\(s\); test video AUC/);
    const m = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    expect(m.test.videos).toBeGreaterThan(0);
    expect(new CheckpointStore(join(run, 'checkpoints')).latest()?.meta.step).toBe(2);
  });

  it('resumes where it stopped when asked for more epochs', async () => {
    const r = await runCliCaptured(['train', '--cache', data.cache, '--run-dir', run, '--set', 'train.epoch_num=2', ...SMALL]);
    expect(r.code, r.out).toBe(0);
    const log = readJsonl<Rec>(join(run, 'train.jsonl')).map((x) => x.value);
    expect(log.find((x) => x.type === 'resume')?.step).toBe(3);
    expect(log.filter((x) => x.type === 'step').map((x) => x.step)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('evaluates a run on a cache: metrics, per-video CSV, ROC plot', async () => {
    const out = join(root, 'eval');
    const r = await runCliCaptured(['eval', '--run', run, '--cache', data.crossCache, '--out', out]);
    expect(r.code, r.out).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).videos).toBeGreaterThan(1);
    expect(readFileSync(join(out, 'videos.csv'), 'utf8').split('\n')[0]).toBe('video,label,score,frames');
    expect(existsSync(join(out, 'roc.png'))).toBe(true);
  });

  it.skipIf(lfwImage == null)('detects a real face: P(fake), the top artifact box, drawn PNGs', async () => {
    const out = join(root, 'detect');
    const r = await runCliCaptured(['detect', lfwImage as string, '--run', run, '--json', '--out', out, '--threshold', '0']);
    expect(r.code, r.out).toBe(0);
    const doc = JSON.parse(r.out.slice(r.out.indexOf('{')));
    const face = doc.results[0].faces[0];
    expect(face.pFake).toBeGreaterThanOrEqual(0);
    expect(face.pFake).toBeLessThanOrEqual(1);
    expect(face.artifacts.length).toBe(1);
    expect(existsSync(join(out, 'Bill_Gates_0001.png'))).toBe(true);
    expect(existsSync(join(out, 'Bill_Gates_0001-face0.png'))).toBe(true);
  });

  it('says so when an image has no face', async () => {
    const blank = join(root, 'blank.png');
    const { createImage, writeImage } = await import('@caddm/image');
    await writeImage(blank, createImage(64, 64, 3));
    const r = await runCliCaptured(['detect', blank, '--run', run]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/blank\.png: no face found/);
  });

  it('detect carries on past an unreadable image, in text and JSON, and fails only when nothing could be read', async () => {
    const { createImage, writeImage } = await import('@caddm/image');
    const { writeFileSync } = await import('node:fs');
    const blank = join(root, 'blank2.png');
    await writeImage(blank, createImage(64, 64, 3));
    const broken = join(root, 'broken.jpg');
    writeFileSync(broken, 'not a jpeg at all');
    const text = await runCliCaptured(['detect', broken, blank, '--run', run]);
    expect(text.code, text.out).toBe(0);
    expect(text.out).toMatch(/broken\.jpg: cannot read this image \([^\n]*\); check that it opens, or leave it out/);
    expect(text.out).toMatch(/blank2\.png: no face found/);
    const json = await runCliCaptured(['detect', broken, blank, '--run', run, '--json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.out.slice(json.out.indexOf('{')));
    expect(doc.results.map((r: { error?: string }) => r.error?.split(' ')[0])).toEqual(['cannot', 'no']);
    const none = await runCliCaptured(['detect', broken, '--run', run]);
    expect(none.code).toBe(2);
    expect(none.out).toMatch(/none of the 1 input\(s\) could be read/);
    expect(none.out).not.toMatch(/\n\s+at /);
  });

  it('survives SIGKILL mid-epoch: the step count continues, no corrupt checkpoint, the loss curve goes on', async () => {
    const run2 = join(root, 'killed');
    const args = ['train', '--cache', data.cache, '--run-dir', run2, '--set', 'train.epoch_num=3', ...SMALL];
    const child = spawn(process.execPath, ['--conditions=@caddm/source', '--import', 'tsx', join(repo, 'packages/trainer/src/cli/bin.ts'), ...args], {
      cwd: repo,
      stdio: 'ignore',
      env: { ...process.env, CADDM_QUIET: '1' },
    });
    // Kill it once a checkpoint exists and at least one later step is logged (mid-epoch).
    const log = join(run2, 'train.jsonl');
    const killedAt = await new Promise<number>((res, rej) => {
      const t = setInterval(() => {
        const recs = readJsonl<Rec>(log).map((x) => x.value);
        const ck = recs.filter((x) => x.type === 'checkpoint').at(-1);
        const last = recs.filter((x) => x.type === 'step').at(-1);
        if (ck && last && last.step > ck.step && (last.step + 1) % 3 !== 0) {
          clearInterval(t);
          child.kill('SIGKILL');
          res(last.step);
        }
      }, 50);
      child.on('exit', () => {
        clearInterval(t);
        rej(new Error('the training process ended before it could be killed'));
      });
    });
    await new Promise((r) => child.on('exit', r));
    const warnings: string[] = [];
    const before = new CheckpointStore(join(run2, 'checkpoints'), { warn: (m) => warnings.push(m) }).latest();
    expect(warnings).toEqual([]);
    expect(before).toBeDefined();
    const r = await runCliCaptured(args);
    expect(r.code, r.out).toBe(0);
    const recs = readJsonl<Rec>(log).map((x) => x.value);
    const resume = recs.find((x) => x.type === 'resume');
    expect(resume?.step).toBe((before?.meta.step ?? -1) + 1);
    expect(resume?.step).toBeLessThanOrEqual(killedAt + 1);
    const steps = recs.filter((x) => x.type === 'step');
    const after = steps.slice(steps.findIndex((x, i) => i > 0 && x.step <= steps[i - 1].step));
    expect(after.map((x) => x.step)).toEqual(Array.from({ length: 9 - (resume?.step ?? 0) }, (_, i) => (resume?.step ?? 0) + i));
    expect(after.every((x) => Number.isFinite(x.loss))).toBe(true);
  });

  it('with a loader worker thread, the process finishes: training, closing the worker mid-batch, evaluation', async () => {
    const run3 = join(root, 'workers');
    const args = ['train', '--cache', data.cache, '--run-dir', run3, '--set', 'train.epoch_num=1', '--workers', '1', ...SMALL];
    const child = spawn(process.execPath, ['--conditions=@caddm/source', '--import', 'tsx', join(repo, 'packages/trainer/src/cli/bin.ts'), ...args], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CADDM_QUIET: '1' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const code = await new Promise<number | null>((res) => child.on('exit', res));
    // Before the fix, the idle-loop exit came while awaiting the worker's termination.
    expect(out).not.toMatch(/pending operation never completed/);
    expect(code, out).toBe(0);
    expect(out).toMatch(/trained 3 step\(s\); test video AUC/);
  }, 120_000);
});
