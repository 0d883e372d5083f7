/**
 * ResNet-18/34/50 in the torchvision layout (also the layout of the CADDM
 * reference's `backbones/resnet.py`): same module names, same strides
 * (ResNet-50 strides in the 3x3 conv, "v1.5"), PyTorch padding and
 * batch-norm epsilon 1e-5.
 *
 * @packageDocumentation
 */
import type { Graph, KernelInit } from './graph/types.js';
import type { Scope } from './naming.js';
import { scaledWidth, type ArchOptions, type ArchOutput } from './arch.js';

/** ResNet variants. */
export type ResNetName = 'resnet18' | 'resnet34' | 'resnet50';

const DEPTHS: Record<ResNetName, { bottleneck: boolean; blocks: readonly number[] }> = {
  resnet18: { bottleneck: false, blocks: [2, 2, 2, 2] },
  resnet34: { bottleneck: false, blocks: [3, 4, 6, 3] },
  resnet50: { bottleneck: true, blocks: [3, 4, 6, 3] },
};

const BN = { epsilon: 1e-5, momentum: 0.9 } as const;

/** torchvision / reference init: kaiming normal, fan_out, ReLU gain. */
function kaimingOut(filters: number, kernel: number): KernelInit {
  return { kind: 'normal', std: Math.sqrt(2 / (filters * kernel * kernel)) };
}

/** Builds a ResNet on `g` from the `[h, w, 3]` input `x`. */
export function buildResNet<T>(g: Graph<T>, x: T, name: ResNetName, s: Scope, opts: ArchOptions): ArchOutput<T> {
  const { bottleneck, blocks } = DEPTHS[name];
  const expansion = bottleneck ? 4 : 1;
  const wm = opts.widthMultiplier;
  const conv = (t: T, path: string, filters: number, kernel: number, stride: number, padding: number) =>
    g.conv2d(t, {
      name: s.tf(path),
      torch: s.torch(path),
      filters,
      kernel,
      stride,
      padding,
      bias: false,
      init: kaimingOut(filters, kernel),
    });
  const bn = (t: T, path: string) => g.batchNorm(t, { name: s.tf(path), torch: s.torch(path), ...BN });
  const relu = (t: T) => g.activation(t, 'relu');

  let inplanes = scaledWidth(64, wm);
  let y = relu(bn(conv(x, 'conv1', inplanes, 7, 2, 3), 'bn1'));
  // After the ReLU, zero padding is exactly PyTorch's -inf padding.
  y = g.maxPool(y, { size: 3, stride: 2, padding: 1, padMode: 'zero', name: s.tf('maxpool') });

  const stageWidths = [64, 128, 256, 512].map((c) => scaledWidth(c, wm));
  for (let stage = 0; stage < 4; stage++) {
    const planes = stageWidths[stage];
    const lastStride = opts.outputStride === 16 ? 1 : 2;
    const stride0 = stage === 0 ? 1 : stage === 3 ? lastStride : 2;
    for (let b = 0; b < blocks[stage]; b++) {
      const p = `layer${stage + 1}.${b}.`;
      const stride = b === 0 ? stride0 : 1;
      let out: T;
      if (bottleneck) {
        out = relu(bn(conv(y, `${p}conv1`, planes, 1, 1, 0), `${p}bn1`));
        out = relu(bn(conv(out, `${p}conv2`, planes, 3, stride, 1), `${p}bn2`));
        out = bn(conv(out, `${p}conv3`, planes * expansion, 1, 1, 0), `${p}bn3`);
      } else {
        out = relu(bn(conv(y, `${p}conv1`, planes, 3, stride, 1), `${p}bn1`));
        out = bn(conv(out, `${p}conv2`, planes, 3, 1, 1), `${p}bn2`);
      }
      let residual = y;
      if (b === 0 && (stride !== 1 || inplanes !== planes * expansion)) {
        residual = bn(conv(y, `${p}downsample.0`, planes * expansion, 1, stride, 0), `${p}downsample.1`);
      }
      y = relu(g.add([out, residual]));
      inplanes = planes * expansion;
    }
  }
  return { features: y, channels: inplanes, classifier: 'fc', dropout: 0 };
}
