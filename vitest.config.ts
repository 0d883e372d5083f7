import { readdirSync, existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** One vitest project per workspace package, so `--project @caddm/<name>` works. */
const packages = readdirSync('packages').filter((d) => existsSync(`packages/${d}/package.json`));
/** `VITEST_PROJECT=@caddm/<name>` keeps one project (what `pnpm mutate` runs against each mutant). */
const only = process.env.VITEST_PROJECT;

export default defineConfig({
  resolve: { conditions: ['@caddm/source'] },
  ssr: { resolve: { conditions: ['@caddm/source'] } },
  test: {
    reporters: ['default', './tools/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: { name: `@caddm/${name}`, include: [`packages/${name}/src/**/*.test.ts`] },
      })),
      { extends: true as const, test: { name: '@caddm/experiments', include: ['experiments/src/**/*.test.ts'] } },
      { extends: true as const, test: { name: '@caddm/bench', include: ['bench/src/**/*.test.ts'] } },
      { extends: true as const, test: { name: '@caddm/web', include: ['apps/web/test/**/*.test.ts'] } },
    ].filter((p) => only == null || p.test.name === only),
  },
});
