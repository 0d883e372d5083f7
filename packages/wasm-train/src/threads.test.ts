import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { maxRelErr, tf, useWasm } from './__fixtures__/wasm.js';
import { MAX_WASM_THREADS, wasmThreadsFromEnv, WasmThreadsConfigError } from './threads.js';

describe('wasmThreadsFromEnv', () => {
  it('defaults to the available cores, at most MAX_WASM_THREADS', () => {
    expect(wasmThreadsFromEnv({})).toBe(Math.min(MAX_WASM_THREADS, os.availableParallelism()));
    expect(wasmThreadsFromEnv({ CADDM_WASM_THREADS: '' })).toBe(wasmThreadsFromEnv({}));
  });

  it('reads CADDM_WASM_THREADS, where 0 and 1 both mean one thread', () => {
    expect(wasmThreadsFromEnv({ CADDM_WASM_THREADS: '0' })).toBe(1);
    expect(wasmThreadsFromEnv({ CADDM_WASM_THREADS: '1' })).toBe(1);
    expect(wasmThreadsFromEnv({ CADDM_WASM_THREADS: ' 3 ' })).toBe(3);
    expect(wasmThreadsFromEnv({ CADDM_WASM_THREADS: '99' })).toBe(MAX_WASM_THREADS);
  });

  it('rejects a value that is not a whole number, naming it', () => {
    expect(() => wasmThreadsFromEnv({ CADDM_WASM_THREADS: 'two' })).toThrow(WasmThreadsConfigError);
    expect(() => wasmThreadsFromEnv({ CADDM_WASM_THREADS: '1.5' })).toThrow(/CADDM_WASM_THREADS='1.5'/);
  });
});

interface ChildResult {
  requested: number;
  threads: number;
  globalWorker: string;
  dx: number[];
  dw: number[];
}

/** Runs the fixture in a fresh Node process (TypeScript through tsx) with CADDM_WASM_THREADS=`threads`. */
function runChild(threads: string): Promise<{ status: number | null; signal: string | null; out: ChildResult }> {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const script = fileURLToPath(new URL('./__fixtures__/threads-child.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@caddm/source', '--import', 'tsx', script], {
      cwd: root,
      env: { ...process.env, CADDM_WASM_THREADS: threads },
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line == null) reject(new Error(`child printed no result (status ${status}, signal ${signal}):\n${stderr}`));
      else resolve({ status, signal, out: JSON.parse(line) as ChildResult });
    });
  });
}

describe('multi-threaded wasm in Node', () => {
  it('runs with 2 threads, gives the single-threaded results, and lets the process exit by itself', async () => {
    const two = await runChild('2');
    // The same computation here, single-threaded.
    await useWasm(1);
    const one = {
      status: 0,
      out: tf.tidy(() => {
        const x = tf.tensor4d(Float32Array.from({ length: 2 * 16 * 16 * 8 }, (_, i) => Math.sin(i)), [2, 16, 16, 8]);
        const w = tf.tensor4d(Float32Array.from({ length: 3 * 3 * 8 * 16 }, (_, i) => Math.cos(i)), [3, 3, 8, 16]);
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same').square().sum();
        const [dx, dw] = tf.grads(f)([x, w]);
        return { threads: 1, dx: Array.from(dx.dataSync().slice(0, 64)), dw: Array.from(dw.dataSync().slice(0, 64)) };
      }),
    };
    // A child that outlives the timeout is killed (signal set): status 0 means it exited on its own.
    expect(two.signal).toBeNull();
    expect(two.status).toBe(0);
    expect(one.status).toBe(0);
    expect(two.out.requested).toBe(2);
    expect(two.out.threads).toBe(2);
    expect(one.out.threads).toBe(1);
    // The glue's global Worker is removed again once the pool exists.
    expect(two.out.globalWorker).toBe('undefined');
    expect(maxRelErr(one.out.dx, two.out.dx)).toBeLessThan(1e-5);
    expect(maxRelErr(one.out.dw, two.out.dw)).toBeLessThan(1e-5);
  });
});
