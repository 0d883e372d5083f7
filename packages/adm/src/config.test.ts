import { describe, expect, it } from 'vitest';
import {
  ANCHORS_PER_CELL,
  CADDM_PRESETS,
  CaddmConfigError,
  anchorsPerCell,
  describeCaddm,
  featureMapSizes,
  numAnchors,
  resolveCaddmConfig,
  validInputSizes,
  type CaddmPreset,
} from './index.js';

describe('parameter counts (PyTorch parameters(), computed without allocating)', () => {
  it.each([
    ['resnet34', 43_490_162, 21_284_672, 22_204_464, 1_026],
    ['efficientnet-b3', 209_433_178, 10_696_232, 198_733_872, 3_074],
    ['efficientnet-b4', 287_943_546, 17_548_616, 270_391_344, 3_586],
  ] as const)('%s at 224 px: %i = backbone + ADM + fc as in the reference', (backbone, total, bb, adm, fc) => {
    const d = describeCaddm({ backbone, inputSize: 224 });
    expect(d.trainableParams).toBe(total);
    expect(d.backboneParams).toBe(bb);
    expect(d.admParams).toBe(adm);
    expect(d.fcParams).toBe(fc);
    expect(d.numAnchors).toBe(168);
  });

  it('the ADM has 84 C^2 + 360 C + 48 parameters (closed form of the reference blocks)', () => {
    for (const [backbone, wm] of [
      ['resnet34', 0.25],
      ['resnet18', 0.5],
      ['efficientnet-b0', 1],
    ] as const) {
      const d = describeCaddm({ backbone, widthMultiplier: wm });
      const c = d.config.channels;
      // 3 extra blocks: (k^2 + 9 + k^2) C^2 + C (conv1 bias) + 6 C (BNs); end block 19 C^2 + 3 C;
      // heads: 3 maps x 3x3 x (8 + 4) C + 1x1 x 12 C + 4 x 12 biases.
      expect(d.admParams).toBe(84 * c * c + 360 * c + 48);
      expect(d.fcParams).toBe(2 * c + 2);
    }
  });

  it('the baseline is the backbone plus a 2-way linear layer', () => {
    const d = describeCaddm({ backbone: 'resnet34' }, 'baseline');
    expect(d.trainableParams).toBe(21_284_672 + 1_026);
    expect(d.admParams).toBe(0);
    expect(d.numAnchors).toBe(0);
  });

  it('uses the reference state-dict names', () => {
    const d = describeCaddm({ backbone: 'resnet34' });
    const keys = new Map(d.layers.flatMap((l) => l.weights.map((w) => [w.torch, w.torchShape] as const)));
    expect(keys.get('base_model.layer4.2.bn2.running_var')).toEqual([512]);
    expect(keys.get('adm.adm_extra_layers.0.0.conv1.weight')).toEqual([512, 512, 1, 1]);
    expect(keys.get('adm.adm_extra_layers.0.0.conv1.bias')).toEqual([512]);
    expect(keys.has('adm.adm_extra_layers.0.0.conv2.bias')).toBe(false);
    expect(keys.get('adm.adm_extra_layers.0.0.downsample.0.weight')).toEqual([512, 512, 1, 1]);
    expect(keys.get('adm.adm_extra_layers.1.0.downsample.0.weight')).toEqual([512, 512, 3, 3]);
    expect(keys.get('adm.adm_extra_layers.2.0.downsample.1.running_mean')).toEqual([512]);
    expect(keys.get('adm.adm_extra_layers.3.downsample.bias')).toEqual([512]);
    expect(keys.get('adm.adm_extra_layers.3.conv2.weight')).toEqual([512, 512, 1, 1]);
    expect(keys.get('adm.multi_scale_detection_module.ms_dets.0.weight')).toEqual([8, 512, 3, 3]);
    expect(keys.get('adm.multi_scale_detection_module.ms_cls.2.bias')).toEqual([4]);
    expect(keys.get('adm.multi_scale_detection_module.ms_dets.3.weight')).toEqual([8, 512, 1, 1]);
    expect(keys.get('fc.weight')).toEqual([2, 512]);
    expect([...keys.keys()].filter((k) => k.startsWith('adm.'))).toHaveLength(3 * 16 + 6 + 16);
  });
});

describe('feature maps and anchors', () => {
  it('every valid configuration has heads on 7, 5, 3, 1 with 2 anchors per cell: 168 anchors', () => {
    for (const p of Object.keys(CADDM_PRESETS) as CaddmPreset[]) {
      expect(featureMapSizes(p)).toEqual([7, 5, 3, 1]);
      expect(numAnchors(p)).toBe(168);
      expect(describeCaddm(p).featureMapSizes).toEqual([7, 5, 3, 1]);
    }
    expect(featureMapSizes()).toEqual([7, 5, 3, 1]);
    expect(anchorsPerCell()).toBe(2);
    expect(ANCHORS_PER_CELL).toBe(2);
  });

  it('finds the input sizes that give a 7x7 map', () => {
    expect(validInputSizes({ backbone: 'resnet34' })).toEqual({ min: 193, max: 224 });
    expect(validInputSizes({ backbone: 'resnet34', outputStride: 16 })).toEqual({ min: 97, max: 112 });
    expect(validInputSizes({ backbone: 'xception' })).toEqual({ min: 199, max: 230 });
    expect(resolveCaddmConfig({ backbone: 'resnet34', inputSize: 193 }).backbone.inputSize).toEqual([193, 193]);
  });

  it('small presets keep the full structure at reduced width', () => {
    expect(resolveCaddmConfig('small-resnet34-112').channels).toBe(128);
    expect(describeCaddm('small-resnet34-112').trainableParams).toBe(describeCaddm('small-resnet34-224').trainableParams);
    expect(describeCaddm('tiny-resnet18-112').trainableParams).toBeLessThan(600_000);
  });
});

describe('bad configurations', () => {
  it('names the sizes that work when the input cannot give a 7x7 map', () => {
    expect(() => resolveCaddmConfig({ backbone: 'resnet34', inputSize: 160 })).toThrow(CaddmConfigError);
    expect(() => resolveCaddmConfig({ backbone: 'resnet34', inputSize: 160 })).toThrow(
      /needs a 7x7 backbone feature map.*resnet34 at 160 px with outputStride 32 gives 5x5; inputSize 193\.\.224 works.*outputStride 16/,
    );
    expect(() => resolveCaddmConfig({ backbone: 'resnet34', inputSize: 112 })).toThrow(/gives 4x4/);
    expect(() => resolveCaddmConfig({ backbone: 'resnet34', inputSize: 299, outputStride: 16 })).toThrow(
      /gives 19x19; inputSize 97\.\.112 works/,
    );
  });

  it('rejects unknown backbones and presets, listing the valid ones', () => {
    expect(() => resolveCaddmConfig({ backbone: 'vgg16' as never })).toThrow(/unknown backbone 'vgg16'; supported: resnet18/);
    expect(() => resolveCaddmConfig('huge' as never)).toThrow(/unknown preset 'huge'; presets: paper-resnet34/);
    expect(() => resolveCaddmConfig({ backbone: 'resnet34', widthMultiplier: -1 })).toThrow(CaddmConfigError);
    expect(() => resolveCaddmConfig({ backbone: 'resnet34', inputSize: [224, 200] as never })).toThrow(/one number/);
  });
});
