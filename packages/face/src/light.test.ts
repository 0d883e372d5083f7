import { fileURLToPath } from 'node:url';
import { runtimeImports } from '@caddm/testkit';
import { describe, expect, it } from 'vitest';

describe('@caddm/face', () => {
  it('needs no tensors: its entry reaches only @caddm/image (detection is @caddm/face-detect)', () => {
    expect([...runtimeImports(fileURLToPath(new URL('./index.ts', import.meta.url)))].sort()).toEqual(['@caddm/image']);
  });
});
