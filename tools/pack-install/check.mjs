#!/usr/bin/env node
// Packs the light packages as they would be published (after `pnpm build`), installs them from the
// tarballs into fresh folders outside the workspace (external dependencies from the npm registry), and
// checks what a user gets: @caddm/mfs with its dependencies under 40 MB, no TensorFlow.js or face-api
// anywhere, and every package's README example (smoke.mjs, on synthetic data) running.
//   node tools/pack-install/check.mjs            (CI runs it; about half a minute)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LIGHT = ['simd', 'image', 'ssim', 'face', 'mfs', 'anchors', 'metrics'];
const MFS_LIMIT_MB = 40;
const work = mkdtempSync(join(tmpdir(), 'caddm-pack-'));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
const fail = (msg) => {
  process.stderr.write(`pack-install: ${msg}\n`);
  process.exitCode = 1;
};

function sizeOf(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += sizeOf(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}

function install(name, tarballs) {
  const app = join(work, name);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: `app-${name}`, private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], app);
  return app;
}

try {
  const tgz = join(work, 'tgz');
  mkdirSync(tgz);
  const tarball = {};
  for (const p of LIGHT) {
    const out = run('pnpm', ['pack', '--pack-destination', tgz], join(repo, 'packages', p)).trim().split('\n').pop();
    tarball[p] = out.endsWith('.tgz') ? out : join(tgz, `caddm-${p}-0.0.0.tgz`);
  }
  // 1. @caddm/mfs alone, with the workspace packages it depends on.
  const mfs = install('mfs', ['mfs', 'face', 'image', 'simd', 'ssim'].map((p) => tarball[p]));
  const mb = sizeOf(join(mfs, 'node_modules')) / 2 ** 20;
  process.stdout.write(`@caddm/mfs installs ${mb.toFixed(1)} MB with its dependencies (limit ${MFS_LIMIT_MB})\n`);
  if (mb > MFS_LIMIT_MB) fail(`@caddm/mfs installs ${mb.toFixed(1)} MB, over ${MFS_LIMIT_MB} MB: which dependency grew?`);
  // 2. Every light package together, then their README examples.
  const all = install('all', LIGHT.map((p) => tarball[p]));
  const top = readdirSync(join(all, 'node_modules'));
  const heavy = [...top.filter((n) => n === '@tensorflow' || n === '@vladmandic'), ...(top.includes('@caddm') ? readdirSync(join(all, 'node_modules', '@caddm')).filter((n) => n === 'tf' || n === 'face-detect').map((n) => `@caddm/${n}`) : [])];
  if (heavy.length) fail(`the light packages pulled in ${heavy.join(', ')}`);
  cpSync(join(repo, 'tools', 'pack-install', 'smoke.mjs'), join(all, 'smoke.mjs'));
  process.stdout.write(run(process.execPath, ['smoke.mjs'], all));
} catch (e) {
  fail(e instanceof Error ? e.message.split('\n')[0] : String(e));
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (!process.exitCode) process.stdout.write('pack-install: the light packages install and run alone\n');
