import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelErr, randomValues, tf, useWasm, wasmDataIds } from './__fixtures__/wasm.js';
import { FusedAdamOptimizer } from './adam.js';

/** Runs `steps` optimizer steps on two variables with fixed per-step gradients; returns their final values. */
async function train(backend: string, make: () => tf.Optimizer, steps = 4): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const a = tf.tidy(() => tf.variable(tf.tensor2d(randomValues(12, 1), [3, 4]), true, `a_${backend}_${Math.random()}`));
  const b = tf.tidy(() => tf.variable(tf.tensor1d(randomValues(5, 2)), true, `b_${backend}_${Math.random()}`));
  const opt = make();
  const counts: number[] = [];
  for (let s = 0; s < steps; s++) {
    const ga = tf.tensor2d(randomValues(12, 10 + s).map((x) => 3 * x), [3, 4]);
    const gb = tf.tensor1d(randomValues(5, 20 + s));
    opt.applyGradients({ [a.name]: ga, [b.name]: gb });
    tf.dispose([ga, gb]);
    counts.push(tf.memory().numTensors);
  }
  const out = [a.dataSync() as Float32Array, b.dataSync() as Float32Array];
  expect(new Set(counts.slice(1)).size, `tensor counts ${counts}`).toBe(1);
  opt.dispose();
  tf.dispose([a, b]);
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

describe('FusedAdamOptimizer', () => {
  beforeAll(() => useWasm());

  it('matches tf.train.adam (fused kernel on wasm, against tfjs Adam on cpu)', async () => {
    const ref = await train('cpu', () => tf.train.adam(0.01, 0.9, 0.999, 1e-7));
    const ours = await train('wasm', () => new FusedAdamOptimizer({ learningRate: 0.01 }));
    expect(maxRelErr(ref[0], ours[0])).toBeLessThan(1e-6);
    expect(maxRelErr(ref[1], ours[1])).toBeLessThan(1e-6);
  });

  it('gives the same AdamW + clipped step on wasm (kernel) and on cpu (ops)', async () => {
    const make = () => new FusedAdamOptimizer({ learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-8, weightDecay: 4e-3, clipValue: 2 });
    const cpu = await train('cpu', make);
    const wasm = await train('wasm', make);
    expect(maxRelErr(cpu[0], wasm[0])).toBeLessThan(1e-6);
    expect(maxRelErr(cpu[1], wasm[1])).toBeLessThan(1e-6);
    // Clipping and decay changed the result compared with plain Adam.
    const plain = await train('cpu', () => new FusedAdamOptimizer({ learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-8 }));
    expect(maxRelErr(plain[0], cpu[0])).toBeGreaterThan(1e-4);
  });

  it('implements decoupled weight decay: with a zero gradient, x shrinks by (1 - lr * wd)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tidy(() => tf.variable(tf.tensor1d([1, -2, 4]), true, `wd_${Math.random()}`));
    const opt = new FusedAdamOptimizer({ learningRate: 0.1, weightDecay: 0.5 });
    const g = tf.zeros([3]);
    opt.applyGradients({ [x.name]: g });
    expect(Array.from(x.dataSync())).toEqual([0.95, -1.9, 3.8].map((v) => Math.fround(v)));
    opt.dispose();
    tf.dispose([x, g]);
  });

  it('saves and restores its state (getWeights / setWeights)', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.tidy(() => tf.variable(tf.tensor1d([1, 2]), true, `sw_${Math.random()}`));
    const y = tf.tidy(() => tf.variable(tf.tensor1d([1, 2]), true, `sw_${Math.random()}`));
    const g = tf.tensor1d([0.5, -0.25]);
    const a = new FusedAdamOptimizer({ learningRate: 0.1 });
    const b = new FusedAdamOptimizer({ learningRate: 0.1 });
    a.applyGradients({ [x.name]: g });
    b.applyGradients({ [y.name]: g });
    const weights = await a.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', `${x.name}/m`, `${x.name}/v`]);
    // A fresh optimizer restored from a's state continues exactly like a.
    const c = new FusedAdamOptimizer({ learningRate: 0.1 });
    await c.setWeights(weights.map((w) => ({ name: w.name.replace(x.name, y.name), tensor: w.tensor })));
    expect(c.iterations).toBe(1);
    a.applyGradients({ [x.name]: g });
    c.applyGradients({ [y.name]: g });
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose(weights[0].tensor);
    [a, b, c].forEach((o) => o.dispose());
    tf.dispose([x, y, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects out-of-range hyper-parameters', () => {
    expect(() => new FusedAdamOptimizer({ learningRate: -1 })).toThrow(/learningRate = -1/);
    expect(() => new FusedAdamOptimizer({ learningRate: 0.1, beta1: 1 })).toThrow(/beta1/);
    expect(() => new FusedAdamOptimizer({ learningRate: 0.1, clipValue: 0 })).toThrow(/clipValue/);
  });

  it('frees its kernel temporaries', async () => {
    await tf.setBackend('wasm');
    const x = tf.tidy(() => tf.variable(tf.ones([10]), true, `ids_${Math.random()}`));
    const g = tf.ones([10]);
    const opt = new FusedAdamOptimizer({ learningRate: 0.1 });
    opt.applyGradients({ [x.name]: g });
    const ids = wasmDataIds();
    opt.applyGradients({ [x.name]: g });
    expect(wasmDataIds()).toBe(ids);
    opt.dispose();
    tf.dispose([x, g]);
  });
});
