import { join } from 'node:path';
import { linearProbe, probeChart, writeChart, type ProbeResult } from '@caddm/metrics';
import { cacheRoot, crossLabel, embeddedExperimentData, type ExperimentData } from '../protocol/data.js';
import { paperExperimentData } from '../protocol/paper-data.js';
import { collectFrames, identityFolderCache, penultimateFeatures, probeSplit, type FrameSet } from '../protocol/features.js';
import { cell, markdownTable } from '../protocol/table.js';
import { describeConfig } from '../protocol/train.js';
import { binaryOverrides, trainedNet, type TrainedNet } from '../protocol/trained.js';
import type { Experiment, ExperimentContext } from '../types.js';
import { binaryRunName, table1Settings } from './table1.js';

/** Probe settings of a profile (the paper gives none; the paper profile uses the mini profile's). */
export function probeSettings(ctx: ExperimentContext): { epochs: number; frames: number; faces: { identities: number; perIdentity: number } } {
  return ctx.quick
    ? { epochs: 10, frames: 4, faces: { identities: 10, perIdentity: 4 } }
    : { epochs: 60, frames: 8, faces: { identities: 10, perIdentity: 8 } };
}

/** One probe: a model's frozen features on one image set. */
export interface ProbeRun {
  readonly model: string;
  readonly set: string;
  readonly identities: number;
  readonly trainImages: number;
  readonly testImages: number;
  readonly result: ProbeResult;
}

/**
 * The image sets probed: in-dataset test split, each cross-dataset test set
 * and the identity-folder photos (the paper profile's `--data lfw` cache, or
 * in the mini profile `--faces`).
 */
export async function probeSets(ctx: ExperimentContext, config: TrainedNet['config'], data: ExperimentData, frames: number): Promise<Array<{ name: string; set: FrameSet }>> {
  const out: Array<{ name: string; set: FrameSet }> = [];
  out.push({ name: ctx.profile === 'paper' ? 'in-dataset (FF++)' : 'in-dataset (~FF++)', set: await collectFrames(data.train.cache, config, { split: 'test', frames }) });
  for (const c of data.cross) out.push({ name: crossLabel(c), set: await collectFrames(c.cache, config, { frames, split: c.split }) });
  if (data.identity) {
    out.push({ name: `identity folder (${data.identity.name})`, set: await collectFrames(data.identity.cache, config, { frames: 1 }) });
  } else if (ctx.faces) {
    const s = probeSettings(ctx).faces;
    const cache = await identityFolderCache(ctx.faces, join(cacheRoot(), 'identity-folders', `${s.identities}x${s.perIdentity}-${ctx.faces.replace(/[^A-Za-z0-9]+/g, '_').slice(-40)}`), s);
    out.push({ name: 'identity folder (~LFW)', set: await collectFrames(cache, config, { frames: 1 }) });
  }
  return out;
}

/** Trains an identity linear probe on a model's penultimate features of one set (each identity's frames split in halves). */
export async function probeOne(t: TrainedNet, name: string, set: FrameSet, epochs: number, seed: number): Promise<ProbeRun> {
  const { features, dim } = penultimateFeatures(t.built, set);
  const { train, test } = probeSplit(set.identities);
  const pick = (idx: number[]) => {
    const f = new Float32Array(idx.length * dim);
    idx.forEach((k, i) => f.set(features.subarray(k * dim, (k + 1) * dim), i * dim));
    return { features: f, labels: idx.map((k) => set.identities[k]) };
  };
  const result = await linearProbe(pick(train), pick(test), { dim, epochs, batchSize: 32, learningRate: 1e-2, normalize: 'standardize', seed });
  return { model: t.name, set: name, identities: new Set(train.map((k) => set.identities[k])).size, trainImages: train.length, testImages: test.length, result };
}

/** Markdown rows of probe runs: final and best accuracies beside chance. */
export function probeTable(runs: readonly ProbeRun[]): string {
  return markdownTable(
    ['model', 'image set', 'identities', 'train/test images', 'final train acc', 'final test acc', 'best test acc', 'chance (majority)'],
    runs.map((r) => [
      r.model,
      r.set,
      String(r.identities),
      `${r.trainImages}/${r.testImages}`,
      cell(r.result.trainAccuracy[r.result.trainAccuracy.length - 1] * 100, 1),
      cell(r.result.testAccuracy[r.result.testAccuracy.length - 1] * 100, 1),
      cell(Math.max(...r.result.testAccuracy) * 100, 1),
      cell(r.result.chance * 100, 1),
    ]),
  );
}

