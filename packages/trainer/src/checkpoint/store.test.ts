import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointError, CheckpointStore } from './store.js';

const root = mkdtempSync(join(tmpdir(), 'caddm-ckpt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `s${n++}`);
const bytes = (...v: number[]) => new Uint8Array(v);

describe('CheckpointStore', () => {
  it('round-trips files and metadata', () => {
    const s = new CheckpointStore(fresh());
    const p = s.save({ step: 7, epoch: 1, rng: [1, 2, 3] }, { 'model.bin': bytes(1, 2, 3), 'opt.bin': bytes(9) });
    const c = s.latest();
    expect(c?.path).toBe(p);
    expect(c?.meta).toEqual({ step: 7, epoch: 1, rng: [1, 2, 3] });
    expect(Array.from(c?.files['model.bin'] ?? [])).toEqual([1, 2, 3]);
  });

  it('keeps only the newest N', () => {
    const s = new CheckpointStore(fresh(), { keep: 2 });
    for (const step of [1, 2, 3, 4]) s.save({ step, epoch: 0 }, { f: bytes(step) });
    expect(s.list().map((p) => p.slice(-2))).toEqual(['03', '04']);
  });

  it('skips a corrupt newest checkpoint with a warning and falls back to the previous one', () => {
    const warnings: string[] = [];
    const s = new CheckpointStore(fresh(), { warn: (m) => warnings.push(m) });
    s.save({ step: 1, epoch: 0 }, { f: bytes(1, 1) });
    const bad = s.save({ step: 2, epoch: 0 }, { f: bytes(2, 2) });
    writeFileSync(join(bad, 'f'), bytes(2, 3)); // bit rot, same size
    expect(s.latest()?.meta.step).toBe(1);
    expect(warnings[0]).toMatch(/step-000000002: f does not match its SHA-256; skipped/);
    expect(() => s.load(bad)).toThrow(CheckpointError);
  });

  it('treats a directory without manifest as partial, and ignores/cleans temporaries', () => {
    const warnings: string[] = [];
    const dir = fresh();
    const s = new CheckpointStore(dir, { warn: (m) => warnings.push(m) });
    s.save({ step: 1, epoch: 0 }, { f: bytes(1) });
    mkdirSync(join(dir, 'step-000000005'));
    mkdirSync(join(dir, '.tmp-step-6-1-1'));
    expect(s.latest()?.meta.step).toBe(1);
    expect(warnings[0]).toMatch(/no manifest\.json \(partial write\)/);
    s.save({ step: 7, epoch: 0 }, { f: bytes(7) });
    expect(readdirSync(dir).some((d) => d.startsWith('.tmp-'))).toBe(false);
  });

  it('survives SIGKILL in the middle of writing: the last complete checkpoint stays loadable', async () => {
    const dir = fresh();
    // A child that saves checkpoints of 8 MB in a loop; we kill it mid-way.
    const script = `
      const { CheckpointStore } = await import(${JSON.stringify(new URL('./store.ts', import.meta.url).pathname)});
      const s = new CheckpointStore(${JSON.stringify(dir)}, { keep: 2 });
      const big = new Uint8Array(8 << 20);
      for (let step = 1; ; step++) { big.fill(step & 255); s.save({ step, epoch: 0 }, { 'w.bin': big }); process.stdout.write(step + '\\n'); }
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = 0;
    const signal = await new Promise<NodeJS.Signals | null>((resolveExit) => {
      child.stdout.on('data', (d: Buffer) => {
        seen += d.toString().split('\n').filter(Boolean).length;
        // Kill at a random moment after a few saves: most likely mid-write of the next one.
        if (seen >= 3) setTimeout(() => child.kill('SIGKILL'), Math.random() * 20);
      });
      child.on('exit', (_code, sig) => resolveExit(sig));
    });
    expect(signal).toBe('SIGKILL');
    const s = new CheckpointStore(dir, { warn: () => {} });
    const c = s.latest();
    expect(c).toBeDefined();
    const step = c?.meta.step ?? 0;
    expect(step).toBeGreaterThanOrEqual(2);
    expect(c?.files['w.bin'][12345]).toBe(step & 255);
    expect(existsSync(join(dir, `step-${String(step).padStart(9, '0')}`, 'manifest.json'))).toBe(true);
  });

  it('validates its arguments', () => {
    expect(() => new CheckpointStore(fresh(), { keep: 0 })).toThrow(/keep/);
    const s = new CheckpointStore(fresh());
    expect(() => s.save({ step: -1, epoch: 0 }, {})).toThrow(/step/);
    expect(() => s.save({ step: 1, epoch: 0 }, { '../x': bytes(1) })).toThrow(/invalid checkpoint file name/);
  });
});
