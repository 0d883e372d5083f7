#!/usr/bin/env node
// Mutation testing of the code that carries the paper's correctness, with StrykerJS (vitest runner,
// TypeScript checker): `pnpm mutate <target>` mutates the target's files, runs its package's tests
// against every mutant, and writes reports/mutation/<target>.{html,json}. Slow (minutes to hours on
// two cores), so CI does not run it; docs/testing.md records the scores.
//   pnpm mutate                 lists the targets
//   pnpm mutate anchors         one target
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What each target mutates, and the vitest project whose tests must kill the mutants. */
const TARGETS = {
  anchors: { project: '@caddm/anchors', tsconfig: 'packages/anchors/tsconfig.json', mutate: ['packages/anchors/src/**/*.ts'] },
  losses: { project: '@caddm/losses', tsconfig: 'packages/losses/tsconfig.json', mutate: ['packages/losses/src/**/*.ts'] },
  mfs: {
    project: '@caddm/mfs',
    tsconfig: 'packages/mfs/tsconfig.json',
    mutate: ['packages/mfs/src/window.ts', 'packages/mfs/src/swap.ts', 'packages/mfs/src/sample.ts', 'packages/mfs/src/box.ts'],
  },
  'datasets-loader': { project: '@caddm/datasets', tsconfig: 'packages/datasets/tsconfig.json', mutate: ['packages/datasets/src/loader/**/*.ts'] },
  'trainer-data': {
    project: '@caddm/trainer',
    tsconfig: 'packages/trainer/tsconfig.json',
    mutate: ['packages/trainer/src/data/train-source.ts', 'packages/trainer/src/train/loop.ts'],
  },
  'experiments-protocol': {
    project: '@caddm/experiments',
    tsconfig: 'experiments/tsconfig.json',
    mutate: ['experiments/src/protocol/stats.ts', 'experiments/src/protocol/table.ts', 'experiments/src/protocol/probe.ts'],
  },
};

const name = process.argv[2];
if (!name || !(name in TARGETS)) {
  process.stdout.write(`usage: pnpm mutate <target>\ntargets: ${Object.entries(TARGETS).map(([k, t]) => `\n  ${k.padEnd(22)} ${t.mutate.join(', ')}`).join('')}\n`);
  process.exit(name ? 2 : 0);
}
const t = TARGETS[name];
const out = join(repo, 'reports', 'mutation');
mkdirSync(out, { recursive: true });
// pnpm keeps packages out of each other's way, so Stryker's own plugin search finds none: name them.
const require = createRequire(join(repo, 'package.json'));
const config = {
  $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
  plugins: [require.resolve('@stryker-mutator/vitest-runner'), require.resolve('@stryker-mutator/typescript-checker')],
  // Only the mutated files lose their type checks; the rest of the sandbox stays as it is.
  disableTypeChecks: '{' + t.mutate.join(',') + '}',
  packageManager: 'pnpm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts', related: false },
  // Only the target's own test project runs against each mutant.
  testRunnerNodeArgs: [],
  checkers: ['typescript'],
  tsconfigFile: t.tsconfig,
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [...t.mutate, '!**/*.test.ts', '!**/__fixtures__/**', '!**/index.ts'],
  ignorePatterns: ['reports', '.cache', 'node_modules/.cache', 'tools/gpu', 'experiments/results', 'docs/api'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 60000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  tempDirName: join('.cache', 'stryker-tmp'),
  cleanTempDir: 'always',
};
const file = join(out, `${name}.stryker.json`);
writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
const r = spawnSync('npx', ['stryker', 'run', file], {
  cwd: repo,
  stdio: 'inherit',
  env: { ...process.env, VITEST_PROJECT: t.project, CADDM_MUTATING: '1' },
});
process.exit(r.status ?? 1);
