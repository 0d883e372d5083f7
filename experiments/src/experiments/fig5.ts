import { join } from 'node:path';
import { knnAgreementPoints, probeChart, tsne, tsneChart, writeChart } from '@caddm/metrics';
import { embeddedExperimentData, type ExperimentData } from '../protocol/data.js';
import { paperExperimentData } from '../protocol/paper-data.js';
import { penultimateFeatures, pickIdentities, subsetFrames, type FrameSet } from '../protocol/features.js';
import { cell, markdownTable } from '../protocol/table.js';
import { buildNet, evaluateCache, type CaddmConfigInput } from '@caddm/trainer';
import { accuracyInterval, type AccuracyInterval } from '../protocol/probe.js';
import { formatInterval } from '../protocol/stats.js';
import { crossLabel } from '../protocol/data.js';
import { OURS, trainOurs } from '../protocol/ours.js';
import { describeConfig, variantConfig } from '../protocol/train.js';
import { binaryOverrides, caddmOverrides, trainedNet, type TrainedNet } from '../protocol/trained.js';
import type { Experiment, ExperimentContext, Profile } from '../types.js';
import { probeOne, probeRunJson, probeSets, probeSettings, probeTable, type ProbeRun } from './fig2.js';
import { binaryRunName } from './table1.js';

/** The backbone both models of Fig. 5 share in the mini profile (the binary one is Table 1's run). */
export function fig5Backbone(ctx: Pick<ExperimentContext, 'quick'>): { backbone: string; width: number } {
  return ctx.quick ? { backbone: 'resnet18', width: 0.125 } : { backbone: 'resnet34', width: 0.25 };
}

/**
 * The backbones of the t-SNE panels (Fig. 5a/5c) and of the identity probes
 * (Fig. 5b/5d): the paper uses EfficientNet-b3 and ResNet-34 (both shared
 * with Table 1's binary classifiers); mini uses {@link fig5Backbone} for both.
 */
export function fig5Backbones(ctx: Pick<ExperimentContext, 'profile' | 'quick'>): { tsne: { backbone: string; width: number }; probe: { backbone: string; width: number } } {
  if (ctx.profile === 'paper') return { tsne: { backbone: 'efficientnet-b3', width: 1 }, probe: { backbone: 'resnet34', width: 1 } };
  const b = fig5Backbone(ctx);
  return { tsne: b, probe: b };
}

/** One t-SNE panel's numbers. */
export interface Fig5Panel {
  readonly model: string;
  readonly set: string;
  readonly points: number;
  readonly identities: number;
  readonly k: number;
  /** kNN identity agreement on the L2-normalised features, neighbours from other videos only. */
  readonly identityAgreement: number;
  /** Its 95% identity-cluster bootstrap interval. */
  readonly identityCi: readonly [number, number];
  /** The same for a random labelling with these identity sizes (expected), other videos only. */
  readonly identityChance: number;
  /** Each point's identity agreement and person, for paired comparisons (not written to the JSON). */
  readonly perPoint?: Float64Array;
  readonly persons?: readonly string[];
  readonly videoIds?: readonly string[];
  /** kNN real/fake agreement on the L2-normalised features. */
  readonly classAgreement: number;
  readonly png: string;
}

function l2rows(f: Float32Array, dim: number): Float32Array {
  const out = Float32Array.from(f);
  for (let i = 0; i < out.length; i += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += out[i + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) out[i + j] *= inv;
  }
  return out;
}

/**
 * Expected kNN agreement of a random assignment of these labels when a point's own
 * group (video) is never its neighbour: the mean over points of
 * (same-label points outside its group) / (points outside its group).
 */
