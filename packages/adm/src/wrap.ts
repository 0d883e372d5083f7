/**
 * Reading a saved model's CADDM metadata and wrapping a tfjs model in
 * {@link CaddmModel} / {@link BaselineModel}: no file system, so browsers
 * (after `tf.loadLayersModel(url)`) and Node share it. Files: `io.ts`.
 *
 * @packageDocumentation
 */
import type { tf } from '@caddm/tf';
import { describeBackbone, ShapeGraph, type LayerSpec, type ResolvedBackboneOptions } from '@caddm/backbones';
import { buildBaseline, buildCaddm, buildCaddmHead } from './caddm-graph.js';
import type { ResolvedCaddmConfig } from './config.js';
import { CaddmConfigError } from './errors.js';
import { BaselineModel, CaddmModel, type DeepfakeModel, type ModelKind } from './model.js';

/** The `userDefinedMetadata.caddm` record of a saved model. */
export interface SavedModelMetadata {
  readonly format: 1;
  readonly kind: ModelKind;
  readonly config: ResolvedCaddmConfig | null;
  readonly channels: number;
  /** For a plug-in model on one of our backbones: that backbone's options. */
  readonly pluginBackbone: ResolvedBackboneOptions | null;
}

/** The metadata to store with a model. */
export function modelMetadata(m: DeepfakeModel): SavedModelMetadata {
  return {
    format: 1,
    kind: m instanceof CaddmModel ? 'caddm' : 'baseline',
    config: m.info.config,
    channels: m.info.channels,
    pluginBackbone: m.info.pluginBackbone ?? null,
  };
}

function specsFor(meta: SavedModelMetadata): { layers: readonly LayerSpec[]; mapSizes: readonly number[] } {
  const g = new ShapeGraph();
  if (meta.config) {
    const size = meta.config.backbone.inputSize;
    const x = g.input([size[0], size[1], 3]);
    if (meta.kind === 'caddm') return { layers: g.layers, mapSizes: buildCaddm(g, x, meta.config).mapSizes };
    buildBaseline(g, x, meta.config);
    return { layers: g.layers, mapSizes: [] };
  }
  const heads = buildCaddmHead(g, g.input([7, 7, meta.channels]), g.input([meta.channels]));
  const backbone = meta.pluginBackbone ? describeBackbone(meta.pluginBackbone).layers : [];
  return { layers: [...backbone, ...g.layers], mapSizes: heads.mapSizes };
}

/**
 * Wraps a tfjs model that carries our metadata (e.g. one loaded in a
 * browser with `tf.loadLayersModel('.../model.json')`) in a
 * {@link CaddmModel} or {@link BaselineModel}.
 *
 * @throws {@link CaddmConfigError} when the metadata is missing or does not
 * match the model's layers.
 */
export function wrapLayersModel(model: tf.LayersModel): CaddmModel | BaselineModel {
  const meta = (model.getUserDefinedMetadata() as { caddm?: SavedModelMetadata } | undefined)?.caddm;
  if (!meta || meta.format !== 1 || (meta.kind !== 'caddm' && meta.kind !== 'baseline')) {
    throw new CaddmConfigError('the model carries no CADDM metadata (userDefinedMetadata.caddm, format 1)');
  }
  const { layers, mapSizes } = specsFor(meta);
  const problems: string[] = [];
  for (const spec of layers) {
    let layer: tf.layers.Layer;
    try {
      layer = model.getLayer(spec.layer);
    } catch {
      problems.push(`layer '${spec.layer}' is missing`);
      continue;
    }
    const shapes = new Map(layer.weights.map((w) => [w.originalName.slice(w.originalName.lastIndexOf('/') + 1), w.shape]));
    for (const w of spec.weights) {
      const got = shapes.get(w.tf);
      if (!got || got.length !== w.tfShape.length || got.some((d, i) => d !== w.tfShape[i])) {
        problems.push(`layer '${spec.layer}' weight '${w.tf}' is [${got?.join(', ') ?? 'absent'}], expected [${w.tfShape.join(', ')}]`);
      }
    }
  }
  if (problems.length > 0) {
    throw new CaddmConfigError(
      `the model does not match its CADDM metadata (${problems.length} problem(s)):\n  ${problems.slice(0, 20).join('\n  ')}`,
    );
  }
  const info = {
    kind: meta.kind,
    config: meta.config,
    channels: meta.channels,
    layers,
    ...(meta.pluginBackbone ? { pluginBackbone: meta.pluginBackbone } : {}),
  };
  return meta.kind === 'caddm' ? new CaddmModel(model, info, mapSizes) : new BaselineModel(model, info);
}
