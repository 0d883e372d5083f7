// Compiles assembly/kernels.ts to wasm/kernels.wasm with the pinned AssemblyScript
// (`pnpm --filter @caddm/simd build:wasm`). The binary is committed, so that installs
// and tests never need the compiler; src/binary.test.ts checks it is up to date.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'wasm', 'kernels.wasm');
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js'),
    join(root, 'assembly', 'kernels.ts'),
    '--outFile', out,
    '--optimizeLevel', '3',
    '--shrinkLevel', '0',
    '--enable', 'simd',
    '--runtime', 'stub',
    '--noAssert',
  ],
  { stdio: 'inherit', cwd: root },
);
