/**
 * The torch backend (`@caddm/torch`) on the project's real models: every kernel a
 * training step dispatches is native, a full CADDM ResNet-34 forward pass, its
 * gradients and one Adam step equal the wasm backend's, training lowers the loss,
 * and 50 steps leak neither tensors nor native memory.
 */
import { createCaddm } from '@caddm/adm';
import { caddmLoss } from '@caddm/losses';
import { missingForTests } from '@caddm/testkit';
import { initBackend, tf } from '@caddm/tf';
import { TORCH_KERNELS, setupTorchBackend } from '@caddm/torch';
import { setupWasmBackend } from '@caddm/wasm-train';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/index.js';
import { buildNet } from '../model.js';
import { LayersNet } from './layers-net.js';
import { TrainOptimizer } from './optimizer.js';
import { trainStep, type TrainBatch } from './step.js';

let torchReason: string | undefined;
try {
  setupTorchBackend();
} catch (e) {
  torchReason = (e as Error).message.split('\n')[0];
  missingForTests(`the torch backend is unavailable (${torchReason})`, 'apt-get install libtorch-dev, then pnpm torch:build');
}

const NATIVE = new Set(TORCH_KERNELS.map((k) => k.kernelName));

/** A seeded batch with anchor targets for `anchors` priors (about one positive in eight for fakes). */
function batchFor(size: number, anchors: number, b: number, seed: number): TrainBatch {
  return tf.tidy(() => {
    const labels = tf.tensor1d(Array.from({ length: b }, (_, i) => i % 2), 'int32');
    const images = tf.randomNormal([b, size, size, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
    if (anchors === 0) return { images, labels };
    const pos = Array.from({ length: b * anchors }, (_, k) => (Math.floor(k / anchors) % 2 === 1 && k % 8 === 3 ? 1 : 0));
    const confT = tf.tensor2d(pos, [b, anchors], 'int32');
    const locT = tf.randomNormal([b, anchors, 4], 0, 0.1, 'float32', seed + 1) as tf.Tensor3D;
    return { images, labels, locT, confT };
  });
}

const dispose = (b: TrainBatch) => tf.dispose(Object.values(b) as tf.Tensor[]);

/** max |a - b| / max |b|: agreement relative to the tensor's scale. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / Math.max(m, 1e-30);
}

describe.skipIf(torchReason != null)('the torch backend on the project models', () => {
  beforeAll(async () => {
    setupWasmBackend();
    await initBackend({ prefer: 'torch', quiet: true });
  });

  // First in the file, so that no larger model has grown the heap before it.
  it('lowers the loss over 20 steps, and 50 steps after warm-up leak neither tensors nor native memory', async () => {
    await tf.setBackend('torch');
    const config = resolveConfig({}, { profile: 'mini' });
    const built = buildNet(config);
    const opt = new TrainOptimizer({ kind: 'adam', lr: 1e-3 });
    const batch = batchFor(config.crop_face.output_size, built.priors!.count, 4, 3);
    const native = () => (tf.memory() as unknown as { nativeHandles: number }).nativeHandles;
    const losses: number[] = [];
    // RSS grows for the first ~40 steps (allocator pools, oneDNN's primitive cache), then stays flat.
    const WARM = 40;
    let tensors = 0;
    let handles = 0;
    let rss = 0;
    for (let s = 0; s < WARM + 50; s++) {
      losses.push(trainStep(built.net, opt, batch, {}, s).loss);
      if (s === WARM) {
        tensors = tf.memory().numTensors;
        handles = native();
        rss = process.memoryUsage().rss;
      }
      if (s > WARM) {
        expect(tf.memory().numTensors).toBe(tensors);
        expect(native()).toBe(handles);
      }
    }
    const grown = (process.memoryUsage().rss - rss) / 2 ** 20;
    // A leak of one step's activations would be ~20 MiB a step; the allocator still moves by a few MiB.
    expect(grown, `RSS grew ${grown.toFixed(1)} MiB over 50 steps`).toBeLessThan(32);
    expect((tf.memory() as unknown as { nativeBytes: number }).nativeBytes).toBeGreaterThan(0);
    expect((losses[18] + losses[19]) / 2).toBeLessThan((losses[0] + losses[1]) / 2);
    dispose(batch);
    opt.dispose();
    built.net.dispose();
  }, 300_000);

  it.each([
    ['CADDM ResNet-34', {}],
    ['binary ResNet-34', { ablation: { adm: false } }],
    ['CADDM EfficientNet-b0', { model: { backbone: 'efficientnet-b0' } }],
    ['binary Xception', { ablation: { adm: false }, model: { backbone: 'xception' } }],
  ] as const)('%s: a training step dispatches only native kernels', async (_, overrides) => {
    await tf.setBackend('torch');
    const config = resolveConfig(overrides as never, { profile: 'mini' });
    const built = buildNet(config);
    const opt = new TrainOptimizer({ kind: 'adam', lr: 1e-3 });
    const batch = batchFor(config.crop_face.output_size, built.priors?.count ?? 0, 2, 1);
    const profile = await tf.profile(() => void trainStep(built.net, opt, batch));
    // kernelNames also lists op scopes; the kernels among them are those registered on torch.
    const fallback = [...new Set(profile.kernelNames)].filter((k) => tf.getKernel(k, 'torch') != null && !NATIVE.has(k));
    expect(fallback).toEqual([]);
    dispose(batch);
    opt.dispose();
    built.net.dispose();
  });

  it('a full CADDM ResNet-34 (224 px): forward, loss, gradients and one training step with Adam equal the wasm backend within 1e-4', async () => {
    const lr = 1e-3;
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const model = createCaddm('paper-resnet34', { seed: 5 });
      const net = new LayersNet(model.model);
      const batch = batchFor(224, model.numAnchors, 2, 7);
      const out = net.forward(batch.images, false);
      const forward = [out.loc, out.conf, out.logits].map((t) => t!.dataSync().slice());
      tf.dispose([out.loc, out.conf, out.logits] as tf.Tensor[]);
      const vars = net.trainableVariables as tf.Variable[];
      const before = vars.map((v) => v.dataSync().slice());
      // Gradients of the CADDM loss with batch norm in inference mode: the network as a fixed
      // function. (In training mode, float32 cancellation in batch-norm backprop limits any two
      // implementations to ~1e-3 agreement at this depth: cpu and wasm differ that much too.)
      // Gradients of the CADDM loss with batch norm in inference mode: the network as a fixed
      // function. (In training mode at batch 2 the ADM's 1x1 maps normalise two values per
      // channel, so float32 rounding flips individual gradient elements: cpu and wasm
      // disagree by ~1e-3 there too.)
      const { value, grads } = tf.variableGrads(() => {
        const o = net.forward(batch.images, false);
        return caddmLoss({ locP: o.loc!, confP: o.conf!, locT: batch.locT!, confT: batch.confT!, logits: o.logits, labels: batch.labels }, { validate: false }).total;
      }, vars);
      const loss = value.dataSync()[0];
      const g = vars.map((v) => grads[v.name].dataSync().slice());
      // The trainer's own step (batch norm in training mode) at learning rate 0: its loss.
      const still = new TrainOptimizer({ kind: 'adam', lr: 0 });
      const trainLoss = trainStep(net, still, batch).loss;
      still.dispose();
      // One Adam step with the gradients above.
      const opt = new TrainOptimizer({ kind: 'adam', lr });
      opt.apply(vars, grads);
      const after = vars.map((v) => v.dataSync().slice());
      tf.dispose([value, ...Object.values(grads)]);
      opt.dispose();
      dispose(batch);
      model.dispose();
      return { forward, loss, g, trainLoss, before, after };
    };
    const ref = await run('wasm');
    const got = await run('torch');
    // Same seeded initialisation on both backends.
    ref.before.forEach((w, i) => expect(relErr(got.before[i], w), `initial weight ${i}`).toBe(0));
    got.forward.forEach((t, i) => expect(relErr(t, ref.forward[i]), `forward output ${i}`).toBeLessThan(1e-4));
    expect(Math.abs(got.loss - ref.loss) / Math.abs(ref.loss)).toBeLessThan(1e-4);
    let worst = 0;
    got.g.forEach((t, i) => (worst = Math.max(worst, relErr(t, ref.g[i]))));
    expect(worst, 'largest gradient disagreement, relative to each tensor').toBeLessThan(1e-4);
    expect(Math.abs(got.trainLoss - ref.trainLoss) / Math.abs(ref.trainLoss)).toBeLessThan(1e-4);
    // Adam's first update is lr·g/(|g| + eps): compared where the sign of g is well defined
    // (|g| > 1% of the tensor's largest).
    let bad = 0;
    ref.g.forEach((g, i) => {
      let gmax = 0;
      for (const v of g) gmax = Math.max(gmax, Math.abs(v));
      for (let k = 0; k < g.length; k++) {
        if (Math.abs(g[k]) <= 0.01 * gmax) continue;
        const dRef = ref.after[i][k] - ref.before[i][k];
        const dGot = got.after[i][k] - got.before[i][k];
        if (Math.abs(dGot - dRef) > 1e-4 * lr + 1e-6 * Math.abs(ref.before[i][k])) bad++;
      }
    });
    expect(bad, 'updated weights that differ by more than 1e-4 of the step').toBe(0);
  }, 300_000);

});
