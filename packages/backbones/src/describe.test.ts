import { describe, expect, it } from 'vitest';
import { BACKBONE_NAMES, BackboneConfigError, describeBackbone, roundFilters } from './index.js';

/** PyTorch `sum(p.numel() for p in model.parameters())` minus the ImageNet classifier. */
const TORCH_PARAMS: Record<string, number> = {
  resnet18: 11_689_512 - 513_000,
  resnet34: 21_284_672,
  resnet50: 25_557_032 - 2_049_000,
  'efficientnet-b0': 5_288_548 - 1_281_000,
  'efficientnet-b1': 7_794_184 - 1_281_000,
  'efficientnet-b2': 9_109_994 - 1_409_000,
  'efficientnet-b3': 10_696_232,
  'efficientnet-b4': 17_548_616,
  'efficientnet-b5': 30_389_784 - 2_049_000,
  'efficientnet-b6': 43_040_704 - 2_305_000,
  'efficientnet-b7': 66_347_960 - 2_561_000,
  xception: 22_855_952 - 2_049_000,
};

const CHANNELS: Record<string, number> = {
  resnet18: 512,
  resnet34: 512,
  resnet50: 2048,
  'efficientnet-b0': 1280,
  'efficientnet-b1': 1280,
  'efficientnet-b2': 1408,
  'efficientnet-b3': 1536,
  'efficientnet-b4': 1792,
  'efficientnet-b5': 2048,
  'efficientnet-b6': 2304,
  'efficientnet-b7': 2560,
  xception: 2048,
};

describe('describeBackbone (shape-only, no allocation)', () => {
  it.each(BACKBONE_NAMES.map((n) => [n]))('%s: PyTorch parameter count and 7x7 map at 224', (name) => {
    const d = describeBackbone({ name });
    expect(d.trainableParams).toBe(TORCH_PARAMS[name]);
    expect(d.featureShape).toEqual([7, 7, CHANNELS[name]]);
    expect(d.channels).toBe(CHANNELS[name]);
  });

  it('with a classifier adds exactly C*K + K parameters under the reference name', () => {
    const d = describeBackbone({ name: 'efficientnet-b3', numClasses: 1000 });
    expect(d.trainableParams).toBe(12_233_232);
    expect(d.layers.at(-1)!.weights.map((w) => w.torch)).toEqual(['_fc.weight', '_fc.bias']);
  });

  // Without it, 112 px ends at 4x4 (3x3 for EfficientNet, whose static padding
  // for the nominal image size pads a 7x7 map by 1 and 2 in its last stride-2 conv).
  it.each([
    ['resnet34', 4],
    ['efficientnet-b0', 3],
    ['xception', 4],
  ] as const)(
    '%s: outputStride 16 keeps a 7x7 map at 112 px and changes no parameter',
    (name, os32) => {
      const small = describeBackbone({ name, inputSize: 112, outputStride: 16 });
      expect(small.featureShape).toEqual([7, 7, CHANNELS[name]]);
      expect(small.trainableParams).toBe(TORCH_PARAMS[name]);
      expect(describeBackbone({ name, inputSize: 112 }).featureShape.slice(0, 2)).toEqual([os32, os32]);
    },
  );

  it('feature map sizes follow the PyTorch formulas for odd and rectangular inputs', () => {
    // conv 7x7/2 p3, pool 3/2 p1 and three 3x3/2 p1: n -> floor((n-1)/2)+1, five times.
    const f = (n: number) => {
      for (let i = 0; i < 5; i++) n = Math.floor((n - 1) / 2) + 1;
      return n;
    };
    for (const [h, w] of [
      [193, 224],
      [100, 61],
      [225, 255],
    ]) {
      expect(describeBackbone({ name: 'resnet18', inputSize: [h, w] }).featureShape.slice(0, 2)).toEqual([f(h), f(w)]);
    }
  });

  it('width multiplier scales ResNet widths and EfficientNet with round_filters', () => {
    const r = describeBackbone({ name: 'resnet34', widthMultiplier: 0.25 });
    expect(r.channels).toBe(128);
    // Every conv weight shrinks ~16x; BN params 4x.
    expect(r.trainableParams).toBeLessThan(TORCH_PARAMS.resnet34 / 15);
    const e = describeBackbone({ name: 'efficientnet-b3', widthMultiplier: 0.5 });
    expect(e.channels).toBe(roundFilters(1280, 0.6));
    expect(roundFilters(32, 1.2)).toBe(40);
    expect(roundFilters(1280, 1.4)).toBe(1792);
    expect(roundFilters(16, 0.25)).toBe(8);
  });

  it('records PyTorch keys in torchvision / efficientnet_pytorch / timm layout', () => {
    const keys = (n: (typeof BACKBONE_NAMES)[number]) =>
      describeBackbone({ name: n }).layers.flatMap((l) => l.weights.map((w) => w.torch));
    const r = keys('resnet50');
    expect(r.slice(0, 5)).toEqual(['conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var']);
    expect(r).toContain('layer1.0.downsample.0.weight');
    expect(r).toContain('layer4.2.conv3.weight');
    const e = keys('efficientnet-b0');
    expect(e).toContain('_blocks.0._depthwise_conv.weight');
    expect(e).not.toContain('_blocks.0._expand_conv.weight');
    expect(e).toContain('_blocks.15._se_expand.bias');
    expect(e).toContain('_conv_head.weight');
    expect(e.filter((k) => k.startsWith('_blocks.') && k.endsWith('_project_conv.weight'))).toHaveLength(16);
    const x = keys('xception');
    expect(x).toContain('block1.rep.0.conv1.weight');
    expect(x).toContain('block1.rep.3.pointwise.weight');
    expect(x).toContain('block2.rep.1.conv1.weight');
    expect(x).toContain('block12.skipbn.running_var');
    expect(x).toContain('conv4.pointwise.weight');
    expect(x).not.toContain('block4.skip.weight');
  });

  it('rejects unknown names and bad options with clear errors', () => {
    expect(() => describeBackbone({ name: 'resnet101' as never })).toThrow(BackboneConfigError);
    expect(() => describeBackbone({ name: 'resnet101' as never })).toThrow(/unknown backbone 'resnet101'.*resnet34/);
    expect(() => describeBackbone({ name: 'resnet34', widthMultiplier: 0 })).toThrow(/widthMultiplier/);
    expect(() => describeBackbone({ name: 'resnet34', outputStride: 8 as never })).toThrow(/outputStride must be 16 or 32/);
    expect(() => describeBackbone({ name: 'resnet34', inputSize: 0 })).toThrow(/inputSize/);
    expect(() => describeBackbone({ name: 'resnet34', inputSize: 22.5 })).toThrow(/inputSize/);
    expect(() => describeBackbone({ name: 'xception', inputSize: 4 })).toThrow(/layer 'conv2'.*too small/);
    expect(() => describeBackbone({ name: 'efficientnet-b0', dropoutRate: 1 })).toThrow(/dropoutRate/);
  });
});
