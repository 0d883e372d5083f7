import { fileURLToPath } from 'node:url';
import { runtimeImports } from '@caddm/testkit';
import { describe, expect, it } from 'vitest';

const src = (f: string) => fileURLToPath(new URL(f, import.meta.url));

describe('entry points', () => {
  it('the main entry (AUCs, statistics, t-SNE, charts) reaches no tfjs; the tensors entry does', () => {
    const main = runtimeImports(src('./index.ts'));
    expect([...main].filter((p) => p.includes('tf') || p.includes('tensorflow'))).toEqual([]);
    expect(runtimeImports(src('./tensors.ts'))).toContain('@caddm/tf');
  });
});
