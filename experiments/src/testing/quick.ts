/**
 * Test helpers for the experiments' `--quick` runs (test-only; not exported by the package).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, vi } from 'vitest';
import { main } from '../cli.js';

/** A temporary folder for one test file, removed (and CADDM_CACHE unset) after its tests. */
export function quickDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `caddm-${name}-`));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.CADDM_CACHE;
  });
  return dir;
}

/** Runs `pnpm exp <args>` in-process with the cache under `dir` and its output silenced; returns the exit code. */
export async function runExp(args: readonly string[], dir: string): Promise<number> {
  process.env.CADDM_CACHE = join(dir, 'cache');
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return await main([...args], dir);
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

/**
 * `--set` options that shrink a paper-profile run to seconds: ResNet-18 at
 * 1/8 width on 112-px faces (the mini profile's anchors and windows), two
 * steps of four, two test frames per video.
 */
export const TINY_PAPER_SETS: readonly string[] = [
  'model.backbone=resnet18',
  'model.width=0.125',
  'crop_face.output_size=112',
  'crop_face.face_width=40',
  'adm_det.min_dim=112',
  'adm_det.feature_maps=[7,5,3,1]',
  'adm_det.steps=[16,22.5,37.5,112]',
  'adm_det.min_sizes=[20,40,60,112]',
  'adm_det.max_sizes=[40,60,80,112]',
  'sliding_win.prior_bbox=[[20,40],[40,60],[60,80],[112,112]]',
  'train.batch_size=4',
  'train.epoch_num=1',
  'train.batches_per_epoch=2',
  'dataset.train_frames=4',
  'dataset.test_frames=2',
].flatMap((s) => ['--set', s]);
