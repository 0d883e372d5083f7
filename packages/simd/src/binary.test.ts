import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KERNELS_WASM } from './module.js';

describe('wasm/kernels.wasm', () => {
  it('is what assembly/kernels.ts compiles to (run `pnpm --filter @caddm/simd build:wasm` after editing it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caddm-simd-'));
    try {
      const fresh = join(dir, 'kernels.wasm');
      execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url)), fresh], { stdio: 'pipe' });
      expect(Buffer.compare(readFileSync(fresh), readFileSync(KERNELS_WASM))).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
