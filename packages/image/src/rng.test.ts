import { describe, expect, it } from 'vitest';
import { createRng, mulberry32 } from './rng.js';

describe('createRng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xa = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(xa);
    expect(mulberry32(42)()).toBe(xa[0]);
  });

  it('uniform, normal and int have the right ranges and moments', () => {
    const r = createRng(7);
    const n = 20000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    const counts = new Array(5).fill(0);
    let umin = Infinity;
    let umax = -Infinity;
    for (let i = 0; i < n; i++) {
      const u = r.uniform(2, 4);
      umin = Math.min(umin, u);
      umax = Math.max(umax, u);
      su += u;
      const z = r.normal(1, 3);
      sn += z;
      sn2 += z * z;
      const k = r.int(-2, 3);
      counts[k + 2]++;
    }
    expect(umin).toBeGreaterThanOrEqual(2);
    expect(umax).toBeLessThan(4);
    expect(umax - umin).toBeGreaterThan(1.99);
    expect(su / n).toBeCloseTo(3, 1);
    const mean = sn / n;
    expect(mean).toBeCloseTo(1, 1);
    expect(Math.sqrt(sn2 / n - mean * mean)).toBeCloseTo(3, 1);
    expect(counts.reduce((x: number, y: number) => x + y, 0)).toBe(n); // nothing outside -2..2
    for (const cnt of counts) expect(cnt / n).toBeGreaterThan(0.18); // all of -2..2, roughly uniform
  });

  it('choice, shuffle, bool, fill and fork', () => {
    const r = createRng(1);
    const items = [1, 2, 3, 4, 5, 6];
    expect(items).toContain(r.choice(items));
    const sh = r.shuffle(items.slice());
    expect(sh.slice().sort()).toEqual(items);
    expect(sh).not.toEqual(items);
    let t = 0;
    for (let i = 0; i < 1000; i++) t += r.bool(0.2) ? 1 : 0;
    expect(t).toBeGreaterThan(150);
    expect(t).toBeLessThan(250);
    const f = r.fillUniform(new Float32Array(100), -1, 1);
    expect(Math.min(...f)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...f)).toBeLessThan(1);
    const g = r.fork();
    expect(g.next()).not.toBe(r.next());
  });

  it('rejects bad arguments', () => {
    expect(() => createRng(NaN)).toThrow(/seed/);
    expect(() => createRng(1).int(3, 3)).toThrow(/lo < hi/);
    expect(() => createRng(1).choice([])).toThrow(/empty/);
  });
});
