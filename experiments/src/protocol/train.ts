import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deepMerge, evalSubset, evaluateCache, resolveConfig, trainJob, type CaddmConfig, type CaddmConfigInput, type EvalResult } from '@caddm/trainer';
import { BENCHMARK_VERSION } from '@caddm/datasets';
import type { VideoScore } from '@caddm/metrics';
import type { ExperimentContext } from '../types.js';
import { cacheRoot, type CrossTest, type ExperimentData } from './data.js';

/** One trained and evaluated model of an experiment. */
export interface VariantResult {
  readonly name: string;
  readonly config: CaddmConfig;
  readonly steps: number;
  /** Wall time of this call: training (or reloading a finished run) and evaluation. */
  readonly seconds: number;
  /** Time of the training steps themselves, from the run's train.jsonl (so also for a reloaded run). */
  readonly trainSeconds: number;
  /** Video AUC (%) in-domain test, then each cross-dataset cache in order. */
  readonly videoAuc: readonly number[];
  /** Frame AUC (%), same order. */
  readonly frameAuc: readonly number[];
  /** Fake and genuine video counts per test set, same order. */
  readonly videos: ReadonlyArray<{ readonly fake: number; readonly real: number }>;
  /** Per-video scores of each test set, same order: what the paired tests and intervals use. */
  readonly scores: ReadonlyArray<readonly VideoScore[]>;
}

/**
 * A short hash (12 hex digits of SHA-256) of the resolved configurations of
 * the models an experiment trained, for the report's `configHash`.
 */
export function configHash(configs: readonly CaddmConfig[]): string {
  return createHash('sha256').update(JSON.stringify(configs)).digest('hex').slice(0, 12);
}

/** The training budget of the mini profile and of its quick (CI) variant. */
export function miniOverrides(ctx: ExperimentContext): CaddmConfigInput {
  if (ctx.quick) {
    return {
      dataset: { embedded_profile: 'tiny', test_frames: 4 },
      model: { backbone: 'resnet18', width: 0.125 },
      train: { batch_size: 8, epoch_num: 2, batches_per_epoch: 3, checkpoint_every: 3, eval_every: 0, seed: ctx.seed },
    };
  }
  return { train: { seed: ctx.seed, eval_every: 0 } };
}

/**
 * `input` with the `--set` overrides (dotted paths, as the trainer's
 * `parseOverrides` returns them) merged in last; `input` itself when there
 * are none. Merged with `deepMerge` rather than passed as `resolveConfig`'s
 * `overrides` option, which writes into the profile objects it shares
 * (a later config without `--set` would see the values).
 */
export function withSets(input: CaddmConfigInput, overrides: Readonly<Record<string, unknown>> | undefined): CaddmConfigInput {
  if (overrides == null || Object.keys(overrides).length === 0) return input;
  const nested: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(overrides)) {
    const parts = path.split('.');
    let cur = nested;
    for (const p of parts.slice(0, -1)) {
      if (typeof cur[p] !== 'object' || cur[p] === null || Array.isArray(cur[p])) cur[p] = {};
      cur = cur[p] as Record<string, unknown>;
    }
    cur[parts[parts.length - 1]] = value;
  }
  return deepMerge(input as Record<string, unknown>, nested) as CaddmConfigInput;
}

/** Whether the context carries `--set` overrides. */
export function hasOverrides(ctx: Pick<ExperimentContext, 'overrides'>): boolean {
  return ctx.overrides != null && Object.keys(ctx.overrides).length > 0;
}

/** Weight file extensions `--weights DIR` looks for, in order of preference. */
export const WEIGHT_EXTENSIONS = ['.safetensors', '.pth', '.pt', '.bin'] as const;

/**
 * A backbone's ImageNet weights in a `--weights` folder: `<backbone>.safetensors`,
 * `.pth`, `.pt` or `.bin`, or a file named as the model libraries download it
 * (`resnet34-b627a593.pth`, `efficientnet-b4-6ed6700e.pth`: the backbone, a dash,
 * anything); undefined when there is none.
 */
