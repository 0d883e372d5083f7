import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FrameLoader } from '@caddm/datasets';
import { ConfigError, parseOverrides, resolveConfig } from '../config/index.js';
import type { SampleBatch } from '../train/data.js';
import { prepareEmbedded } from './embedded.js';
import { LoaderSource, loaderOptionsOf, methodsFilter } from './train-source.js';

describe('dataset.synthesis and loaderOptionsOf', () => {
  it("defaults to MFS fakes and passes 'sbi' to the loader", () => {
    const mfs = resolveConfig({}, { profile: 'mini' });
    expect(mfs.dataset.synthesis).toBe('mfs');
    expect(loaderOptionsOf(mfs, '/cache').synthesis).toBe('mfs');
    const sbi = resolveConfig({}, { profile: 'mini', overrides: parseOverrides(['dataset.synthesis=sbi']) });
    expect(sbi.dataset.synthesis).toBe('sbi');
    const o = loaderOptionsOf(sbi, '/cache');
    expect(o.synthesis).toBe('sbi');
    expect(o.split).toBe('train');
    expect(o.canvasSize).toBe(112);
  });

  it('rejects an unknown synthesis, naming the key', () => {
    expect(() => resolveConfig({ dataset: { synthesis: 'xray' as never } })).toThrow(ConfigError);
    expect(() => resolveConfig({ dataset: { synthesis: 'xray' as never } })).toThrow(/dataset\.synthesis/);
  });
});

describe('dataset.methods', () => {
  it('keeps genuine videos and the fakes of the listed methods only', () => {
    const f = loaderOptionsOf(resolveConfig({ dataset: { methods: ['Deepfakes'] } }, { profile: 'mini' }), '/cache').filter!;
    const v = (label: 0 | 1, method: string) => ({ label, method }) as never;
    expect([f(v(0, 'youtube')), f(v(1, 'Deepfakes')), f(v(1, 'Face2Face'))]).toEqual([true, true, false]);
    expect(loaderOptionsOf(resolveConfig({}, { profile: 'mini' }), '/cache').filter).toBeUndefined();
    expect(methodsFilter(undefined)).toBeUndefined();
  });
});

describe('mfs.reject_genuine_swaps', () => {
  it('is on by default and reaches the loader; false reproduces the reference', () => {
    expect(loaderOptionsOf(resolveConfig({}, { profile: 'mini' }), '/c').rejectGenuineSwaps).toBe(true);
    expect(loaderOptionsOf(resolveConfig({ mfs: { reject_genuine_swaps: false } }, { profile: 'mini' }), '/c').rejectGenuineSwaps).toBe(false);
  });
});

describe('LoaderSource on the real loader', () => {
  let cache = '';
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'caddm-source-'));
    cache = (await prepareEmbedded({ profile: 'tiny', seed: 5, root, progress: false, log: () => {} })).cache;
  }, 300_000);

  // Small batches, partial swaps often, augmentation on: many non-square boxes per epoch.
  const config = () => resolveConfig({ train: { batch_size: 4, seed: 9 }, mfs: { global_prob: 0.3 } }, { profile: 'mini' });
  const open = () => FrameLoader.open(loaderOptionsOf(config(), cache));
  const sig = (b: SampleBatch) => JSON.stringify({ labels: Array.from(b.labels), boxes: b.boxes, sum: b.images.reduce((a, v) => a + v, 0) });

  it("normalises each canvas box by the canvas side in x/y order (x0, y0, x1, y1), the loader's order", async () => {
    const loader = open();
    const S = config().crop_face.output_size;
    const src = new LoaderSource(loader, S, config().model.input_norm);
    let nonSquare = 0;
    try {
      for await (const raw of loader.epoch(0)) {
        const b = await src.next();
        raw.boxes.forEach((boxes, i) =>
          boxes.forEach(([x0, y0, x1, y1], j) => {
            expect(b.boxes[i][j]).toEqual({ x0: x0 / S, y0: y0 / S, x1: x1 / S, y1: y1 / S });
            if (x1 - x0 !== y1 - y0) nonSquare++;
          }),
        );
      }
    } finally {
      await src.close();
    }
    // The check bites only on boxes whose width and height differ.
    expect(nonSquare).toBeGreaterThan(0);
  });

  it('a source resumed from getState() continues the stream exactly, across an epoch boundary', async () => {
    const loader = open();
    const n = loader.batchesPerEpoch;
    expect(n).toBeGreaterThan(2);
    const a = new LoaderSource(loader, 112, config().model.input_norm);
    const whole: string[] = [];
    for (let k = 0; k < n + 3; k++) whole.push(sig(await a.next()));
    await a.close();
    for (const cut of [2, n - 1, n + 1]) {
      const b = new LoaderSource(open(), 112, config().model.input_norm);
      for (let k = 0; k < cut; k++) await b.next();
      const state = JSON.parse(JSON.stringify(b.getState()));
      await b.close();
      const c = new LoaderSource(open(), 112, config().model.input_norm);
      c.setState(state);
      const rest: string[] = [];
      for (let k = cut; k < n + 3; k++) rest.push(sig(await c.next()));
      await c.close();
      expect(rest, `resumed after ${cut} batches`).toEqual(whole.slice(cut));
    }
  }, 120_000);

  it('names the problem instead of looping forever when an epoch holds no batch', async () => {
    const big = FrameLoader.open(loaderOptionsOf(config(), cache, { batchSize: 100_000 }));
    const src = new LoaderSource(big, 112, config().model.input_norm);
    await expect(src.next()).rejects.toThrow(/gives no batch of 100000.*train\.batch_size/);
    await src.close();
  });

  it('trains on a cache without a val split, without validation and saying so (it used to die at the first epoch end)', async () => {
    const { readFileSync, writeFileSync, symlinkSync, mkdtempSync: mk } = await import('node:fs');
    const noVal = mk(join(tmpdir(), 'caddm-noval-'));
    const lines = readFileSync(join(cache, 'manifest.jsonl'), 'utf8').split('\n').filter((l) => l && JSON.parse(l).split !== 'val');
    writeFileSync(join(noVal, 'manifest.jsonl'), lines.join('\n') + '\n');
    symlinkSync(join(cache, 'frames'), join(noVal, 'frames'));
    const { trainJob } = await import('../job.js');
    const warnings: string[] = [];
    const config = resolveConfig({ model: { backbone: 'resnet18', width: 0.125 }, train: { batch_size: 4, epoch_num: 1, batches_per_epoch: 2, eval_every: 1, checkpoint_every: 2 } }, { profile: 'mini' });
    const { summary, built } = await trainJob({ config, cache: noVal, runDir: join(noVal, 'run'), progress: false, warn: (m) => warnings.push(m) });
    built.net.dispose();
    expect(summary.steps).toBe(2);
    expect(warnings.join('\n')).toContain("has no 'val' split: training without validation");
  }, 120_000);
});
