/**
 * The torch backend on a GPU machine (bundled into tools/gpu/carry/check.mjs by prepare.mjs,
 * run by check.sh). Prints JSON lines:
 *   {"kind":"info",...}                      libtorch version, device, CUDA devices
 *   {"kind":"kernel","name",...,"error"}     each kernel check on the device against tfjs' cpu backend
 *   {"kind":"time","name","ms","runs"}       CADDM ResNet-34 (224) train step and forward per batch size
 * Exits non-zero when a kernel check fails. Environment: CADDM_DEVICE (default cuda),
 * CADDM_GPU_BATCHES (default 32,128), CADDM_GPU_RUNS (default 5).
 */
import { benchStep } from '../../packages/adm/bench/caddm.js';
import { createCaddm } from '../../packages/adm/src/index.js';
import { tf } from '../../packages/tf/src/index.js';
import { evaluateKernelCheck, KERNEL_CHECKS, setupTorchBackend, worstError } from '../../packages/torch/src/index.js';
import { FusedAdamOptimizer } from '../../packages/wasm-train/src/index.js';

const print = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');

const setup = setupTorchBackend({ device: (process.env.CADDM_DEVICE as 'cpu' | 'cuda' | undefined) ?? 'cuda' });
// Directly, not through initBackend(): its import of @caddm/torch is by name at run time, outside the bundle.
if (!(await tf.setBackend('torch'))) throw new Error('the torch backend did not initialise');
print({ kind: 'info', ...setup });

let failed = 0;
for (const c of KERNEL_CHECKS) {
  const t0 = performance.now();
  try {
    const want = await evaluateKernelCheck(c, 'cpu');
    const got = await evaluateKernelCheck(c, 'torch');
    const out = worstError(got.out, want.out);
    const grad = worstError(got.grads, want.grads);
    const tol = c.tol ?? 2e-5;
    const ok = out.error <= tol && grad.error <= tol;
    if (!ok) failed++;
    print({ kind: 'kernel', name: c.name, ok, error: Math.max(out.error, grad.error), where: out.error >= grad.error ? out.where : grad.where, ms: Math.round(performance.now() - t0) });
  } catch (e) {
    failed++;
    print({ kind: 'kernel', name: c.name, ok: false, error: String((e as Error).message).split('\n')[0] });
  }
}

await tf.setBackend('torch');
const native = (tf.backend() as unknown as { native: { sync(): void } }).native;
const runs = Number(process.env.CADDM_GPU_RUNS ?? 5);
const model = createCaddm('paper-resnet34');
const opt = new FusedAdamOptimizer({ learningRate: 1e-3 });
for (const b of (process.env.CADDM_GPU_BATCHES ?? '32,128').split(',').map(Number)) {
  const step = benchStep(model, opt, b);
  for (const [name, fn] of [[`caddm_resnet34_train_224_b${b}_${setup.device}`, step.train], [`caddm_resnet34_predict_224_b${b}_${setup.device}`, step.predict]] as const) {
    for (let i = 0; i < 3; i++) fn();
    const ts: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      fn();
      native.sync();
      ts.push(performance.now() - t0);
    }
    ts.sort((p, q) => p - q);
    print({ kind: 'time', name, ms: Math.round(ts[Math.floor(ts.length / 2)] * 1000) / 1000, runs, backend: `torch ${setup.device}` });
  }
  step.dispose();
}
print({ kind: 'done', failedKernels: failed, tensors: tf.memory().numTensors });
process.exit(failed > 0 ? 1 : 0);
