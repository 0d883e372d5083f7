/**
 * Runs the benchmarks of one `packages/<name>/bench/*.ts` file and prints each figure as a
 * line `@@figure <json>` on stdout (other output of the benchmarks passes through).
 * `run.ts` starts one such process per file, so that no file's JIT and wasm tier-up state,
 * heap or idle wasm thread pool affects the next one's figures.
 *
 *   node --conditions=@caddm/source --import tsx bench/src/one.ts <file>
 */
import { pathToFileURL } from 'node:url';
import { FIGURE_PREFIX, type BenchFn } from './types.js';

const file = process.argv[2];
if (file == null) {
  process.stderr.write('usage: one.ts <bench file>\n');
  process.exit(2);
}
const mod = (await import(pathToFileURL(file).href)) as { bench?: BenchFn };
if (typeof mod.bench !== 'function') {
  process.stderr.write(`${file} does not export bench()\n`);
  process.exit(1);
}
for (const f of await mod.bench()) process.stdout.write(FIGURE_PREFIX + JSON.stringify(f) + '\n');
// A wasm thread pool would keep the process alive.
process.exit(0);