export function agreementChance(labels: readonly string[], groups?: readonly string[]): number {
  const n = labels.length;
  const byLabel = new Map<string, number>();
  const byGroup = new Map<string, number>();
  const byBoth = new Map<string, number>();
  labels.forEach((l, i) => {
    byLabel.set(l, (byLabel.get(l) ?? 0) + 1);
    const g = groups ? groups[i] : String(i);
    byGroup.set(g, (byGroup.get(g) ?? 0) + 1);
    byBoth.set(`${l}\u0000${g}`, (byBoth.get(`${l}\u0000${g}`) ?? 0) + 1);
  });
  let s = 0;
  let m = 0;
  labels.forEach((l, i) => {
    const g = groups ? groups[i] : String(i);
    const others = n - byGroup.get(g)!;
    if (others <= 0) return;
    s += (byLabel.get(l)! - byBoth.get(`${l}\u0000${g}`)!) / others;
    m++;
  });
  return m ? s / m : Number.NaN;
}

/** Fig. 5: t-SNE of final features (identity markers, real/fake colours) and identity probes, binary classifier vs CADDM. */
export const fig5: Experiment = {
  name: 'fig5',
  title: 'Fig. 5: identity in the feature space, binary classifier vs CADDM (t-SNE, kNN agreement, identity probe)',
  paperRef: 'Fig. 5, Sec. 5.2',
  async run(ctx) {
    const bb = fig5Backbones(ctx);
    const b = bb.tsne;
    const backbones = bb.probe.backbone === b.backbone && bb.probe.width === b.width ? [b] : [b, bb.probe];
    const modelsOf = (x: { backbone: string; width: number }) => [
      { label: 'binary', name: binaryRunName(x), overrides: binaryOverrides(x.backbone, x.width) },
      { label: 'CADDM', name: `caddm-${x.backbone}-w${x.width}`, overrides: caddmOverrides(x.backbone, x.width) },
    ];
    const ps = probeSettings(ctx);
    const data: ExperimentData =
      ctx.profile === 'paper'
        ? await paperExperimentData(ctx, { experiment: 'fig5', cross: ['celebdf'], models: backbones.flatMap(modelsOf).map((m) => m.overrides) })
        : await embeddedExperimentData(ctx);
    const stem = `fig5-${ctx.profile}${ctx.quick ? '-quick' : ''}`;
    const panels: Fig5Panel[] = [];
    const probes: ProbeRun[] = [];
    const trained: string[] = [];
    const aucs: Array<{ model: string; sets: string[]; videoAuc: number[] }> = [];
    const testSets = [{ name: 'in-dataset', cache: data.train.cache, split: 'test' as const }, ...data.cross.map((c) => ({ name: crossLabel(c), cache: c.cache, split: c.split }))];
    for (const x of backbones) {
      for (const [mi, m] of modelsOf(x).entries()) {
        const t = await fig5Net(ctx, m.name, data, m.overrides);
        trained.push(`${t.name}: ${describeConfig(t.config)}`);
        const untrained = buildNet(t.config);
        try {
          // Both models' detection AUCs, so the identity comparison can be read at their accuracy.
          if (x === b) {
            const videoAuc: number[] = [];
            for (const s of testSets) videoAuc.push(Math.round((await evaluateCache(t.built, t.config, s.cache, s.split)).videoAuc * 10000) / 100);
            aucs.push({ model: m.label, sets: testSets.map((s) => s.name), videoAuc });
          }
          const sets = (await probeSets(ctx, t.config, data, ps.frames, { genuineOnly: false })).filter((s) => !s.name.startsWith('identity folder'));
          for (const [si, s] of sets.entries()) {
            if (x === b) {
              const picked = subsetFrames(s.set, pickIdentities(s.set, 10, 10));
              panels.push(await panel(ctx, t, m.label, s.name, picked, `${stem}-${m.label.toLowerCase()}-${si === 0 ? 'in' : `cross${si}`}`));
            }
            if (x === backbones[backbones.length - 1]) {
              // Probes read genuine frames only: a fake shows two persons.
              const genuine = subsetFrames(s.set, [...s.set.labels.keys()].filter((i) => s.set.labels[i] === 0));
              ctx.log(`[fig5] ${m.label}: probing ${s.name} (trained, random init${mi === 0 ? ', raw pixels' : ''})`);
              probes.push({ ...(await probeOne(t, s.name, genuine, ps.epochs, ctx.seed, 'trained')), model: m.label });
              probes.push({ ...(await probeOne({ name: t.name, built: untrained }, s.name, genuine, ps.epochs, ctx.seed, 'random init')), model: m.label });
              if (mi === 0) probes.push(await probeOne(t, s.name, genuine, ps.epochs, ctx.seed, 'raw pixels'));
            }
          }
        } finally {
          t.built.net.dispose();
          untrained.net.dispose();
        }
      }
    }
    const probePngs: string[] = [];
    for (const set of [...new Set(probes.map((p) => p.set))]) {
      const chart = probeChart(
        probes.filter((p) => p.set === set && p.features === 'trained').map((p) => ({ name: p.model, result: p.result })),
        { title: `Fig. 5b/5d (${ctx.profile}): identity probe, ${set}`, width: 820 },
      );
      const plot = await writeChart(join(ctx.outDir, `${stem}-probe-${probePngs.length === 0 ? 'in' : `cross${probePngs.length}`}`), chart);
      probePngs.push(plot.png.split('/').pop() as string);
    }
    const panelRows = panels.map((p) => [
      p.model,
      p.set,
      `${p.points} / ${p.identities}`,
      formatInterval(p.identityAgreement * 100, [p.identityCi[0] * 100, p.identityCi[1] * 100], 1),
      cell(p.identityChance * 100, 1),
      cell(p.classAgreement * 100, 1),
    ]);
    return {
      markdown: [
        `Data: ${data.description}. ${backbones.length === 1 ? `Both models use ${b.backbone} x${b.width}` : `The t-SNE panels use ${b.backbone} x${b.width}, the identity probes ${bb.probe.backbone} x${bb.probe.width} (as the paper)`}; the binary classifier is Table 1's run (no ADM/MFS/augmentation), CADDM has ADM, MFS and augmentation. Features: the input of the final linear layer (for CADDM: pooled backbone feature + ADM feature, the short connection), L2-normalised, up to 10 identities x 10 frames per panel. Person of a fake = its target's.` +
          (ctx.profile === 'paper' ? ` Models: ${trained.join('; ')}.` : ''),
        '',
        '## The two models\' detection AUC (%)',
        '',
        'The identity comparison below is between models of these accuracies: a weaker detector may simply have learnt less of everything.',
        '',
        markdownTable(['model', ...(aucs[0]?.sets ?? [])], aucs.map((a) => [a.model, ...a.videoAuc.map((v) => cell(v))])),
        '',
        `## kNN agreement (%) of the L2-normalised features (k = ${panels[0]?.k ?? '-'}, neighbours from other videos only)`,
        '',
        'A frame\'s own video never counts as its neighbour, so the identity agreement is not a scene agreement. Identity agreement with its 95% identity-cluster bootstrap interval.',
        '',
        markdownTable(['model', 'test set', 'points / identities', 'identity agreement [95% CI]', 'identity chance', 'real/fake agreement'], panelRows),
        '',
        '## t-SNE maps (marker = identity, colour = real/fake)',
        '',
        ...panels.flatMap((p) => [`${p.model}, ${p.set}:`, '', `![t-SNE ${p.model} ${p.set}](${p.png})`, '']),
        '## Identity probe (Fig. 5b/5d)',
        '',
        'Genuine frames only; trained on one video of each person, tested on another; beside the same network untrained (random init) and 16x16 pooled pixels.',
        '',
        probeTable(probes),
        '',
        ...probePngs.flatMap((f) => [`![identity probe](${f})`, '']),
        '## Reading',
        '',
        fig5Reading(panels, probes, ctx.profile, aucs),
      ].join('\n'),
      raw: {
        data: data.description,
        backbone: b,
        ...(backbones.length > 1 ? { probeBackbone: bb.probe } : {}),
        aucs,
        panels: panels.map(({ perPoint: _p, persons: _q, videoIds: _v, ...p }) => p),
        probes: probes.map(probeRunJson),
      },
    };
  },
};

