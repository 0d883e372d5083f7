import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlError, JsonlWriter, Progress, formatDuration, readJsonl } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'runlog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, columns: 200, write: (s: string) => (out.push(s), true) } as never };
}

describe('Progress', () => {
  it('computes the ETA from the average rate and prints extra fields', () => {
    let t = 0;
    const s = sink(false);
    const bar = new Progress({ total: 10, label: 'train', stream: s.stream, intervalMs: 0, now: () => t });
    t = 2000;
    bar.tick(2, { loss: 0.5 });
    expect(bar.eta()).toBeCloseTo(8, 6); // 1 s per unit, 8 left
    expect(s.out[0]).toMatch(/^train \[#####\.+\] 2\/10 20% 1\/s elapsed 2s ETA 8s \| loss 0\.5000\n$/);
  });
  it('throttles redraws on non-TTY streams but always draws completion', () => {
    let t = 0;
    const s = sink(false);
    const bar = new Progress({ total: 3, stream: s.stream, now: () => t });
    t = 10;
    bar.tick();
    t = 20;
    bar.tick();
    expect(s.out.length).toBe(1);
    t = 30;
    bar.tick();
    expect(s.out.length).toBe(2);
    expect(s.out[1]).toMatch(/3\/3 100%/);
  });
  it('redraws in place on a TTY and ends the line on done()', () => {
    let t = 0;
    const s = sink(true);
    const bar = new Progress({ total: 2, stream: s.stream, intervalMs: 0, now: () => t });
    t = 1;
    bar.tick();
    bar.done();
    bar.done();
    expect(s.out[0].startsWith('\r')).toBe(true);
    expect(s.out.at(-1)?.endsWith('\n')).toBe(true);
    expect(s.out.length).toBe(2);
  });
  it('rejects a bad total', () => {
    expect(() => new Progress({ total: Number.NaN })).toThrow(/finite number/);
  });
  it('formats durations', () => {
    expect([formatDuration(5), formatDuration(185), formatDuration(3720), formatDuration(Number.NaN)]).toEqual([
      '5s',
      '3m05s',
      '1h02m',
      '?',
    ]);
  });
});

describe('JSONL', () => {
  it('round-trips records and stamps the time', () => {
    const f = join(dir, 'a', 'log.jsonl');
    const w = new JsonlWriter(f);
    w.write({ step: 1, loss: 0.5 });
    w.write({ step: 2, loss: 0.25, time: 'fixed' });
    const r = readJsonl<{ step: number; loss: number; time: string }>(f);
    expect(r.map((x) => x.value.step)).toEqual([1, 2]);
    expect(r[0].value.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(r[1].value.time).toBe('fixed');
  });
  it('drops a truncated last line (a killed writer) and reports it', () => {
    const f = join(dir, 'cut.jsonl');
    new JsonlWriter(f).write({ step: 1 });
    appendFileSync(f, '{"step": 2, "lo');
    const cut: number[] = [];
    const r = readJsonl(f, (line) => cut.push(line));
    expect(r.length).toBe(1);
    expect(cut).toEqual([2]);
  });
  it('throws naming the file and line for corruption in the middle', () => {
    const f = join(dir, 'bad.jsonl');
    appendFileSync(f, '{"a":1}\nnot json\n{"a":3}\n');
    expect(() => readJsonl(f)).toThrow(JsonlError);
    expect(() => readJsonl(f)).toThrow(/bad\.jsonl:2: not valid JSON/);
  });
  it('reads a missing file as empty', () => {
    expect(readJsonl(join(dir, 'none.jsonl'))).toEqual([]);
  });
});
