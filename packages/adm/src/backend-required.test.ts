import { BackendNotReadyError, initBackend } from '@caddm/tf';
import { describe, expect, it } from 'vitest';
import { createBaseline, createCaddm } from './model.js';

// This file runs in its own process (vitest's forks pool) and initialises no backend until the last test.
describe('building a model before initBackend()', () => {
  it('says to call initBackend() instead of failing inside tfjs', () => {
    const opts = { backbone: 'resnet18', inputSize: 112, widthMultiplier: 0.0625, outputStride: 16 } as const;
    expect(() => createCaddm(opts)).toThrow(BackendNotReadyError);
    expect(() => createCaddm(opts)).toThrow("createCaddm needs a tfjs backend: call 'await initBackend()' (from @caddm/tf) first");
    expect(() => createBaseline(opts)).toThrow(/^createBaseline needs a tfjs backend/);
  });

  it('builds once a backend is up', async () => {
    await initBackend({ quiet: true });
    const m = createCaddm({ backbone: 'resnet18', inputSize: 112, widthMultiplier: 0.0625, outputStride: 16 });
    m.dispose();
  });
});
