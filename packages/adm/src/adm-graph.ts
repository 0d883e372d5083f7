/**
 * The Artifact Detection Module (paper Sec. 4.1, Fig. 3) as written in the
 * reference's `backbones/adm.py`, generic over a {@link Graph} so that it
 * can be built as tfjs layers or only counted.
 *
 * Extra layers (all keep the backbone's channel count C):
 * 0. `ADM_ExtraBlock` with a 1x1 conv1 (7 -> 7): conv1(bias)-BN-ReLU,
 *    conv3x3(pad 1, no bias)-BN, + 1x1 conv(no bias)-BN shortcut, ReLU;
 * 1. the same with 3x3 convs without padding (7 -> 5);
 * 2. the same (5 -> 3);
 * 3. `ADM_EndBlock`: conv3x3(bias) (3 -> 1), ReLU, conv1x1(bias), + a
 *    3x3 conv(bias) shortcut, ReLU (no batch norm).
 *
 * Detection heads on **all four** extra-layer outputs (the paper's text
 * says the first three; the released code, which we follow, uses four):
 * per map a conv to 2x4 box offsets (`ms_dets.i`) and one to 2x2 class
 * logits (`ms_cls.i`), 3x3 with padding 1 on maps 0-2 and 1x1 on the 1x1
 * map. Outputs are flattened cell-major (row, column), anchor-minor, then
 * concatenated over maps: loc `[A, 4]`, conf `[A, 2]` with A = 2 * (49 +
 * 25 + 9 + 1) = 168.
 *
 * @packageDocumentation
 */
import { Scope, type Graph } from '@caddm/backbones';
import { ANCHORS_PER_CELL, NUM_CLASSES } from './config.js';
import { CaddmConfigError } from './errors.js';

const BN = { epsilon: 1e-5, momentum: 0.9 } as const;

/** Handles produced by {@link buildAdm}. */
export interface AdmGraph<T> {
  /** Box offsets `[A, 4]`. */
  readonly loc: T;
  /** Anchor class logits `[A, 2]`. */
  readonly conf: T;
  /** The final ADM feature, flattened to `[C]` (from the 1x1 map). */
  readonly final: T;
  /** Side lengths of the four maps that carry heads. */
  readonly mapSizes: readonly number[];
}

/**
 * Builds the ADM on `features` (`[h, w, C]`, h = w = 7 for the reference
 * configuration), under the PyTorch prefix `prefix` (default `adm.`).
 *
 * @throws {@link CaddmConfigError} when the map is not square or the chain
 * does not end at 1x1.
 */
export function buildAdm<T>(g: Graph<T>, features: T, prefix = 'adm.'): AdmGraph<T> {
  const shape = g.shapeOf(features);
  if (shape.length !== 3) {
    throw new CaddmConfigError(`the ADM needs a [h, w, c] feature map, got [${shape.join(', ')}]`);
  }
  const [h, w, c] = shape;
  if (h !== w || h !== 7) {
    throw new CaddmConfigError(
      `the ADM needs a 7x7 feature map (its maps are 7, 5, 3, 1 and the short connection needs the final 1x1), got ${h}x${w}`,
    );
  }
  const s = new Scope(prefix);
  const conv = (t: T, path: string, kernel: number, padding: number, bias: boolean, filters = c) =>
    g.conv2d(t, { name: s.tf(path), torch: s.torch(path), filters, kernel, padding, bias });
  const bn = (t: T, path: string) => g.batchNorm(t, { name: s.tf(path), torch: s.torch(path), ...BN });
  const relu = (t: T) => g.activation(t, 'relu');

  const maps: T[] = [];
  let x = features;
  for (let i = 0; i < 3; i++) {
    const k = i === 0 ? 1 : 3;
    const p = `adm_extra_layers.${i}.0.`;
    let y = relu(bn(conv(x, `${p}conv1`, k, 0, true), `${p}bn1`));
    y = bn(conv(y, `${p}conv2`, 3, 1, false), `${p}bn2`);
    const shortcut = bn(conv(x, `${p}downsample.0`, k, 0, false), `${p}downsample.1`);
    x = relu(g.add([y, shortcut]));
    maps.push(x);
  }
  {
    const p = 'adm_extra_layers.3.';
    let y = relu(conv(x, `${p}conv1`, 3, 0, true));
    y = conv(y, `${p}conv2`, 1, 0, true);
    x = relu(g.add([y, conv(x, `${p}downsample`, 3, 0, true)]));
    maps.push(x);
  }

  const locs: T[] = [];
  const confs: T[] = [];
  const mapSizes: number[] = [];
  maps.forEach((m, i) => {
    const [mh, mw] = g.shapeOf(m);
    mapSizes.push(mh);
    const end = i === maps.length - 1;
    const k = end ? 1 : 3;
    const pad = end ? 0 : 1;
    const cells = mh * mw * ANCHORS_PER_CELL;
    const d = conv(m, `multi_scale_detection_module.ms_dets.${i}`, k, pad, true, ANCHORS_PER_CELL * 4);
    const cl = conv(m, `multi_scale_detection_module.ms_cls.${i}`, k, pad, true, ANCHORS_PER_CELL * NUM_CLASSES);
    locs.push(g.reshape(d, [cells, 4], s.tf(`loc_${i}`)));
    confs.push(g.reshape(cl, [cells, NUM_CLASSES], s.tf(`conf_${i}`)));
  });
  const [fh, fw] = g.shapeOf(x);
  return {
    loc: g.concat(locs, 0, 'loc'),
    conf: g.concat(confs, 0, 'conf'),
    final: g.reshape(x, [fh * fw * c], s.tf('final_feature')),
    mapSizes,
  };
}