/**
 * A Fig. 5 model: in the paper profile, a CADDM whose config is Table 2's
 * full model's (ResNet-34) is that model (trained once); otherwise the
 * shared identity-experiment run ({@link trainedNet}).
 */
async function fig5Net(ctx: ExperimentContext, name: string, data: ExperimentData, overrides: CaddmConfigInput): Promise<TrainedNet> {
  if (ctx.profile === 'paper' && JSON.stringify(variantConfig(ctx, data, overrides)) === JSON.stringify(variantConfig(ctx, data, OURS.overrides))) {
    const t0 = performance.now();
    const { result, run } = await trainOurs(ctx, data);
    return { name, config: run.config, built: run, steps: result.steps, seconds: (performance.now() - t0) / 1000, runDir: run.runDir };
  }
  return trainedNet(ctx, name, data, overrides);
}

/** The mean of finite per-point values (%) with a 95% interval resampling persons; with `b`, of the paired difference. */
function pointInterval(a: Float64Array, persons: readonly string[], b?: Float64Array): AccuracyInterval | null {
  const keep = [...a.keys()].filter((i) => Number.isFinite(a[i]) && (!b || Number.isFinite(b[i])));
  if (keep.length === 0) return null;
  return accuracyInterval(Float64Array.from(keep, (i) => a[i]), keep.map((i) => persons[i]), b ? Float64Array.from(keep, (i) => b[i]) : undefined);
}

