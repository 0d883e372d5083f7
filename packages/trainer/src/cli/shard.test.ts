import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareEmbedded, type EmbeddedData } from '../data/embedded.js';
import { importWeights } from '../import-weights.js';
import { runCliCaptured } from './__fixtures__/run-cli.js';
import { fileTree } from '@caddm/testkit';

const repo = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const root = mkdtempSync(join(tmpdir(), 'caddm-shards-'));
let data: EmbeddedData;

beforeAll(async () => {
  data = await prepareEmbedded({ profile: 'tiny', seed: 5, root, progress: false, log: () => {} });
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));


/** `caddm <args>` as its own process (the CLI from source, as on a cluster node). */
function spawnCli(args: string[]) {
  return spawn(process.execPath, ['--conditions=@caddm/source', '--import', 'tsx', join(repo, 'packages/trainer/src/cli/bin.ts'), ...args], { cwd: repo, stdio: 'ignore', env: { ...process.env, CADDM_QUIET: '1' } });
}

/** The exit code of a child (null when killed); attach it right after spawning. */
const exited = (child: ReturnType<typeof spawnCli>) => new Promise<number | null>((res) => child.on('exit', (code) => res(code)));

describe('sharded preprocessing and evaluation on the tiny benchmark', () => {
  it('3 shard processes (one killed mid-way and run again) merge into the single-process cache, byte for byte', async () => {
    const single = join(root, 'single');
    expect((await runCliCaptured(['preprocess', '--data', data.ffppRoot, '--out', single, '--frames', '3'])).code).toBe(0);
    const sharded = join(root, 'sharded');
    const args = (i: number) => ['preprocess', '--data', data.ffppRoot, '--out', sharded, '--frames', '3', '--shard', `${i}/3`];
    const children = [0, 1, 2].map((i) => spawnCli(args(i)));
    // Listen for their exits at once: a child that ends before a listener is attached never reports it.
    const exits = children.map(exited);
    // Kill shard 1 once it has written part of its manifest.
    const manifest1 = join(sharded, 'shards/1-of-3/manifest.jsonl');
    const killed = await new Promise<boolean>((res) => {
      const t = setInterval(() => {
        if (existsSync(manifest1) && readFileSync(manifest1, 'utf8').length > 0) {
          clearInterval(t);
          res(children[1].kill('SIGKILL'));
        }
      }, 20);
      children[1].on('exit', () => {
        clearInterval(t);
        res(false);
      });
    });
    const codes = await Promise.all(exits);
    expect([codes[0], codes[2]]).toEqual([0, 0]);
    if (killed && codes[1] === null) {
      const refused = await runCliCaptured(['merge', sharded]);
      expect(refused.code).toBe(2);
      expect(refused.out).toMatch(/cannot merge 3 shards: unfinished shard\(s\) 1; run those indices again \(--shard I\/3\), then merge/);
    }
    // Only the killed index runs again; it resumes its own manifest.
    expect(await exited(spawnCli(args(1)))).toBe(0);
    const merged = await runCliCaptured(['merge', sharded]);
    expect(merged.code, merged.out).toBe(0);
    const a = fileTree(single);
    const b = fileTree(sharded);
    for (const m of [a, b]) m.delete('summary.json');
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);
    expect(existsSync(join(sharded, 'shards'))).toBe(false);
  }, 240_000);

  it('evaluation shards merge into the metrics.json and videos.csv of a single-process evaluation; a missing shard is refused', async () => {
    const fixture = fileURLToPath(new URL('../__fixtures__/reference-caddm/epoch_0.pkl', import.meta.url));
    const run = join(root, 'run');
    await importWeights({ file: fixture, arch: 'resnet34', out: run, overrides: { 'model.width': 0.03125, 'dataset.test_frames': 3 } });
    const single = join(root, 'eval-single');
    const one = await runCliCaptured(['eval', '--run', run, '--cache', data.cache, '--split', 'test', '--out', single]);
    expect(one.code, one.out).toBe(0);
    const sharded = join(root, 'eval-sharded');
    const shard = (i: number) => runCliCaptured(['eval', '--run', run, '--cache', data.cache, '--split', 'test', '--out', sharded, '--shard', `${i}/4`]);
    for (const i of [0, 1, 3]) {
      const r = await shard(i);
      expect(r.code, r.out).toBe(0);
    }
    const refused = await runCliCaptured(['merge', sharded]);
    expect(refused.code).toBe(2);
    expect(refused.out).toMatch(/cannot merge 4 evaluation shards: missing or unfinished shard\(s\) 2/);
    expect((await shard(2)).code).toBe(0);
    const merged = await runCliCaptured(['merge', sharded]);
    expect(merged.code, merged.out).toBe(0);
    for (const f of ['metrics.json', 'videos.csv']) expect(readFileSync(join(sharded, f), 'utf8'), f).toBe(readFileSync(join(single, f), 'utf8'));
    const m = JSON.parse(readFileSync(join(sharded, 'metrics.json'), 'utf8'));
    expect(m.videos).toBeGreaterThan(4);
    expect(Number.isFinite(m.videoAuc)).toBe(true);

    // The SLURM example as a job array of 2 would run it: the variables SLURM sets, `caddm` on PATH.
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'caddm'), `#!/bin/sh\nexec "${process.execPath}" --conditions=@caddm/source --import tsx "${join(repo, 'packages/trainer/src/cli/bin.ts')}" "$@"\n`);
    chmodSync(join(bin, 'caddm'), 0o755);
    const viaSlurm = join(root, 'eval-slurm');
    for (const id of ['0', '1']) {
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, SLURM_ARRAY_TASK_ID: id, SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '2', CADDM_QUIET: '1' };
      execFileSync('bash', [join(repo, 'deploy/slurm/eval-array.sbatch'), run, data.cache, viaSlurm], { cwd: repo, env, stdio: 'ignore' });
    }
    expect((await runCliCaptured(['merge', viaSlurm])).code).toBe(0);
    expect(readFileSync(join(viaSlurm, 'metrics.json'), 'utf8')).toBe(readFileSync(join(single, 'metrics.json'), 'utf8'));
  }, 240_000);
});
