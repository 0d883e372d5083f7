import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@caddm/tf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../checkpoint/index.js';
import { resolveConfig } from '../config/index.js';
import { buildNet } from '../model.js';
import { loadRun, saveRunConfig } from '../run.js';
import { tensorsToSafetensors } from '../train/weights-io.js';
import { exportWebModel } from './export.js';
import { checkWebConfig, netFromWebModel, WebModelError, type WebModelJson } from './format.js';

const root = mkdtempSync(join(tmpdir(), 'caddm-web-model-'));
const run = join(root, 'run');
const out = join(root, 'web');
beforeAll(async () => {
  await initBackend({ quiet: true });
  // A trained-looking run: seeded weights moved off their initial values, so that a
  // load that fell back to a fresh network would not give the same outputs.
  const config = resolveConfig({ model: { backbone: 'resnet18', width: 0.125 } }, { profile: 'mini' });
  saveRunConfig(run, config);
  const built = buildNet(config);
  const shifted = new Map([...built.net.weights()].map(([k, t], i) => [k, tf.tidy(() => t.add(0.01 * ((i % 7) - 3)))]));
  new CheckpointStore(join(run, 'checkpoints')).save({ step: 41, epoch: 0 }, { 'model.safetensors': await tensorsToSafetensors(shifted) });
  tf.dispose([...shifted.values()]);
  built.net.dispose();
  writeFileSync(join(run, 'metrics.json'), JSON.stringify({ steps: 42, checkpoint: '/somewhere/local', test: { videoAuc: 0.7, videos: 10 } }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The network's three outputs on a fixed input. */
function outputs(net: ReturnType<typeof loadRun>['net'], size: number): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.linspace(-1, 1, size * size * 3).reshape([1, size, size, 3]) as tf.Tensor4D;
    const o = net.forward(x, false);
    return [o.loc, o.conf, o.logits].map((t) => (t as tf.Tensor).dataSync() as Float32Array);
  });
}

describe('exportWebModel and loading the folder', () => {
  it('writes a folder that loadRun reads back to the same network, outputs bit for bit', async () => {
    const r = await exportWebModel(run, out, { shardBytes: 400_000 });
    expect(r.files).toContain('model.json');
    expect(r.files.filter((f) => f.endsWith('.bin')).length).toBeGreaterThan(1);
    const info = JSON.parse(readFileSync(join(out, 'export.json'), 'utf8'));
    expect(info).toMatchObject({ format: 'caddm-web/1', source: { run, step: 41 }, metrics: { steps: 42, test: { videoAuc: 0.7 } } });
    expect(info.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The metrics travel without the run's local paths.
    expect(JSON.stringify(info.metrics)).not.toContain('/somewhere/local');

    const tensors = tf.memory().numTensors;
    const a = loadRun(run);
    const b = loadRun(out);
    try {
      expect(b.step).toBe(41);
      expect(b.config.crop_face).toEqual(a.config.crop_face);
      const size = a.config.crop_face.output_size;
      const [oa, ob] = [outputs(a.net, size), outputs(b.net, size)];
      oa.forEach((v, i) => expect(Buffer.from(ob[i].buffer).equals(Buffer.from(v.buffer))).toBe(true));
    } finally {
      a.net.dispose();
      b.net.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensors);
    // A second export into the same folder leaves no stale shard.
    await exportWebModel(run, out);
    expect(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).weightsManifest[0].paths).toEqual(['group1-shard1of1.bin']);
  });

  it('names what is wrong with a damaged folder', async () => {
    const bad = join(root, 'bad');
    await exportWebModel(run, bad);
    const json = JSON.parse(readFileSync(join(bad, 'model.json'), 'utf8')) as WebModelJson;
    const config = checkWebConfig(JSON.parse(readFileSync(join(bad, 'config.json'), 'utf8')), 'config.json');
    const shard = new Uint8Array(readFileSync(join(bad, 'group1-shard1of1.bin')));
    const tensors = tf.memory().numTensors;
    expect(() => netFromWebModel(config, json, new Map(), 'bad')).toThrow('bad/group1-shard1of1.bin: weight shard listed in model.json is missing; copy the whole exported folder');
    expect(() => netFromWebModel(config, json, new Map([['group1-shard1of1.bin', shard.subarray(0, 1000)]]), 'bad')).toThrow(
      `bad: the weight shards hold 1000 bytes but model.json needs ${shard.length}; the folder is incomplete or damaged, export it again`,
    );
    const other = checkWebConfig({ ...config, model: { ...config.model, backbone: 'resnet34' } }, 'config.json');
    expect(() => netFromWebModel(other, json, new Map([['group1-shard1of1.bin', shard]]), 'bad')).toThrow(WebModelError);
    expect(() => checkWebConfig({ crop_face: {} }, 'x/config.json')).toThrow(/^x\/config\.json: not a resolved CADDM config \(missing crop_face\.output_size, .*model\.backbone.*\); copy the run's config\.json/);
    const q = { weightsManifest: [{ ...json.weightsManifest[0], weights: json.weightsManifest[0].weights.map((w, i) => (i === 0 ? { ...w, dtype: 'int32' } : w)) }] };
    expect(() => netFromWebModel(config, q, new Map([['group1-shard1of1.bin', shard]]), 'bad')).toThrow(/only float32 weights/);
    // A network built for weights that did not fit is disposed.
    expect(tf.memory().numTensors).toBe(tensors);

    unlinkSync(join(bad, 'group1-shard1of1.bin'));
    expect(() => loadRun(bad)).toThrow(`${bad}/group1-shard1of1.bin: weight shard listed in model.json is missing; copy the whole exported folder`);
    writeFileSync(join(bad, 'model.json'), '{');
    expect(() => loadRun(bad)).toThrow(new RegExp(`^${join(bad, 'model.json')}: not valid JSON`));
  });
});
