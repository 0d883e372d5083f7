/**
 * `pnpm bench [--files ssim,mfs] [--only a,b] [--backends torch,wasm] [--no-baseline] [--write-readme]`
 * (`--write-readme` with `--files` or `--only` replaces the rows of the files that ran and keeps the others)
 *
 * Runs every `packages/<name>/bench/*.ts` (each exports `bench(): Promise<Figure[]>`),
 * prints one JSON line per figure, and, when `/usr/bin/python3` has OpenCV and
 * PyTorch, first runs `../shared/bench/baseline.py` and this project's
 * `bench/baselines/*.py` (all their figures, before any wasm thread pool
 * exists), then prints ours beside the figure each names as its baseline,
 * with the ratio (ours / baseline).
 *
 * Files that pick a tfjs backend (`initBackend()`) run once per backend, each in
 * its own process with `CADDM_BACKEND` set, and their figures are named
 * `<figure>@<backend>`: `--backends`, else `CADDM_BACKEND` alone when set, else
 * torch and wasm when the libtorch addon is built, else wasm.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { baselineAvailable, runBaseline, type BaselineFigure } from './baseline.js';
import { FIGURE_PREFIX, type Figure } from './types.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    files: { type: 'string' },
    'no-baseline': { type: 'boolean', default: false },
    'write-readme': { type: 'boolean', default: false },
    backends: { type: 'string' },
  },
});
const torchBuilt = existsSync(join(root, 'packages', 'torch', 'build', 'caddm_torch.node')) && process.env.CADDM_TORCH !== '0';
const backends: string[] = values.backends
  ? values.backends.split(',')
  : process.env.CADDM_BACKEND
    ? [process.env.CADDM_BACKEND]
    : torchBuilt
      ? ['torch', 'wasm']
      : ['wasm'];
const only = values.only ? new Set(values.only.split(',')) : undefined;
const fileFilter = values.files ? values.files.split(',') : undefined;

function benchFiles(): string[] {
  const out: string[] = [];
  for (const pkg of readdirSync(join(root, 'packages')).sort()) {
    const dir = join(root, 'packages', pkg, 'bench');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      const rel = `${pkg}/bench/${f}`;
      if (f.endsWith('.ts') && (fileFilter == null || fileFilter.some((p) => rel.includes(p)))) out.push(join(dir, f));
    }
  }
  return out;
}

// Baselines first, before any wasm thread pool exists: a pool left idle by our
// benchmarks still takes CPU time from a child process and inflated PyTorch's
// figures by a third. Every script runs all of its figures (the shared one first,
// then this project's bench/baselines/*.py); the first figure of a name wins.
let base: BaselineFigure[] = [];
const scripts = [
  resolve(root, '../shared/bench/baseline.py'),
  ...readdirSync(join(root, 'bench', 'baselines'))
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((f) => join(root, 'bench', 'baselines', f)),
];
if (values['no-baseline']) process.stderr.write('bench: baseline skipped (--no-baseline)\n');
else {
  const avail = baselineAvailable();
  if (!avail.ok) process.stderr.write(`bench: no baseline: ${avail.why}\n`);
  else {
    for (const script of scripts) {
      if (!existsSync(script)) {
        process.stderr.write(`bench: no baseline from ${script}: not found\n`);
        continue;
      }
      process.stderr.write(`bench: running ${relative(root, script)}\n`);
      base = base.concat(runBaseline(script).filter((f) => !base.some((b) => b.name === f.name)));
    }
  }
}

const ours: Array<Figure & { file: string }> = [];
// One child process per file: a file's JIT and wasm tier-up state, heap and idle wasm thread
// pool must not leak into the next file's figures.
const one = fileURLToPath(new URL('./one.ts', import.meta.url));
for (const file of benchFiles()) {
  const rel = file.slice(root.length + 1);
  // A file that selects a backend itself (e.g. prefer: 'cpu') is run once, as it is.
  const source = readFileSync(file, 'utf8');
  const perBackend = /initBackend\(\{ quiet: true \}\)|initBackend\(\)/.test(source);
  for (const backend of perBackend ? backends : [undefined]) {
    process.stderr.write(`bench: ${rel}${backend ? ` on ${backend}` : ''}\n`);
    const env = backend ? { ...process.env, CADDM_BACKEND: backend } : process.env;
    const child = spawnSync(process.execPath, [...process.execArgv, one, file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
      env,
    });
    if (child.status !== 0) throw new Error(`bench: ${rel}${backend ? ` on ${backend}` : ''} failed (exit ${child.status ?? child.signal})`);
    for (const line of child.stdout.split('\n')) {
      if (!line.startsWith(FIGURE_PREFIX)) {
        if (line.trim() !== '') process.stderr.write(line + '\n');
        continue;
      }
      const f = JSON.parse(line.slice(FIGURE_PREFIX.length)) as Figure;
      if (only && !only.has(f.name)) continue;
      const name = backend ? `${f.name}@${backend}` : f.name;
      ours.push({ ...f, name, file: rel });
      process.stdout.write(JSON.stringify({ name, ms: round(f.ms), runs: f.runs, note: f.note }) + '\n');
    }
  }
}

const rows = ours.map((f) => {
  const b = base.find((x) => x.name === f.baseline);
  return { ...f, baselineMs: b?.ms, ratio: b ? f.ms / b.ms : undefined };
});
for (const r of rows) {
  if (r.baselineMs != null) {
    process.stdout.write(
      JSON.stringify({ name: r.name, ms: round(r.ms), baseline: r.baseline, baseline_ms: r.baselineMs, ratio: round(r.ratio as number) }) + '\n',
    );
  }
}

if (values['write-readme']) {
  const readme = join(root, 'bench', 'README.md');
  const fresh = rows.map(
    (r) =>
      `| ${r.name} | ${round(r.ms)} | ${r.baseline ?? '-'} | ${r.baselineMs ?? '-'} | ${r.ratio != null ? round(r.ratio) + 'x' : '-'} | ${r.note ?? ''} | ${r.file} |`,
  );
  // With --files or --only, the rows of the other benchmark files are kept from the last README, in place.
  const partial = fileFilter != null || only != null;
  const ran = new Set(rows.map((r) => r.file));
  let lines = fresh;
  let rerun = '';
  if (partial && existsSync(readme)) {
    const previous = readFileSync(readme, 'utf8');
    const since = /on (\d{4}-\d{2}-\d{2})/.exec(previous)?.[1] ?? 'an earlier date';
    const kept = previous
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| figure') && !l.startsWith('|---'));
    lines = [];
    // The fresh rows take the place of the first old row of a file that ran (or go last).
    let placed = false;
    for (const l of kept) {
      const file = l.split(' | ').at(-1)?.replace(/ \|$/, '') ?? '';
      if (!ran.has(file)) lines.push(l);
      else if (!placed) {
        lines.push(...fresh);
        placed = true;
      }
    }
    if (!placed) lines.push(...fresh);
    rerun = `Rows of ${[...ran].join(', ')} re-run on that date (\`--files\`/\`--only\`); the others are from the run of ${since}.\n`;
  }
  const table = ['| figure | ours (ms) | baseline | baseline (ms) | ours / baseline | note | source |', '|---|---:|---|---:|---:|---|---|', ...lines].join('\n');
  const text = `# Benchmarks

Generated by \`pnpm bench --write-readme\` on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.
${rerun}Medians of repeated runs. Baselines: \`../shared/bench/baseline.py\` (OpenCV / NumPy / PyTorch on the same machine,
Debian packages python3-opencv python3-torch) and, for the whole CADDM model, this project's
\`bench/baselines/caddm.py\` (the same network in PyTorch), run in the same process tree. Ratio < 1 means we are faster.
Files that pick a tfjs backend run once per backend (\`<figure>@torch\`, \`<figure>@wasm\`). Targets of the torch backend:
CADDM ResNet-34 train step <= 1.3x PyTorch's time, forward <= 1.2x; the small CADDM at 112 px >= 3x faster than on wasm.
Baselines run first, before any wasm thread pool exists (an idle pool inflated PyTorch's figures by a third),
and every benchmark file runs in a process of its own.
One run on a shared virtual machine varies by 10-50% per figure; compare ratios over several runs.

${table}

Every figure comes from a \`packages/<name>/bench/*.ts\` file that exports \`bench()\`. Benchmarks are
never timed tests: the test suite asserts correctness only.
`;
  writeFileSync(readme, text);
  process.stderr.write('bench: wrote bench/README.md\n');
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
