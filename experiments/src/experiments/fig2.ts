import { join } from 'node:path';
import { probeChart, writeChart, type ProbeResult } from '@caddm/metrics';
import { linearProbe } from '@caddm/metrics/tensors';
import { cacheRoot, crossLabel, embeddedExperimentData, type ExperimentData } from '../protocol/data.js';
import { paperExperimentData } from '../protocol/paper-data.js';
import { buildNet } from '@caddm/trainer';
import { collectFrames, identityFolderCache, penultimateFeatures, type FrameSet } from '../protocol/features.js';
import { accuracyInterval, pixelFeatures, probeSplitByVideo, type AccuracyInterval } from '../protocol/probe.js';
import { formatInterval } from '../protocol/stats.js';
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

/** What a probe reads: a trained model's features, the same network untrained, or the pixels themselves. */
export type ProbeFeatures = 'trained' | 'random init' | 'raw pixels';

/** One probe: frozen features of one kind on one image set. */
export interface ProbeRun {
  readonly model: string;
  readonly features: ProbeFeatures;
  readonly set: string;
  readonly identities: number;
  readonly trainImages: number;
  readonly testImages: number;
  /** How probe-train and probe-test frames were split (see {@link probeSplitByVideo}). */
  readonly split: 'video' | 'frames';
  /** Final-epoch test accuracy (%) with its 95% identity-cluster bootstrap interval. */
  readonly final: AccuracyInterval;
  readonly result: ProbeResult;
  /** Person of each probe-test frame, in the order of `result.testCorrect` (not written to the JSON). */
  readonly testIdentities?: readonly string[];
}

/**
 * The image sets probed: the genuine videos of the in-dataset test split and
 * of each cross-dataset test set (a fake shows two persons; `genuineOnly:
 * false` keeps fakes too, as their target's person), and the
 * identity-folder photos (the paper profile's `--data lfw` cache, or in the
 * mini profile `--faces`). Persons come from the data's identity lookup.
 */
export async function probeSets(
  ctx: ExperimentContext,
  config: TrainedNet['config'],
  data: ExperimentData,
  frames: number,
  o: { genuineOnly?: boolean } = {},
): Promise<Array<{ name: string; set: FrameSet }>> {
  const out: Array<{ name: string; set: FrameSet }> = [];
  const genuine = { keep: (v: { label: number }) => v.label === 0 || o.genuineOnly === false, person: data.identityOf };
  out.push({ name: ctx.profile === 'paper' ? 'in-dataset (FF++)' : 'in-dataset (~FF++)', set: await collectFrames(data.train.cache, config, { split: 'test', frames, ...genuine }) });
  for (const c of data.cross) out.push({ name: crossLabel(c), set: await collectFrames(c.cache, config, { frames, split: c.split, ...genuine }) });
  if (data.identity) {
    out.push({ name: `identity folder (${data.identity.name})`, set: await collectFrames(data.identity.cache, config, { frames: 1 }) });
  } else if (ctx.faces) {
    const s = probeSettings(ctx).faces;
    const cache = await identityFolderCache(ctx.faces, join(cacheRoot(), 'identity-folders', `${s.identities}x${s.perIdentity}-${ctx.faces.replace(/[^A-Za-z0-9]+/g, '_').slice(-40)}`), s);
    out.push({ name: 'identity folder (~LFW)', set: await collectFrames(cache, config, { frames: 1 }) });
  }
  return out;
}

/**
 * Trains an identity linear probe on one kind of frozen features of one set:
 * the model's penultimate features (`trained`), those of the same
 * architecture at its seeded initialisation (`random init`; `t.built` must
 * then be that untrained net), or 16x16 average-pooled pixels (`raw pixels`).
 * Probe-train and probe-test frames come from different videos of each
 * person when the set has such persons ({@link probeSplitByVideo}).
 */
