import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { priorBoxes } from '@caddm/anchors';
import { readJsonl } from '@caddm/runlog';
import { countTensors, initBackend, tf } from '@caddm/tf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/index.js';
import { TOY_ANCHORS, ToySource, toyNet, toyValidation } from './__fixtures__/toy.js';
import { trainRun } from './loop.js';
import { NonFiniteLossError } from './step.js';

const root = mkdtempSync(join(tmpdir(), 'caddm-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend({ quiet: true });
});

const config = (over: Record<string, unknown> = {}) =>
  resolveConfig({
    train: { epoch_num: 3, batches_per_epoch: 4, checkpoint_every: 3, lr_schedule: [{ epoch: 0, lr: 0.02 }, { epoch: 2, lr: 0.005 }], eval_every: 1, ...over },
  });
const priors = priorBoxes(TOY_ANCHORS);

describe('trainRun', () => {
  it('trains, evaluates each epoch, logs JSONL, checkpoints, and leaks nothing', async () => {
    const dir = join(root, 'a');
    const net = toyNet(true, 3);
    const before = countTensors();
    const s = await trainRun({ config: config(), net, data: new ToySource(), priors, runDir: dir, validation: toyValidation, progress: false });
    expect(countTensors()).toBe(before);
    expect(s.steps).toBe(12);
    expect(s.evaluations.map((e) => e.epoch)).toEqual([0, 1, 2]);
    expect(s.evaluations[2].result.videoAuc).toBeGreaterThan(0.9);
    const log = readJsonl<{ type: string; step: number; lr: number; loss: number }>(join(dir, 'train.jsonl')).map((r) => r.value);
    const steps = log.filter((r) => r.type === 'step');
    expect(steps.map((r) => r.step)).toEqual([...Array(12).keys()]);
    expect(steps.map((r) => r.lr)).toEqual([...Array(8).fill(0.02), ...Array(4).fill(0.005)]);
    expect(log.filter((r) => r.type === 'eval').length).toBe(3);
    expect(log.filter((r) => r.type === 'checkpoint').map((r) => r.step)).toEqual([2, 3, 5, 7, 8, 11]);
    net.dispose();
  });

  it('resumes exactly: 5 steps + resume to 12 equals 12 steps straight', async () => {
    const straight = toyNet(true, 5);
    await trainRun({ config: config({ eval_every: 0 }), net: straight, data: new ToySource(), priors, runDir: join(root, 'b'), progress: false });
    const dir = join(root, 'c');
    const first = toyNet(true, 5);
    const s1 = await trainRun({ config: config({ eval_every: 0 }), net: first, data: new ToySource(), priors, runDir: dir, maxSteps: 5, progress: false });
    expect(s1.steps).toBe(5);
    first.dispose();
    const second = toyNet(true, 99); // different init: everything must come from the checkpoint
    const s2 = await trainRun({ config: config({ eval_every: 0 }), net: second, data: new ToySource(), priors, runDir: dir, progress: false });
    expect(s2.startStep).toBe(5);
    expect(s2.steps).toBe(12);
    const a = straight.weights();
    const b = second.weights();
    for (const [name, t] of a) {
      const got = b.get(name) as tf.Tensor;
      const diff = tf.tidy(() => t.sub(got).abs().max().dataSync()[0]);
      expect(diff, name).toBe(0);
    }
    straight.dispose();
    second.dispose();
  });

  it('marks the records of steps done again after a crash, and says so in the resume record', async () => {
    const dir = join(root, 'redo');
    const cfg = config({ eval_every: 0, checkpoint_every: 3 });
    const first = toyNet(true, 5);
    // The run dies after logging step 5, before checkpointing it; its last checkpoint holds step 3 (the first epoch's end).
    const crash = trainRun({ config: cfg, net: first, data: new ToySource(), priors, runDir: dir, progress: false, onStep: (s) => {
      if (s === 5) throw new Error('killed');
    } });
    await expect(crash).rejects.toThrow('killed');
    first.dispose();
    const second = toyNet(true, 5);
    await trainRun({ config: cfg, net: second, data: new ToySource(), priors, runDir: dir, progress: false });
    second.dispose();
    const recs = readJsonl<{ type: string; step: number; redo?: boolean; redoing?: number[] }>(join(dir, 'train.jsonl')).map((r) => r.value);
    expect(recs.find((r) => r.type === 'resume')).toMatchObject({ step: 4, redoing: [4, 5] });
    const steps = recs.filter((r) => r.type === 'step');
    expect(steps.map((r) => [r.step, r.redo ?? false])).toEqual([
      [0, false], [1, false], [2, false], [3, false], [4, false], [5, false],
      [4, true], [5, true], [6, false], [7, false], [8, false], [9, false], [10, false], [11, false],
    ]);
  });

  it('stops on a NaN loss naming the last good checkpoint', async () => {
    const dir = join(root, 'd');
    const net = toyNet(false, 1);
    const src = new ToySource();
    const next = src.next.bind(src);
    let k = 0;
    src.next = async () => {
      const b = await next();
      if (k++ === 4) b.images.fill(Number.NaN);
      return b;
    };
    const p = trainRun({ config: resolveConfig({ ablation: { adm: false }, train: { epoch_num: 1, batches_per_epoch: 10, checkpoint_every: 2 } }), net, data: src, runDir: dir, progress: false });
    await expect(p).rejects.toThrow(NonFiniteLossError);
    await expect(p).rejects.toThrow(/at step 4.*the last good checkpoint is .*step-000000003/);
    net.dispose();
  });
});
