#!/usr/bin/env node
// Builds the @caddm/torch Node-API addon (build/caddm_torch.node) against a
// libtorch found on this machine, with g++ and no download:
//   1. CADDM_LIBTORCH=<dir> (a libtorch folder with include/ and lib/),
//   2. Debian's libtorch-dev (apt-get install libtorch-dev),
//   3. a Python torch (python3 -c 'import torch'), e.g. a CUDA wheel on a GPU machine.
// --if-available (the install hook): no libtorch, or a failed build, is not an
// error; it says why in one line and the torch backend stays off.
// --force rebuilds even when the sources and flags are unchanged. CADDM_CXX_STD=c++20 for a
// libtorch whose headers need it.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const buildDir = join(root, 'build');
const output = join(buildDir, 'caddm_torch.node');
const args = new Set(process.argv.slice(2));
const optional = args.has('--if-available');
const say = (line) => process.stderr.write(`[@caddm/torch] ${line}\n`);

/** Where libtorch's headers and libraries are, and how it was found. */
function findLibtorch() {
  const env = process.env.CADDM_LIBTORCH;
  if (env) {
    const inc = join(env, 'include');
    const lib = join(env, 'lib');
    if (!existsSync(join(inc, 'ATen', 'ATen.h')) || !existsSync(lib)) {
      throw new Error(`CADDM_LIBTORCH=${env} is not a libtorch folder (no include/ATen/ATen.h or lib/); point it at the folder that holds include/ and lib/`);
    }
    return { how: `CADDM_LIBTORCH=${env}`, includes: [inc, join(inc, 'torch/csrc/api/include')], lib };
  }
  const debLib = '/usr/lib/x86_64-linux-gnu';
  if (existsSync('/usr/include/ATen/ATen.h') && existsSync(join(debLib, 'libtorch_cpu.so'))) {
    return { how: "Debian's libtorch-dev", includes: ['/usr/include', '/usr/include/torch/csrc/api/include'], lib: debLib };
  }
  try {
    const out = execFileSync(process.env.CADDM_PYTHON ?? 'python3', ['-c', 'import torch,os;print(os.path.dirname(torch.__file__));print(int(torch._C._GLIBCXX_USE_CXX11_ABI))'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim().split('\n');
    const dir = out[0];
    const inc = join(dir, 'include');
    if (existsSync(join(inc, 'ATen', 'ATen.h'))) {
      return { how: `Python torch at ${dir}`, includes: [inc, join(inc, 'torch/csrc/api/include')], lib: join(dir, 'lib'), abi: out[1] };
    }
  } catch {
    // no python3 or no torch: fall through
  }
  return undefined;
}

/** libtorch's C++ ABI: the pre-C++11 std::string ABI leaves no "__cxx11" symbols in libc10. */
function cxx11Abi(lib) {
  if (process.env.CADDM_TORCH_CXX11_ABI) return process.env.CADDM_TORCH_CXX11_ABI;
  const c10 = join(lib, 'libc10.so');
  if (!existsSync(c10)) return '1';
  return readFileSync(c10).includes('__cxx11') ? '1' : '0';
}

function run(cmd, argv) {
  return new Promise((res, rej) => {
    const p = spawn(cmd, argv, { stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', rej);
    p.on('close', (code) => (code === 0 ? res() : rej(new Error(`${cmd} exited with ${code}\n${err}`))));
  });
}

async function build() {
  const torch = findLibtorch();
  if (torch == null) {
    throw Object.assign(new Error('libtorch not found (no CADDM_LIBTORCH, no Debian libtorch-dev, no Python torch); `apt-get install libtorch-dev` then `pnpm torch:build` enables the torch backend'), { missing: true });
  }
  const require = createRequire(import.meta.url);
  const addonApi = require('node-addon-api').include_dir ?? dirname(require.resolve('node-addon-api/napi.h'));
  const napiHeaders = require('node-api-headers').include_dir;
  const abi = torch.abi ?? cxx11Abi(torch.lib);
  const cuda = existsSync(join(torch.lib, 'libtorch_cuda.so'));
  const cxx = process.env.CXX ?? 'g++';
  const cflags = [
    `-std=${process.env.CADDM_CXX_STD ?? 'c++17'}`, '-O3', '-fno-math-errno', '-fPIC', '-fvisibility=hidden', '-w',
    '-DNAPI_VERSION=8', '-DNAPI_CPP_EXCEPTIONS', '-DNODE_ADDON_API_DISABLE_DEPRECATED', `-D_GLIBCXX_USE_CXX11_ABI=${abi}`,
    `-I${addonApi.replace(/^"|"$/g, '')}`, `-I${napiHeaders}`, ...torch.includes.map((i) => `-I${i}`),
  ];
  const libs = ['-ltorch', '-ltorch_cpu', '-lc10', ...(cuda ? ['-ltorch_cuda', '-lc10_cuda'] : [])];
  const ldflags = ['-shared', `-L${torch.lib}`, `-Wl,-rpath,${torch.lib}`, '-Wl,--no-as-needed', ...libs, '-Wl,--as-needed'];
  const sources = readdirSync(nativeDir).filter((f) => f.endsWith('.cc')).sort();
  const hash = createHash('sha256');
  for (const f of readdirSync(nativeDir).sort()) hash.update(f).update(readFileSync(join(nativeDir, f)));
  hash.update(JSON.stringify([cxx, cflags, ldflags]));
  const stamp = hash.digest('hex');
  const stampFile = join(buildDir, 'stamp.txt');
  if (!args.has('--force') && existsSync(output) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    say(`up to date (${torch.how})`);
    return;
  }
  mkdirSync(buildDir, { recursive: true });
  say(`building against ${torch.how}${cuda ? ' with CUDA' : ''} (${sources.length} files, g++ -O3; about a minute)`);
  const t0 = Date.now();
  const jobs = Math.max(1, Math.min(sources.length, Number(process.env.CADDM_BUILD_JOBS ?? cpus().length)));
  const queue = [...sources];
  const objects = sources.map((s) => join(buildDir, s.replace(/\.cc$/, '.o')));
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      for (let s = queue.shift(); s != null; s = queue.shift()) {
        await run(cxx, [...cflags, '-c', join(nativeDir, s), '-o', join(buildDir, s.replace(/\.cc$/, '.o'))]);
      }
    }),
  );
  const tmp = `${output}.tmp`;
  await run(cxx, ['-o', tmp, ...objects, ...ldflags]);
  renameSync(tmp, output);
  writeFileSync(stampFile, stamp);
  rmSync(join(buildDir, 'build-error.txt'), { force: true });
  writeFileSync(join(buildDir, 'libtorch.json'), JSON.stringify({ how: torch.how, lib: torch.lib, cuda, abi }, null, 2) + '\n');
  say(`built build/caddm_torch.node in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

build().catch((e) => {
  const msg = e instanceof Error ? e.message : String(e);
  if (optional) {
    mkdirSync(buildDir, { recursive: true });
    writeFileSync(join(buildDir, 'build-error.txt'), msg + '\n');
    say(`${e.missing ? '' : 'addon build failed, torch backend off: '}${msg.split('\n')[0]}${e.missing ? '' : ' (full log: packages/torch/build/build-error.txt)'}`);
    process.exit(0);
  }
  say(msg);
  process.exit(1);
});