export async function probeOne(t: Pick<TrainedNet, 'name' | 'built'>, name: string, set: FrameSet, epochs: number, seed: number, kind: ProbeFeatures = 'trained'): Promise<ProbeRun> {
  const { features, dim } = kind === 'raw pixels' ? pixelFeatures(set) : penultimateFeatures(t.built, set);
  const split = probeSplitByVideo(set.identities, set.videoIds);
  const pick = (idx: number[]) => {
    const f = new Float32Array(idx.length * dim);
    idx.forEach((k, i) => f.set(features.subarray(k * dim, (k + 1) * dim), i * dim));
    return { features: f, labels: idx.map((k) => set.identities[k]) };
  };
  const result = await linearProbe(pick(split.train), pick(split.test), { dim, epochs, batchSize: 32, learningRate: 1e-2, normalize: 'standardize', seed });
  const testIdentities = split.test.map((k) => set.identities[k]);
  return {
    model: kind === 'raw pixels' ? 'pixels' : t.name,
    features: kind,
    set: name,
    identities: new Set(split.train.map((k) => set.identities[k])).size,
    trainImages: split.train.length,
    testImages: split.test.length,
    split: split.by,
    final: accuracyInterval(result.testCorrect, testIdentities),
    result,
    testIdentities,
  };
}

/** A probe run as written to a report's JSON: without the per-frame outcomes and persons. */
export function probeRunJson({ testIdentities: _t, result: { testCorrect: _c, ...result }, ...run }: ProbeRun) {
  return { ...run, result };
}

/** Markdown rows of probe runs: final accuracy with its interval, best accuracy, chance. */
export function probeTable(runs: readonly ProbeRun[]): string {
  return markdownTable(
    ['model', 'features', 'image set', 'identities', 'train/test images', 'split', 'final train acc', 'final test acc [95% CI]', 'best test acc', 'chance (majority)'],
    runs.map((r) => [
      r.model,
      r.features,
      r.set,
      String(r.identities),
      `${r.trainImages}/${r.testImages}`,
      r.split === 'video' ? 'by video' : 'by frame',
      cell(r.result.trainAccuracy[r.result.trainAccuracy.length - 1] * 100, 1),
      formatInterval(r.final.accPct, r.final.ciPct, 1),
      cell(Math.max(...r.result.testAccuracy) * 100, 1),
      cell(r.result.chance * 100, 1),
    ]),
  );
}

/** Fig. 2: identity linear probe on frozen penultimate features of binary classifiers, beside a random network and raw pixels. */
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
    for (const [bi, b] of backbones.entries()) {
      const t = await trainedNet(ctx, binaryRunName(b), data, binaryOverrides(b.backbone, b.width));
      trained.push(`${t.name}: ${describeConfig(t.config)}`);
      // The control network: the same architecture at the seeded initialisation the training started from.
      const untrained = buildNet(t.config);
      try {
        const sets = await probeSets(ctx, t.config, data, ps.frames);
        const mine: ProbeRun[] = [];
        for (const s of sets) {
          ctx.log(`[fig2] ${t.name}: probing ${s.name} (${s.set.count} images): trained, random init${bi === 0 ? ', raw pixels' : ''}`);
          mine.push(await probeOne(t, s.name, s.set, ps.epochs, ctx.seed, 'trained'));
          mine.push(await probeOne({ name: t.name, built: untrained }, s.name, s.set, ps.epochs, ctx.seed, 'random init'));
          if (bi === 0) mine.push(await probeOne(t, s.name, s.set, ps.epochs, ctx.seed, 'raw pixels'));
        }
        runs.push(...mine);
        const chart = probeChart(
          mine.filter((r) => r.features !== 'raw pixels').map((r) => ({ name: `${r.set}${r.features === 'trained' ? '' : ' (random init)'}`, result: r.result })),
          { title: `Fig. 2 (${ctx.profile}): identity probe on ${b.backbone} x${b.width} features`, width: 820 },
        );
        const plot = await writeChart(join(ctx.outDir, `fig2-${ctx.profile}${ctx.quick ? '-quick' : ''}-${b.backbone}`), chart);
        charts.push(`![identity probe, ${b.backbone}](${plot.png.split('/').pop()})`);
      } finally {
        t.built.net.dispose();
        untrained.net.dispose();
      }
    }
    const byVideo = runs.every((r) => r.split === 'video' || r.set.startsWith('identity folder'));
    return {
      markdown: [
        `Data: ${data.description}. Features: the input of the final linear layer of each binary classifier (backbone + linear, no ADM/MFS/augmentation), frozen; ${ps.frames} frames per genuine video (a fake shows two persons, so fakes are left out). ` +
          `Controls: the same network at its seeded initialisation (random init) and the frames' 16x16 average-pooled pixels (raw pixels). ` +
          `A softmax linear probe (Adam, lr 1e-2, standardised features, ${ps.epochs} epochs) is trained on ${byVideo ? 'one video of each person and tested on the other (a different scene: background, light, camera noise, placement)' : 'alternate frames of each person (no person has two videos here, so scenes are shared)'}; photos of an identity folder alternate between the two sides.` +
          ` Intervals: 95% identity-cluster bootstrap of the final accuracy (2,000 replicates).${ctx.faces || data.identity ? '' : ' No --faces folder was given, so the LFW panel is absent.'}` +
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
      raw: { data: data.description, settings: ps, runs: runs.map(probeRunJson) },
    };
  },
};

