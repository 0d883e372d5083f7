import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitCommit, runCommit, writeReport } from './report.js';
import type { Experiment, ExperimentContext } from './types.js';

const tmp = mkdtempSync(join(tmpdir(), 'caddm-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const COMMIT = /^([0-9a-f]{40}(-dirty)?|unknown)$/;

describe('gitCommit', () => {
  it('names HEAD of a repository, with -dirty once the tree changes', () => {
    const repo = join(tmp, 'repo');
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { encoding: 'utf8' }).trim();
    execFileSync('git', ['init', '-q', repo]);
    writeFileSync(join(repo, 'a.txt'), 'a\n');
    git('add', 'a.txt');
    git('commit', '-q', '-m', 'first');
    const head = git('rev-parse', 'HEAD');
    expect(gitCommit(repo)).toBe(head);
    // Reports are outputs: a changed or new file under experiments/results does not make the code dirty.
    mkdirSync(join(repo, 'experiments', 'results'), { recursive: true });
    writeFileSync(join(repo, 'experiments', 'results', 'table1-mini.md'), 'r\n');
    expect(gitCommit(join(repo, 'experiments'))).toBe(head);
    writeFileSync(join(repo, 'b.txt'), 'b\n');
    expect(gitCommit(repo)).toBe(`${head}-dirty`);
    expect(gitCommit(join(repo, 'experiments'))).toBe(`${head}-dirty`);
  });
  it('says unknown outside a repository, for a missing folder, and without git, and never throws', () => {
    const plain = mkdtempSync(join(tmp, 'plain-'));
    expect(gitCommit(plain)).toBe('unknown');
    expect(gitCommit(join(tmp, 'no', 'such', 'folder'))).toBe('unknown');
    const path = process.env.PATH;
    process.env.PATH = join(tmp, 'no-bin');
    try {
      expect(gitCommit()).toBe('unknown');
    } finally {
      process.env.PATH = path;
    }
  });
  it('names this code\'s commit once per process', () => {
    expect(runCommit()).toMatch(COMMIT);
    expect(runCommit()).toBe(runCommit());
  });
});

describe('writeReport', () => {
  const exp: Experiment = { name: 'demo', title: 'A demo', paperRef: 'Table 0', run: async () => ({ markdown: '' }) };
  const ctx = (outDir: string): ExperimentContext => ({ profile: 'mini', quick: true, seed: 3, data: {}, outDir, log: () => {} });
  const base = { backend: 'cpu', wallSeconds: 1.5, startedAt: '2025-01-01T00:00:00.000Z', command: 'pnpm exp demo --quick' };

  it('fills the commit and the seeds into the header and the JSON meta', () => {
    const out = join(tmp, 'plain-report');
    const md = readFileSync(writeReport(exp, ctx(out), { markdown: 'body' }, base), 'utf8');
    const raw = JSON.parse(readFileSync(join(out, 'demo-mini-quick.json'), 'utf8'));
    expect(raw.meta.commit).toBe(runCommit());
    expect(raw.meta.commit).toMatch(COMMIT);
    expect(raw.meta.seeds).toEqual([3]);
    expect(raw.meta.configHash).toBeUndefined();
    expect(md).toContain(`| commit | ${runCommit()} |`);
    expect(md).toMatch(/\| seed \| 3 \|/);
    expect(md).not.toMatch(/\| seeds \|/);
    expect(md).not.toMatch(/config hash/);
  });
  it('keeps a given commit, several seeds and a config hash', () => {
    const out = join(tmp, 'seeds-report');
    const meta = { ...base, commit: 'abc123-dirty', seeds: [1, 2, 3], configHash: 'f00d' };
    const md = readFileSync(writeReport(exp, ctx(out), { markdown: 'body' }, meta), 'utf8');
    const raw = JSON.parse(readFileSync(join(out, 'demo-mini-quick.json'), 'utf8'));
    expect(raw.meta).toMatchObject({ commit: 'abc123-dirty', seeds: [1, 2, 3], configHash: 'f00d' });
    expect(md).toContain('| commit | abc123-dirty |');
    expect(md).toContain('| seeds | 1, 2, 3 |');
    expect(md).toContain('| config hash | f00d |');
  });
});
