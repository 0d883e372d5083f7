/**
 * EfficientNet-b0..b7 in the layout of `efficientnet_pytorch` (lukemelas),
 * which is what the CADDM reference uses (`EfficientNet.from_pretrained`):
 * module names `_conv_stem`, `_blocks.N._depthwise_conv`, `_se_reduce`, ...,
 * batch-norm epsilon 1e-3, swish activations, and the reference's static
 * "same" padding (computed for the variant's nominal image size, so a
 * stride-2 3x3 conv pads 0 before and 1 after, a 5x5 pads 1 and 2).
 *
 * @packageDocumentation
 */
import type { Graph, Padding } from './graph/types.js';
import type { Scope } from './naming.js';
import type { ArchOptions, ArchOutput } from './arch.js';

/** EfficientNet variants. */
export type EfficientNetName =
  | 'efficientnet-b0'
  | 'efficientnet-b1'
  | 'efficientnet-b2'
  | 'efficientnet-b3'
  | 'efficientnet-b4'
  | 'efficientnet-b5'
  | 'efficientnet-b6'
  | 'efficientnet-b7';

/** width, depth, nominal resolution, dropout (efficientnet_pytorch `efficientnet_params`). */
const PARAMS: Record<EfficientNetName, readonly [number, number, number, number]> = {
  'efficientnet-b0': [1.0, 1.0, 224, 0.2],
  'efficientnet-b1': [1.0, 1.1, 240, 0.2],
  'efficientnet-b2': [1.1, 1.2, 260, 0.3],
  'efficientnet-b3': [1.2, 1.4, 300, 0.3],
  'efficientnet-b4': [1.4, 1.8, 380, 0.4],
  'efficientnet-b5': [1.6, 2.2, 456, 0.4],
  'efficientnet-b6': [1.8, 2.6, 528, 0.5],
  'efficientnet-b7': [2.0, 3.1, 600, 0.5],
};

/** The b0 stage table: kernel, repeats, stride, expand ratio, in, out (SE ratio 0.25 everywhere). */
const STAGES: readonly (readonly [number, number, number, number, number, number])[] = [
  [3, 1, 1, 1, 32, 16],
  [3, 2, 2, 6, 16, 24],
  [5, 2, 2, 6, 24, 40],
  [3, 3, 2, 6, 40, 80],
  [5, 3, 1, 6, 80, 112],
  [5, 4, 2, 6, 112, 192],
  [3, 1, 1, 6, 192, 320],
];
const SE_RATIO = 0.25;
const DROP_CONNECT = 0.2;
const BN = { epsilon: 1e-3, momentum: 0.99 } as const;

/** efficientnet_pytorch `round_filters`. */
export function roundFilters(filters: number, width: number, divisor = 8): number {
  const f = filters * width;
  let n = Math.max(divisor, Math.floor((f + divisor / 2) / divisor) * divisor);
  if (n < 0.9 * f) n += divisor;
  return n;
}

/** efficientnet_pytorch `round_repeats`. */
export function roundRepeats(repeats: number, depth: number): number {
  return Math.ceil(depth * repeats);
}

/** `Conv2dStaticSamePadding` for the nominal image size `size`. */
function staticSame(kernel: number, stride: number, size: number): Padding {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + kernel - size, 0);
  const a = Math.floor(total / 2);
  return [a, total - a, a, total - a];
}

/** Builds an EfficientNet on `g` from the `[h, w, 3]` input `x`. */
export function buildEfficientNet<T>(
  g: Graph<T>,
  x: T,
  name: EfficientNetName,
  s: Scope,
  opts: ArchOptions,
): ArchOutput<T> {
  const [w0, depth, size, dropout] = PARAMS[name];
  const width = w0 * opts.widthMultiplier;
  const dropConnect = opts.dropConnectRate ?? DROP_CONNECT;
  const conv = (t: T, path: string, filters: number, kernel: number, stride: number, bias: boolean) =>
    g.conv2d(t, {
      name: s.tf(path),
      torch: s.torch(path),
      filters,
      kernel,
      stride,
      bias,
      padding: staticSame(kernel, stride, size),
    });
  const bn = (t: T, path: string) => g.batchNorm(t, { name: s.tf(path), torch: s.torch(path), ...BN });
  const swish = (t: T) => g.activation(t, 'swish');

  let y = swish(bn(conv(x, '_conv_stem', roundFilters(32, width), 3, 2, false), '_bn0'));

  // Expand the stage table into one entry per block.
  const blocks: { kernel: number; stride: number; expand: number; cin: number; cout: number }[] = [];
  STAGES.forEach(([kernel, repeats, stride, expand, cin, cout], stage) => {
    const i = roundFilters(cin, width);
    const o = roundFilters(cout, width);
    const st = stage === 5 && opts.outputStride === 16 ? 1 : stride;
    const r = roundRepeats(repeats, depth);
    for (let b = 0; b < r; b++) {
      blocks.push({ kernel, stride: b === 0 ? st : 1, expand, cin: b === 0 ? i : o, cout: o });
    }
  });

  blocks.forEach((blk, idx) => {
    const p = `_blocks.${idx}.`;
    const inputs = y;
    const hidden = blk.cin * blk.expand;
    let t = y;
    if (blk.expand !== 1) t = swish(bn(conv(t, `${p}_expand_conv`, hidden, 1, 1, false), `${p}_bn0`));
    t = g.depthwiseConv2d(t, {
      name: s.tf(`${p}_depthwise_conv`),
      torch: s.torch(`${p}_depthwise_conv`),
      kernel: blk.kernel,
      stride: blk.stride,
      padding: staticSame(blk.kernel, blk.stride, size),
      bias: false,
    });
    t = swish(bn(t, `${p}_bn1`));
    const squeezed = Math.max(1, Math.floor(blk.cin * SE_RATIO));
    let se = g.globalAvgPool(t, { keepDims: true });
    se = swish(conv(se, `${p}_se_reduce`, squeezed, 1, 1, true));
    se = g.activation(conv(se, `${p}_se_expand`, hidden, 1, 1, true), 'sigmoid');
    t = g.multiply([se, t]);
    t = bn(conv(t, `${p}_project_conv`, blk.cout, 1, 1, false), `${p}_bn2`);
    if (blk.stride === 1 && blk.cin === blk.cout) {
      const rate = (dropConnect * idx) / blocks.length;
      t = g.add([g.dropout(t, rate, { perSample: true }), inputs]);
    }
    y = t;
  });

  const head = roundFilters(1280, width);
  y = swish(bn(conv(y, '_conv_head', head, 1, 1, false), '_bn1'));
  return { features: y, channels: head, classifier: '_fc', dropout: opts.dropoutRate ?? dropout };
}
