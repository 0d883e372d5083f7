import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  initBackend,
  resetBackendSelection,
  tf,
  wasmBinaryDir,
  backendInfo,
} from './index.js';

afterEach(() => resetBackendSelection());

describe('initBackend', () => {
  it('fails clearly when CADDM_BACKEND forces a backend that is not installed', async () => {
    const p = initBackend({ env: { CADDM_BACKEND: 'node-gpu' }, quiet: true });
    await expect(p).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(initBackend({ env: { CADDM_BACKEND: 'node-gpu' }, quiet: true })).rejects.toThrow(
      /node-gpu: cannot load @tensorflow\/tfjs-node-gpu/,
    );
  });

  it('rejects an unknown CADDM_BACKEND value, listing the valid ones', async () => {
    await expect(initBackend({ env: { CADDM_BACKEND: 'tpu' }, quiet: true })).rejects.toThrow(
      /'tpu' is not a backend.*torch, node-gpu, node, wasm, cpu/,
    );
  });

  it('forces cpu through CADDM_BACKEND and passes the smoke test there', async () => {
    const info = await initBackend({ env: { CADDM_BACKEND: 'cpu' }, quiet: true });
    expect(info).toMatchObject({ choice: 'cpu', tfName: 'cpu', forced: true });
    expect(tf.getBackend()).toBe('cpu');
    expect(backendInfo()).toBe(info);
  });

  it('falls back past the uninstalled tfjs-node backends to wasm', async () => {
    const info = await initBackend({ prefer: ['node-gpu', 'node', 'wasm', 'cpu'], quiet: true });
    expect(info.attempts.slice(0, 2).map((a) => [a.choice, a.ok])).toEqual([
      ['node-gpu', false],
      ['node', false],
    ]);
    expect(info.choice).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('tries torch first by default: picks it when the addon is built, else says why and goes on', async () => {
    const info = await initBackend({ env: {}, quiet: true });
    const torch = info.attempts[0];
    expect(torch.choice).toBe('torch');
    if (torch.ok) {
      expect(info.choice).toBe('torch');
      expect(tf.getBackend()).toBe('torch');
    } else {
      expect(torch.reason).toMatch(/libtorch|torch:build/);
      expect(info.choice).toBe('wasm');
    }
  });

  it('memoises the first selection', async () => {
    const a = await initBackend({ prefer: 'cpu', quiet: true });
    const b = await initBackend({ prefer: 'wasm', quiet: true });
    expect(b).toBe(a);
  });
});

describe('wasm binaries', () => {
  it('ships its .wasm files inside the installed package', () => {
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
      const p = wasmBinaryDir() + f;
      expect(existsSync(p)).toBe(true);
      // A real WebAssembly module starts with "\0asm".
      expect(readFileSync(p).subarray(0, 4).toString('latin1')).toBe('\0asm');
    }
  });

  it('initialises wasm with the network disabled (fetch throws)', () => {
    const script = `
      globalThis.fetch = () => { throw new Error('network used'); };
      const { initBackend, tf } = await import('@caddm/tf');
      const info = await initBackend({ prefer: 'wasm', quiet: true });
      console.log(JSON.stringify({ choice: info.choice, sum: tf.ones([3]).sum().dataSync()[0] }));
    `;
    const r = spawnSync(process.execPath, ['--conditions=@caddm/source', '--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url).pathname,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).not.toMatch(/network used/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop() as string)).toEqual({ choice: 'wasm', sum: 3 });
  });
});
