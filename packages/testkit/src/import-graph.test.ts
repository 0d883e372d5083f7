import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeImports } from './import-graph.js';

describe('runtimeImports', () => {
  it('follows relative imports and re-exports, keeps bare packages, and leaves type-only imports out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caddm-graph-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'index.ts'), "import { a } from './a.js';\nexport * from './sub/index.js';\nimport type { T } from '@heavy/types';\nexport type { U } from 'heavier';\n");
    writeFileSync(join(dir, 'a.ts'), "import ndarray from 'ndarray';\nimport {\n  x,\n} from '@scope/pkg/deep/path';\nexport const a = 1;\n");
    writeFileSync(join(dir, 'sub', 'index.ts'), "export { b } from './b.js';\nconst m = await import('lazy-lib');\n");
    writeFileSync(join(dir, 'sub', 'b.ts'), "import './a-cycle.js';\nexport const b = 2;\n");
    writeFileSync(join(dir, 'sub', 'a-cycle.ts'), "import '../index.js';\nimport 'node:fs';\n");
    expect([...runtimeImports(join(dir, 'index.ts'))].sort()).toEqual(['@scope/pkg', 'lazy-lib', 'ndarray', 'node:fs']);
  });
});
