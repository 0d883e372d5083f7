/**
 * Xception in the layout of timm's `legacy_xception` / Cadene's
 * `pretrainedmodels` (the FaceForensics++ baseline): `conv1`, `bn1`, `conv2`,
 * `bn2`, `block1`..`block12` (each with `rep.N` separable convs `.conv1`
 * (depthwise) + `.pointwise`, batch norms, and a `skip` + `skipbn`
 * shortcut), `conv3`/`bn3`, `conv4`/`bn4`, classifier `fc`.
 *
 * As in timm, the shortcut sees the block input before the first ReLU
 * (Cadene's code ran an in-place ReLU first, so its shortcut saw the
 * activated input). Max pools pad by replicating the border, which is exact
 * for PyTorch's -inf padding.
 *
 * @packageDocumentation
 */
import type { Graph } from './graph/types.js';
import type { Scope } from './naming.js';
import { scaledWidth, type ArchOptions, type ArchOutput } from './arch.js';

const BN = { epsilon: 1e-5, momentum: 0.9 } as const;

/** Builds Xception on `g` from the `[h, w, 3]` input `x`. */
export function buildXception<T>(g: Graph<T>, x: T, s: Scope, opts: ArchOptions): ArchOutput<T> {
  const c = (n: number) => scaledWidth(n, opts.widthMultiplier);
  const bn = (t: T, path: string) => g.batchNorm(t, { name: s.tf(path), torch: s.torch(path), ...BN });
  const relu = (t: T) => g.activation(t, 'relu');
  const sep = (t: T, path: string, filters: number) =>
    g.separableConv2d(t, {
      name: s.tf(path),
      torchDepthwise: s.torch(`${path}.conv1`),
      torchPointwise: s.torch(`${path}.pointwise`),
      filters,
      kernel: 3,
      padding: 'same',
    });
  const conv = (t: T, path: string, filters: number, kernel: number, stride: number) =>
    g.conv2d(t, {
      name: s.tf(path),
      torch: s.torch(path),
      filters,
      kernel,
      stride,
      padding: 0,
      bias: false,
      init: { kind: 'normal', std: Math.sqrt(2 / (filters * kernel * kernel)) },
    });

  /** timm `Block`: the torch Sequential indices are reproduced in the names. */
  const block = (
    t: T,
    id: number,
    cin: number,
    cout: number,
    reps: number,
    stride: number,
    startWithRelu: boolean,
    growFirst: boolean,
  ): T => {
    const p = `block${id}.`;
    let idx = startWithRelu ? 0 : -1; // index in `rep` (ReLU, SepConv, BN triples)
    let y = t;
    for (let i = 0; i < reps; i++) {
      const outc = growFirst ? cout : i < reps - 1 ? cin : cout;
      if (i > 0 || startWithRelu) y = relu(y);
      y = sep(y, `${p}rep.${idx + 1}`, outc);
      y = bn(y, `${p}rep.${idx + 2}`);
      idx += 3;
    }
    if (stride !== 1) {
      y = g.maxPool(y, { size: 3, stride, padding: 1, padMode: 'edge', name: s.tf(`${p}rep.${idx}`) });
    }
    let skip = t;
    if (cout !== cin || stride !== 1) skip = bn(conv(t, `${p}skip`, cout, 1, stride), `${p}skipbn`);
    return g.add([y, skip]);
  };

  let y = relu(bn(conv(x, 'conv1', c(32), 3, 2), 'bn1'));
  y = relu(bn(conv(y, 'conv2', c(64), 3, 1), 'bn2'));
  y = block(y, 1, c(64), c(128), 2, 2, false, true);
  y = block(y, 2, c(128), c(256), 2, 2, true, true);
  y = block(y, 3, c(256), c(728), 2, 2, true, true);
  for (let id = 4; id <= 11; id++) y = block(y, id, c(728), c(728), 3, 1, true, true);
  y = block(y, 12, c(728), c(1024), 2, opts.outputStride === 16 ? 1 : 2, true, false);
  y = relu(bn(sep(y, 'conv3', c(1536)), 'bn3'));
  y = relu(bn(sep(y, 'conv4', c(2048)), 'bn4'));
  return { features: y, channels: c(2048), classifier: 'fc', dropout: 0 };
}
