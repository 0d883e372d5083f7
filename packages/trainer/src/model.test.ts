import { countTensors, initBackend, tf } from '@caddm/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from './config/index.js';
import { buildNet, modelOptionsOf } from './model.js';

beforeAll(async () => {
  await initBackend({ quiet: true });
});

describe('buildNet', () => {
  it('builds the mini CADDM with anchors that match its maps, and the baseline without', () => {
    const before = countTensors();
    const mini = resolveConfig({}, { profile: 'mini' });
    expect(modelOptionsOf(mini)).toMatchObject({ inputSize: 112, outputStride: 16, widthMultiplier: 0.25 });
    const b = buildNet(mini);
    expect(b.priors?.count).toBe(168);
    const y = tf.tidy(() => b.net.forward(tf.zeros([2, 112, 112, 3]), false).loc?.shape);
    expect(y).toEqual([2, 168, 4]);
    b.net.dispose();
    const base = buildNet(resolveConfig({ ablation: { adm: false } }, { profile: 'mini' }));
    expect(base.priors).toBeUndefined();
    expect(base.net.model.outputs.length).toBe(1);
    base.net.dispose();
    expect(countTensors()).toBe(before);
  });
  it('initialises from train.seed: same seed, same weights (ADM head included)', () => {
    const before = countTensors();
    const cfg = (seed: number) => resolveConfig({ model: { width: 0.125 }, train: { seed } }, { profile: 'mini' });
    const [a, b, c] = [buildNet(cfg(3)), buildNet(cfg(3)), buildNet(cfg(4))];
    const last = (n: typeof a) => Array.from(n.net.model.getWeights().at(-1)!.dataSync());
    const first = (n: typeof a) => Array.from(n.net.model.getWeights()[0].dataSync());
    expect(first(a)).toEqual(first(b));
    expect(first(a)).not.toEqual(first(c));
    const head = (n: typeof a) => n.net.model.getWeights().filter((w) => w.shape.length === 4).map((w) => Array.from(w.dataSync())).at(-1);
    expect(head(a)).toEqual(head(b));
    expect(last(a)).toEqual(last(b));
    for (const n of [a, b, c]) n.net.dispose();
    expect(countTensors()).toBe(before);
  });
  it('uses stride 32 at 224 px', () => {
    expect(modelOptionsOf(resolveConfig({ model: { width: 0.25 } })).outputStride).toBe(32);
  });
  it('refuses anchors laid out for other maps', () => {
    const cfg = resolveConfig({ adm_det: { feature_maps: [7, 5, 3], steps: [32, 45, 75], min_sizes: [40, 80, 120], max_sizes: [80, 120, 160] }, model: { width: 0.125 } });
    expect(() => buildNet(cfg)).toThrow(/detection maps are \[7,5,3,1\] but adm_det.feature_maps is \[7,5,3\]/);
  });
});
