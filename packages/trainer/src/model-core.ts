import { priorBoxes, type AnchorConfig, type Priors } from '@caddm/anchors';
import { createBaseline, createCaddm, validInputSizes, type CaddmOptions, type DeepfakeModel } from '@caddm/adm';
import type { CaddmConfig } from './config/index.js';
import { LayersNet } from './train/layers-net.js';

/** What {@link buildNetWith} (and `buildNet`) made. */
export interface BuiltNet {
  /** The trainer's view (forward, variables, checkpoint weights). */
  readonly net: LayersNet;
  /** The underlying CADDM or baseline model (state dicts, predict). */
  readonly model: DeepfakeModel;
  /** Anchors for target building and decoding; undefined without the ADM. */
  readonly priors?: Priors;
  /** The adm options used. */
  readonly options: CaddmOptions;
}

/** The anchor layout the config describes. */
export function anchorConfigOf(config: CaddmConfig): AnchorConfig {
  const a = config.adm_det;
  return { imageSize: a.min_dim, featureMaps: a.feature_maps, steps: a.steps, minSizes: a.min_sizes, maxSizes: a.max_sizes, clip: a.clip };
}

/** The model options the config describes, resolving `output_stride: auto`. */
export function modelOptionsOf(config: CaddmConfig): CaddmOptions {
  const base = { backbone: config.model.backbone, inputSize: config.crop_face.output_size, widthMultiplier: config.model.width };
  let stride = config.model.output_stride;
  if (stride === 'auto') {
    const r32 = validInputSizes({ ...base, outputStride: 32 });
    stride = r32 != null && base.inputSize >= r32.min && base.inputSize <= r32.max ? 32 : 16;
  }
  return { ...base, outputStride: stride };
}

/**
 * Builds the network the config asks for: CADDM (backbone + ADM) when
 * `ablation.adm`, else the binary baseline (backbone + linear); initialises
 * from `train.seed`; calls `loadBackbone` (pretrained backbone weights) when
 * given; checks that the model's detection maps agree with
 * `adm_det.feature_maps`. No file access: `buildNet` in `model.ts` reads
 * `model.pretrained` from disk, browsers load whole models instead.
 */
export function buildNetWith(config: CaddmConfig, loadBackbone?: (model: DeepfakeModel) => void): BuiltNet {
  const options = modelOptionsOf(config);
  // Seeded initialisation: the same config (train.seed) builds the same starting weights.
  const init = { seed: config.train.seed };
  const model = config.ablation.adm ? createCaddm(options, init) : createBaseline(options, init);
  try {
    loadBackbone?.(model);
    let priors: Priors | undefined;
    if (config.ablation.adm) {
      const maps = (model as unknown as { featureMapSizes: readonly number[] }).featureMapSizes;
      const want = config.adm_det.feature_maps;
      if (maps.length !== want.length || maps.some((m, i) => m !== want[i])) {
        throw new Error(`the model's detection maps are [${maps}] but adm_det.feature_maps is [${want}] (input ${options.inputSize}, stride ${options.outputStride})`);
      }
      priors = priorBoxes(anchorConfigOf(config));
    }
    return { net: new LayersNet(model.model), model, priors, options };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