/** The paired difference of two probes' final accuracies on the same test frames, in points, with its identity-cluster interval. */
function probeDiff(a: ProbeRun, b: ProbeRun): AccuracyInterval | null {
  if (!a.testIdentities || a.testImages !== b.testImages) return null;
  return accuracyInterval(a.result.testCorrect, a.testIdentities, b.result.testCorrect);
}

/**
 * Whether the frozen features carry identity (the paper's Hypothesis 1), each
 * trained probe judged by its final accuracy's identity-cluster interval
 * against chance (the majority guess), and against the random-network and
 * raw-pixel controls on the same test frames (paired interval of the difference).
 */
export function fig2Reading(runs: readonly ProbeRun[]): string {
  const lines: string[] = [];
  for (const r of runs.filter((x) => x.features === 'trained')) {
    const chance = Math.max(r.result.chance, 1 / Math.max(1, r.identities));
    const above = r.final.ciPct[0] > chance * 100;
    let line = `- ${r.model} on ${r.set}: final test accuracy ${formatInterval(r.final.accPct, r.final.ciPct, 1)}% vs chance ${cell(chance * 100, 1)}%: ${above ? 'identity is linearly decodable from the features, as the paper claims' : 'not distinguishable from chance here; the claim is not shown on this set'}.`;
    for (const kind of ['random init', 'raw pixels'] as const) {
      const c = runs.find((x) => x.features === kind && x.set === r.set && (kind === 'raw pixels' || x.model === r.model));
      const d = c && probeDiff(r, c);
      if (!c || !d) continue;
      const verdict = d.ciPct[0] > 0 ? 'more' : d.ciPct[1] < 0 ? 'less' : 'no more and no less';
      line += ` Against ${kind === 'random init' ? 'the untrained network' : 'raw pixels'} (${cell(c.final.accPct, 1)}%): ${d.accPct >= 0 ? '+' : ''}${d.accPct.toFixed(1)} points [${d.ciPct[0].toFixed(1)}, ${d.ciPct[1].toFixed(1)}], so the trained features carry ${verdict} identity than ${kind === 'random init' ? 'the untrained network' : 'the pixels'}.`;
    }
    lines.push(line);
  }
  lines.push(
    '- How to read it: the paper\'s Hypothesis 1 is that deepfake training puts identity into the features. Decodable identity alone does not show that; identity that the trained features carry beyond the untrained network and the pixels would. ' +
      (runs.some((r) => r.split === 'frames' && !r.set.startsWith('identity folder'))
        ? 'Some sets split by frame: scene and pose then help any feature, so compare the models and controls, not the absolute values. '
        : '') +
      'Final-epoch accuracies are the summary; the best epoch is optimistic and only listed. Nothing here was tuned toward the paper.',
  );
  return lines.join('\n');
}
