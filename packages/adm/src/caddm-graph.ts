/**
 * The whole CADDM network (reference `backbones/caddm.py`) and the
 * binary-classifier baseline, generic over a {@link Graph}.
 *
 * CADDM: backbone -> (feature map, pooled feature); ADM on the feature
 * map -> (loc, conf, final 1x1 feature); short connection: pooled + final
 * -> linear `fc` -> 2 logits. Baseline: backbone pooled feature -> `fc`.
 *
 * PyTorch names follow the reference state dict: `base_model.*`, `adm.*`,
 * `fc.*`, so the authors' checkpoints (`checkpoint['network']`) load as
 * they are.
 *
 * @packageDocumentation
 */
import { buildBackbone, type Graph } from '@caddm/backbones';
import { buildAdm } from './adm-graph.js';
import { NUM_CLASSES, type ResolvedCaddmConfig } from './config.js';
import { CaddmConfigError } from './errors.js';

/** PyTorch prefix of the backbone inside CADDM. */
export const BACKBONE_PREFIX = 'base_model.';
/** PyTorch prefix of the ADM inside CADDM. */
export const ADM_PREFIX = 'adm.';
/** PyTorch path of the final classifier. */
export const FC_PATH = 'fc';

/** Handles of a CADDM head built by {@link buildCaddmHead}. */
export interface CaddmHeads<T> {
  readonly loc: T;
  readonly conf: T;
  readonly logits: T;
  readonly mapSizes: readonly number[];
}

/**
 * The plug-in form of the ADM (paper Table 6): attaches the ADM, the short
 * connection and the classifier to any backbone's feature map `[7, 7, C]`
 * and pooled feature `[C]` on any {@link Graph}.
 */
export function buildCaddmHead<T>(g: Graph<T>, features: T, pooled: T, admPrefix = ADM_PREFIX, fc = FC_PATH): CaddmHeads<T> {
  const c = g.shapeOf(features).at(-1);
  const ps = g.shapeOf(pooled);
  if (ps.length !== 1 || ps[0] !== c) {
    throw new CaddmConfigError(`the pooled feature must be [${c}] to match the feature map, got [${ps.join(', ')}]`);
  }
  const adm = buildAdm(g, features, admPrefix);
  const joined = g.add([pooled, adm.final], 'short_connection');
  const logits = g.dense(joined, { name: fc, torch: fc, units: NUM_CLASSES });
  return { loc: adm.loc, conf: adm.conf, logits, mapSizes: adm.mapSizes };
}

/** Builds the full CADDM network from the input `x` (`[s, s, 3]`). */
export function buildCaddm<T>(g: Graph<T>, x: T, config: ResolvedCaddmConfig): CaddmHeads<T> {
  const b = buildBackbone(g, x, { ...config.backbone, numClasses: 0 }, BACKBONE_PREFIX);
  return buildCaddmHead(g, b.features, b.pooled);
}

/** Builds the binary-classifier baseline (backbone + linear) from `x`; returns its logits. */
export function buildBaseline<T>(g: Graph<T>, x: T, config: ResolvedCaddmConfig): T {
  const b = buildBackbone(g, x, { ...config.backbone, numClasses: 0 }, BACKBONE_PREFIX);
  return g.dense(b.pooled, { name: FC_PATH, torch: FC_PATH, units: NUM_CLASSES });
}
