/**
 * Run in a child process by threads.test.ts: sets up the wasm backend from
 * CADDM_WASM_THREADS, trains one conv step and prints one JSON line. It must
 * then exit on its own (no process.exit), i.e. no worker keeps it alive.
 */
import * as tf from '@tensorflow/tfjs';
import { setupWasmBackend, wasmThreadsInUse } from '../index.js';

const setup = setupWasmBackend();
await tf.setBackend('wasm');
const x = tf.tensor4d(Float32Array.from({ length: 2 * 16 * 16 * 8 }, (_, i) => Math.sin(i)), [2, 16, 16, 8]);
const w = tf.tensor4d(Float32Array.from({ length: 3 * 3 * 8 * 16 }, (_, i) => Math.cos(i)), [3, 3, 8, 16]);
const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same').square().sum())([x, w]);
process.stdout.write(
  JSON.stringify({
    requested: setup.threads,
    threads: wasmThreadsInUse(),
    globalWorker: typeof (globalThis as { Worker?: unknown }).Worker,
    dx: Array.from(dx.dataSync().slice(0, 64)),
    dw: Array.from(dw.dataSync().slice(0, 64)),
  }) + '\n',
);