/** Fig. 2: identity linear probe on frozen penultimate features of binary classifiers. */
export const fig2: Experiment = {
  name: 'fig2',
  title: 'Fig. 2: identity linear probe on frozen features of binary classifiers',
  paperRef: 'Fig. 2, Sec. 3.1',
  async run(ctx) {
    const ps = probeSettings(ctx);
    const backbones = table1Settings(ctx).backbones;
    const data: ExperimentData =
      ctx.profile === 'paper'
        ? await paperExperimentData(ctx, { experiment: 'fig2', cross: ['celebdf'], identity: ps.faces, models: backbones.map((b) => binaryOverrides(b.backbone, b.width)) })
        : await embeddedExperimentData(ctx);
    const runs: ProbeRun[] = [];
    const trained: string[] = [];
    const charts: string[] = [];
    for (const b of backbones) {
      const t = await trainedNet(ctx, binaryRunName(b), data, binaryOverrides(b.backbone, b.width));
      trained.push(`${t.name}: ${describeConfig(t.config)}`);
      try {
        const sets = await probeSets(ctx, t.config, data, ps.frames);
        const mine: ProbeRun[] = [];
        for (const s of sets) {
          ctx.log(`[fig2] ${t.name}: probing ${s.name} (${s.set.count} images)`);
          mine.push(await probeOne(t, s.name, s.set, ps.epochs, ctx.seed));
        }
        runs.push(...mine);
        const chart = probeChart(
          mine.map((r) => ({ name: r.set, result: r.result })),
          { title: `Fig. 2 (${ctx.profile}): identity probe on ${b.backbone} x${b.width} features`, width: 820 },
        );
        const plot = await writeChart(join(ctx.outDir, `fig2-${ctx.profile}${ctx.quick ? '-quick' : ''}-${b.backbone}`), chart);
        charts.push(`![identity probe, ${b.backbone}](${plot.png.split('/').pop()})`);
      } finally {
        t.built.net.dispose();
      }
    }
    return {
      markdown: [
        `Data: ${data.description}. Features: the input of the final linear layer of each binary classifier (backbone + linear, no ADM/MFS/augmentation), frozen; ${ps.frames} frames per video. Identity of a fake = its target's (the person and scene it was made from). A softmax linear probe (Adam, lr 1e-2, standardised features, ${ps.epochs} epochs) is trained on half of each identity's frames and tested on the other half.${ctx.faces || data.identity ? '' : ' No --faces folder was given, so the LFW panel is absent.'}` +
          (ctx.profile === 'paper' ? ` Models: ${trained.join('; ')}.` : ''),
        '',
        '## Probe accuracy (%)',
        '',
        probeTable(runs),
        '',
        ...charts.flatMap((c) => [c, '']),
        '## Reading',
        '',
        fig2Reading(runs),
      ].join('\n'),
      raw: { data: data.description, settings: ps, runs },
    };
  },
};

/**
 * Whether the frozen features carry identity (the paper's Hypothesis 1): a
 * probe's best test accuracy well above chance (majority guess) means yes.
 * "Well above" = beyond two binomial standard errors at chance.
 */
export function fig2Reading(runs: readonly ProbeRun[]): string {
  const lines = runs.map((r) => {
    const best = Math.max(...r.result.testAccuracy);
    const chance = Math.max(r.result.chance, 1 / Math.max(1, r.identities));
    const se = Math.sqrt((chance * (1 - chance)) / Math.max(1, r.testImages));
    const above = best - chance > 2 * se;
    return `- ${r.model} on ${r.set}: best test accuracy ${cell(best * 100, 1)}% vs chance ${cell(chance * 100, 1)}% (±${cell(2 * se * 100, 1)}): ${above ? 'identity is linearly decodable from the features, as the paper claims' : 'not distinguishable from chance here; the claim is not shown on this set'}.`;
  });
  lines.push(
    '- Caveats: probe-train and probe-test frames come from the same videos (the paper does not say how it split), so scene and pose similarity inflate accuracy for any feature; compare models and sets, not absolute values. The best-epoch accuracy is an optimistic summary; the final one is in the table. Nothing here was tuned toward the paper.',
  );
  return lines.join('\n');
}
