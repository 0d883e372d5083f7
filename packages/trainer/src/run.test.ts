import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@caddm/tf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStore } from './checkpoint/index.js';
import { resolveConfig } from './config/index.js';
import { buildNet } from './model.js';
import { loadRun, RunError, saveRunConfig } from './run.js';
import { tensorsToSafetensors } from './train/weights-io.js';

const root = mkdtempSync(join(tmpdir(), 'caddm-run-load-'));
beforeAll(async () => {
  await initBackend({ quiet: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('loadRun', () => {
  it('loads the newest checkpoint, and names a checkpoint whose weights hold NaN instead of scoring with it', async () => {
    const dir = join(root, 'run');
    const config = resolveConfig({ model: { backbone: 'resnet18', width: 0.125 } }, { profile: 'mini' });
    saveRunConfig(dir, config);
    const built = buildNet(config);
    const store = new CheckpointStore(join(dir, 'checkpoints'));
    store.save({ step: 3, epoch: 0 }, { 'model.safetensors': await tensorsToSafetensors(built.net.weights()) });
    const good = loadRun(dir);
    expect(good.step).toBe(3);
    good.net.dispose();

    const [name, first] = [...built.net.weights()][5];
    const values = Float32Array.from(first.dataSync());
    values[2] = Number.NaN;
    const broken = new Map(built.net.weights());
    const { tf } = await import('@caddm/tf');
    const t = tf.tensor(values, first.shape);
    broken.set(name, t);
    const path = store.save({ step: 4, epoch: 0 }, { 'model.safetensors': await tensorsToSafetensors(broken) });
    t.dispose();
    built.net.dispose();
    expect(() => loadRun(dir)).toThrow(RunError);
    expect(() => loadRun(dir)).toThrow(`${path}: weight '${name}' holds NaN (element 2), so this checkpoint is broken; pass an earlier one from ${join(dir, 'checkpoints')} as --run, or train again`);
  });

  it('says what a folder lacks', () => {
    expect(() => loadRun(join(root, 'nope'))).toThrow(/nope: not a run or checkpoint directory/);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(() => loadRun(empty)).toThrow(/no config\.json \(is this a directory written by 'caddm train'\?\)/);
    writeFileSync(join(empty, 'config.json'), '{"model": ');
    expect(() => loadRun(empty)).toThrow(new RegExp(`^${join(empty, 'config.json')}: not valid JSON \\(.*\\); restore it`));
    writeFileSync(join(empty, 'config.json'), '{}');
    expect(() => loadRun(empty)).toThrow(/no usable checkpoint in/);
  });
});