export function weightsFileIn(dir: string, backbone: string): string | undefined {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  const names = readdirSync(dir).filter((n) => WEIGHT_EXTENSIONS.some((e) => n === `${backbone}${e}` || (n.startsWith(`${backbone}-`) && n.endsWith(e))));
  const exact = WEIGHT_EXTENSIONS.map((e) => `${backbone}${e}`).find((n) => names.includes(n));
  const pick = exact ?? names.sort()[0];
  return pick === undefined ? undefined : join(dir, pick);
}

/**
 * The `model.pretrained` file a paper-profile model starts from: the
 * backbone's weights in `--weights` ({@link weightsFileIn}; `<backbone>.safetensors`
 * when there are none, so the error names what to add), unless `--weights none`,
 * no `--weights`, or the config already names a file (`--set model.pretrained=...`).
 */
export function pretrainedFor(ctx: Pick<ExperimentContext, 'profile' | 'weights'>, config: CaddmConfig): string | undefined {
  if (ctx.profile !== 'paper' || ctx.weights == null || ctx.weights === 'none' || config.model.pretrained != null) return undefined;
  return weightsFileIn(ctx.weights, config.model.backbone) ?? join(ctx.weights, `${config.model.backbone}.safetensors`);
}

/**
 * The resolved config of one model of an experiment. Mini: the mini profile,
 * the mini budget ({@link miniOverrides}), the experiment's `overrides`, then
 * the `--set` overrides. Paper: the paper profile with the training data's
 * root (and dataset name) and the seed, the experiment's `overrides`, the
 * `--set` overrides, and the backbone's ImageNet weights from `--weights`
 * ({@link pretrainedFor}); validation is off when the training cache has no
 * `val` split.
 */
export function variantConfig(ctx: ExperimentContext, data: Pick<ExperimentData, 'train'>, overrides: CaddmConfigInput): CaddmConfig {
  if (ctx.profile !== 'paper') {
    const merged = deepMerge(miniOverrides(ctx) as Record<string, unknown>, overrides as Record<string, unknown>);
    return resolveConfig(withSets(merged, ctx.overrides), { profile: 'mini' });
  }
  const t = data.train;
  const base: CaddmConfigInput = {
    dataset: { root: t.root ?? t.cache, ...(t.dataset ? { name: t.dataset } : {}) },
    train: { seed: ctx.seed, ...(t.hasVal === false ? { eval_every: 0 } : {}) },
  };
  const merged = deepMerge(base as Record<string, unknown>, overrides as Record<string, unknown>);
  const config = resolveConfig(withSets(merged, ctx.overrides), { profile: 'paper' });
  const weights = pretrainedFor(ctx, config);
  return weights == null ? config : resolveConfig(withSets(merged, { 'model.pretrained': weights, ...ctx.overrides }), { profile: 'paper' });
}

/**
 * The run directory of a model: `<cache>/runs/<group>-<profile>[-quick][-bench<V>]-seed<N>/<slug of name>`
 * (`-bench<V>`: the embedded benchmark's version, mini profile),
 * with `-<hash of the resolved config>` appended in the paper profile or
 * with `--set` overrides (a run directory is resumed without checking its
 * config, so different settings must not share one).
 */
export function variantRunDir(ctx: ExperimentContext, group: string, name: string, config: CaddmConfig): string {
  return runDirFor(ctx, group, slug(name), config);
}

/** {@link variantRunDir} with the last folder name `leaf` taken as it is (not slugged). */
export function runDirFor(ctx: ExperimentContext, group: string, leaf: string, config: CaddmConfig): string {
  // Mini models train on the embedded benchmark: its design version is part of the name, so a
  // run of an earlier benchmark is never resumed on the current one.
  const data = ctx.profile === 'paper' ? '' : `-bench${BENCHMARK_VERSION}`;
  const dir = join(cacheRoot(), 'runs', `${group}-${ctx.profile}${ctx.quick ? '-quick' : ''}${data}-seed${ctx.seed}`, leaf);
  if (ctx.profile !== 'paper' && !hasOverrides(ctx)) return dir;
  return `${dir}-${createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 10)}`;
}