async function panel(
  ctx: ExperimentContext,
  t: Awaited<ReturnType<typeof trainedNet>>,
  model: string,
  set: string,
  frames: FrameSet,
  file: string,
): Promise<Fig5Panel> {
  const { features, dim } = penultimateFeatures(t.built, frames);
  const x = l2rows(features, dim);
  const n = frames.count;
  const k = Math.min(5, n - 1);
  // Neighbours from other videos only: frames of one video share a scene, not just a person.
  const perPoint = knnAgreementPoints(x, frames.identities, k, dim, frames.videoIds);
  const iv = pointInterval(perPoint, frames.identities);
  const classPoints = knnAgreementPoints(x, Array.from(frames.labels), k, dim, frames.videoIds);
  const finiteMean = (v: Float64Array) => {
    const f = Array.from(v).filter(Number.isFinite);
    return f.length ? f.reduce((a, b) => a + b, 0) / f.length : Number.NaN;
  };
  const emb = tsne(x, { dim, perplexity: Math.max(2, Math.min(30, Math.floor((n - 1) / 3))), iterations: ctx.quick ? 300 : 1000, seed: ctx.seed });
  const chart = tsneChart({ embedding: emb.embedding, identities: frames.identities, classes: Array.from(frames.labels) }, { title: `${model}, ${set}` });
  const plot = await writeChart(join(ctx.outDir, file), chart);
  return {
    model,
    set,
    points: n,
    identities: new Set(frames.identities).size,
    k,
    identityAgreement: finiteMean(perPoint),
    identityCi: iv ? [iv.ciPct[0] / 100, iv.ciPct[1] / 100] : [Number.NaN, Number.NaN],
    identityChance: agreementChance(frames.identities, frames.videoIds),
    classAgreement: finiteMean(classPoints),
    png: plot.png.split('/').pop() as string,
    perPoint,
    persons: frames.identities,
    videoIds: frames.videoIds,
  };
}

/**
 * The paper's claim: CADDM's feature space clusters less by identity than
 * the binary classifier's. Compared per test set on kNN identity agreement
 * (neighbours from other videos), paired on the same frames when both panels
 * hold them, with an identity-cluster bootstrap interval of the difference;
 * then the identity probes beside their controls, and both models' AUCs.
 */
