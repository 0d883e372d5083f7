import { join } from 'node:path';
import { knnAgreement, probeChart, tsne, tsneChart, writeChart } from '@caddm/metrics';
import { embeddedExperimentData, type ExperimentData } from '../protocol/data.js';
import { paperExperimentData } from '../protocol/paper-data.js';
import { penultimateFeatures, pickIdentities, subsetFrames, type FrameSet } from '../protocol/features.js';
import { cell, markdownTable } from '../protocol/table.js';
import type { CaddmConfigInput } from '@caddm/trainer';
import { OURS, trainOurs } from '../protocol/ours.js';
import { describeConfig, variantConfig } from '../protocol/train.js';
import { binaryOverrides, caddmOverrides, trainedNet, type TrainedNet } from '../protocol/trained.js';
import type { Experiment, ExperimentContext, Profile } from '../types.js';
import { probeOne, probeSets, probeSettings, probeTable, type ProbeRun } from './fig2.js';
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
  /** kNN identity agreement on the L2-normalised features. */
  readonly identityAgreement: number;
  /** The same for a random labelling with these identity sizes (expected). */
  readonly identityChance: number;
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

/** Expected kNN agreement of a random assignment of these labels: sum_c (n_c / n) (n_c - 1) / (n - 1). */
export function agreementChance(labels: readonly string[]): number {
  const n = labels.length;
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let s = 0;
  for (const c of counts.values()) s += (c / n) * ((c - 1) / (n - 1));
  return s;
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
    for (const x of backbones) {
      for (const m of modelsOf(x)) {
        const t = await fig5Net(ctx, m.name, data, m.overrides);
        trained.push(`${t.name}: ${describeConfig(t.config)}`);
        try {
          const sets = (await probeSets(ctx, t.config, data, ps.frames)).filter((s) => !s.name.startsWith('identity folder'));
          for (const [si, s] of sets.entries()) {
            if (x === b) {
              const picked = subsetFrames(s.set, pickIdentities(s.set, 10, 10));
              panels.push(await panel(ctx, t, m.label, s.name, picked, `${stem}-${m.label.toLowerCase()}-${si === 0 ? 'in' : `cross${si}`}`));
            }
            if (x === backbones[backbones.length - 1]) {
              ctx.log(`[fig5] ${m.label}: probing ${s.name}`);
              probes.push(await probeOne(t, s.name, s.set, ps.epochs, ctx.seed));
            }
          }
        } finally {
          t.built.net.dispose();
        }
      }
    }
    for (const p of probes) (p as { model: string }).model = p.model.startsWith('binary') ? 'binary' : 'CADDM';
    const probePngs: string[] = [];
    for (const set of [...new Set(probes.map((p) => p.set))]) {
      const chart = probeChart(
        probes.filter((p) => p.set === set).map((p) => ({ name: p.model, result: p.result })),
        { title: `Fig. 5b/5d (${ctx.profile}): identity probe, ${set}`, width: 820 },
      );
      const plot = await writeChart(join(ctx.outDir, `${stem}-probe-${probePngs.length === 0 ? 'in' : `cross${probePngs.length}`}`), chart);
      probePngs.push(plot.png.split('/').pop() as string);
    }
    const panelRows = panels.map((p) => [
      p.model,
      p.set,
      `${p.points} / ${p.identities}`,
      cell(p.identityAgreement * 100, 1),
      cell(p.identityChance * 100, 1),
      cell(p.classAgreement * 100, 1),
    ]);
    return {
      markdown: [
        `Data: ${data.description}. ${backbones.length === 1 ? `Both models use ${b.backbone} x${b.width}` : `The t-SNE panels use ${b.backbone} x${b.width}, the identity probes ${bb.probe.backbone} x${bb.probe.width} (as the paper)`}; the binary classifier is Table 1's run (no ADM/MFS/augmentation), CADDM has ADM, MFS and augmentation. Features: the input of the final linear layer (for CADDM: pooled backbone feature + ADM feature, the short connection), L2-normalised, up to 10 identities x 10 frames per panel. Identity of a fake = its target's.` +
          (ctx.profile === 'paper' ? ` Models: ${trained.join('; ')}.` : ''),
        '',
        `## kNN agreement (%) of the L2-normalised features (k = ${panels[0]?.k ?? '-'})`,
        '',
        markdownTable(['model', 'test set', 'points / identities', 'identity agreement', 'identity chance', 'real/fake agreement'], panelRows),
        '',
        '## t-SNE maps (marker = identity, colour = real/fake)',
        '',
        ...panels.flatMap((p) => [`${p.model}, ${p.set}:`, '', `![t-SNE ${p.model} ${p.set}](${p.png})`, '']),
        '## Identity probe (Fig. 5b/5d)',
        '',
        probeTable(probes),
        '',
        ...probePngs.flatMap((f) => [`![identity probe](${f})`, '']),
        '## Reading',
        '',
        fig5Reading(panels, probes, ctx.profile),
      ].join('\n'),
      raw: { data: data.description, backbone: b, ...(backbones.length > 1 ? { probeBackbone: bb.probe } : {}), panels, probes },
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
  const identityAgreement = knnAgreement(x, frames.identities, k, dim);
  const classAgreement = knnAgreement(x, Array.from(frames.labels), k, dim);
  const emb = tsne(x, { dim, perplexity: Math.max(2, Math.min(30, Math.floor((n - 1) / 3))), iterations: ctx.quick ? 300 : 1000, seed: ctx.seed });
  const chart = tsneChart({ embedding: emb.embedding, identities: frames.identities, classes: Array.from(frames.labels) }, { title: `${model}, ${set}` });
  const plot = await writeChart(join(ctx.outDir, file), chart);
  return {
    model,
    set,
    points: n,
    identities: new Set(frames.identities).size,
    k,
    identityAgreement,
    identityChance: agreementChance(frames.identities),
    classAgreement,
    png: plot.png.split('/').pop() as string,
  };
}

/**
 * The paper's claim: CADDM's feature space clusters less by identity than
 * the binary classifier's. Compared per test set on kNN identity agreement,
 * with a rough noise bar of two binomial standard errors of the difference
 * (neighbourhoods overlap, so the true noise is larger).
 */
export function fig5Reading(panels: readonly Fig5Panel[], probes: readonly ProbeRun[], profile: Profile = 'mini'): string {
  const lines: string[] = [];
  for (const set of [...new Set(panels.map((p) => p.set))]) {
    const bin = panels.find((p) => p.set === set && p.model === 'binary');
    const ours = panels.find((p) => p.set === set && p.model === 'CADDM');
    if (!bin || !ours) continue;
    const se = Math.sqrt((bin.identityAgreement * (1 - bin.identityAgreement)) / bin.points + (ours.identityAgreement * (1 - ours.identityAgreement)) / ours.points);
    const d = ours.identityAgreement - bin.identityAgreement;
    const verdict =
      d < -2 * se
        ? 'CADDM clusters less by identity, as the paper claims'
        : d > 2 * se
          ? 'CADDM clusters more by identity: the paper\'s claim is contradicted here'
          : 'the difference is within noise: the paper\'s claim is not shown here';
    lines.push(
      `- ${set}: kNN identity agreement binary ${cell(bin.identityAgreement * 100, 1)}% vs CADDM ${cell(ours.identityAgreement * 100, 1)}% (chance ${cell(bin.identityChance * 100, 1)}%, noise ±${cell(2 * se * 100, 1)}): ${verdict}.`,
    );
    const pb = probes.find((p) => p.set === set && p.model === 'binary');
    const po = probes.find((p) => p.set === set && p.model === 'CADDM');
    if (pb && po) {
      const fb = pb.result.testAccuracy[pb.result.testAccuracy.length - 1];
      const fo = po.result.testAccuracy[po.result.testAccuracy.length - 1];
      lines.push(`  - Identity probe, final test accuracy: binary ${cell(fb * 100, 1)}%, CADDM ${cell(fo * 100, 1)}% (the paper: the binary classifier's probe converges faster and higher).`);
    }
  }
  lines.push(
    `- Caveats: ${profile === 'paper' ? 'up to 10 identities x 10 frames per t-SNE panel' : 'a few hundred frames of procedural identities'}; probe-train and probe-test frames share videos; kNN neighbourhoods overlap so the noise bar is optimistic. The t-SNE maps are for looking, the kNN numbers are the summary. Nothing here was tuned toward the paper.`,
  );
  return lines.join('\n');
}
