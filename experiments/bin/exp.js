#!/usr/bin/env node
// `pnpm exp`: runs the TypeScript sources through tsx, resolving workspace
// packages to their sources (the `@caddm/source` export condition), so no
// build step is needed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const r = spawnSync(
  process.execPath,
  ['--conditions=@caddm/source', '--import', 'tsx', join(here, '..', 'src', 'main.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: process.cwd() },
);
process.exit(r.status ?? 1);