/**
 * Trains one variant (resuming if its run directory already holds a
 * checkpoint, so an interrupted experiment continues) and evaluates it on
 * the in-domain test split and every cross-dataset test set (each cache and
 * split scored once; sets with `keep` are drawn from those scores).
 */
export async function trainVariant(
  ctx: ExperimentContext,
  experiment: string,
  name: string,
  data: ExperimentData,
  overrides: CaddmConfigInput,
): Promise<VariantResult> {
  const config = variantConfig(ctx, data, overrides);
  const runDir = variantRunDir(ctx, experiment, name, config);
  ctx.onModel?.({ runDir, config });
  ctx.log(`[${experiment}] ${name}: training in ${runDir}`);
  const t0 = performance.now();
  const { summary, built } = await trainJob({ config, cache: data.train.cache, runDir, progress: true });
  try {
    const tests: ReadonlyArray<Pick<CrossTest, 'cache' | 'split' | 'keep'>> = [{ cache: data.train.cache, split: 'test' }, ...data.cross];
    const scored = new Map<string, EvalResult>();
    const results = [];
    for (const t of tests) {
      const key = `${resolve(t.cache)}\n${t.split ?? ''}`;
      let r = scored.get(key);
      // Batches filled across videos (fast; every report's models are scored the same way).
      if (r === undefined) scored.set(key, (r = await evaluateCache(built, config, t.cache, t.split, undefined, { videoBatches: false })));
      results.push(t.keep ? evalSubset(r, t.keep) : r);
    }
    const seconds = (performance.now() - t0) / 1000;
    const pct = (x: number) => Math.round(x * 10000) / 100;
    const r: VariantResult = {
      name,
      config,
      steps: summary.steps,
      seconds,
      trainSeconds: trainSecondsOf(runDir),
      videoAuc: results.map((x) => pct(x.videoAuc)),
      frameAuc: results.map((x) => pct(x.frameAuc)),
      videos: results.map((x) => ({ fake: x.perVideo.filter((v) => v.label === 1).length, real: x.perVideo.filter((v) => v.label === 0).length })),
      scores: results.map((x) => x.perVideo),
    };
    ctx.log(`[${experiment}] ${name}: video AUC ${r.videoAuc.join(' / ')} (${seconds.toFixed(0)} s)`);
    return r;
  } finally {
    built.net.dispose();
  }
}

/**
 * The time a run spent in its training steps: the sum of the `ms` of its step records in
 * `train.jsonl` (a step redone after a resume counted once, its last record). NaN without a log.
 */
export function trainSecondsOf(runDir: string): number {
  const file = join(runDir, 'train.jsonl');
  if (!existsSync(file)) return Number.NaN;
  const ms = new Map<number, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as { type?: string; step?: number; ms?: number };
      if (r.type === 'step' && typeof r.step === 'number' && typeof r.ms === 'number') ms.set(r.step, r.ms);
    } catch {
      // A torn last line of a killed run: skip it.
    }
  }
  let total = 0;
  for (const v of ms.values()) total += v;
  return ms.size ? total / 1000 : Number.NaN;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * One line saying how a model was trained (backbone, width, input size,
 * budget, initialisation), for the paper-profile reports.
 */
export function describeConfig(c: CaddmConfig): string {
  return (
    `${c.model.backbone} x${c.model.width} at ${c.crop_face.output_size} px, ${c.train.epoch_num} epoch(s) x ${c.train.batches_per_epoch} batches of ${c.train.batch_size}, ` +
    (c.model.pretrained != null ? `ImageNet-initialised from ${c.model.pretrained}` : 'trained from scratch (no ImageNet weights: not the paper\'s setting)')
  );
}