export function fig5Reading(
  panels: readonly Fig5Panel[],
  probes: readonly ProbeRun[],
  profile: Profile = 'mini',
  aucs: ReadonlyArray<{ model: string; sets: string[]; videoAuc: number[] }> = [],
): string {
  const lines: string[] = [];
  for (const set of [...new Set(panels.map((p) => p.set))]) {
    const bin = panels.find((p) => p.set === set && p.model === 'binary');
    const ours = panels.find((p) => p.set === set && p.model === 'CADDM');
    if (!bin || !ours) continue;
    const paired = bin.perPoint && ours.perPoint && bin.persons && JSON.stringify(bin.videoIds) === JSON.stringify(ours.videoIds);
    const d = paired ? pointInterval(ours.perPoint!, bin.persons!, bin.perPoint!) : null;
    const diff = (ours.identityAgreement - bin.identityAgreement) * 100;
    const verdict = !d
      ? 'no paired interval could be formed; not judged'
      : d.ciPct[1] < 0
        ? 'CADDM clusters less by identity, as the paper claims'
        : d.ciPct[0] > 0
          ? "CADDM clusters more by identity: the paper's claim is contradicted here"
          : "the difference is within noise: the paper's claim is not shown here";
    lines.push(
      `- ${set}: kNN identity agreement binary ${cell(bin.identityAgreement * 100, 1)}% vs CADDM ${cell(ours.identityAgreement * 100, 1)}% (chance ${cell(bin.identityChance * 100, 1)}%); CADDM − binary ${diff >= 0 ? '+' : ''}${diff.toFixed(1)} points${d ? ` [${d.ciPct[0].toFixed(1)}, ${d.ciPct[1].toFixed(1)}] (paired, identity-cluster bootstrap)` : ''}: ${verdict}.`,
    );
    const pb = probes.find((p) => p.set === set && p.model === 'binary' && p.features === 'trained');
    const po = probes.find((p) => p.set === set && p.model === 'CADDM' && p.features === 'trained');
    if (pb && po) {
      const rb = probes.find((p) => p.set === set && p.model === 'binary' && p.features === 'random init');
      const ro = probes.find((p) => p.set === set && p.model === 'CADDM' && p.features === 'random init');
      const px = probes.find((p) => p.set === set && p.features === 'raw pixels');
      const pd = pb.testIdentities && po.testIdentities && pb.testImages === po.testImages ? accuracyInterval(po.result.testCorrect, pb.testIdentities, pb.result.testCorrect) : null;
      lines.push(
        `  - Identity probe, final test accuracy (other video of each person): binary ${formatInterval(pb.final.accPct, pb.final.ciPct, 1)}%, CADDM ${formatInterval(po.final.accPct, po.final.ciPct, 1)}%` +
          `${pd ? `, CADDM − binary ${pd.accPct >= 0 ? '+' : ''}${pd.accPct.toFixed(1)} [${pd.ciPct[0].toFixed(1)}, ${pd.ciPct[1].toFixed(1)}] (${pd.ciPct[1] < 0 ? 'less identity in CADDM, as the paper claims' : pd.ciPct[0] > 0 ? "more identity in CADDM, against the paper's claim" : 'within noise'})` : ''}` +
          `; controls: untrained binary ${rb ? cell(rb.final.accPct, 1) : '-'}%, untrained CADDM ${ro ? cell(ro.final.accPct, 1) : '-'}%, raw pixels ${px ? cell(px.final.accPct, 1) : '-'}%.`,
      );
    }
  }
  if (aucs.length === 2) {
    const [a, b2] = aucs;
    lines.push(
      `- Detection AUC of the two models: ${a.sets.map((s, i) => `${s} ${a.model} ${cell(a.videoAuc[i])} vs ${b2.model} ${cell(b2.videoAuc[i])}`).join('; ')}. ` +
        'The models are not matched in accuracy: read a difference in identity as a difference between these two detectors, not as the effect of the ADM alone.',
    );
  }
  lines.push(
    `- Caveats: ${profile === 'paper' ? 'up to 10 identities x 10 frames per t-SNE panel' : 'a few hundred frames of procedural identities'}; kNN neighbourhoods overlap, which the person-level bootstrap only partly absorbs. The t-SNE maps are for looking, the kNN numbers are the summary. Nothing here was tuned toward the paper.`,
  );
  return lines.join('\n');
}
