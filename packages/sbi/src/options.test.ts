import { describe, expect, it } from 'vitest';
import { HULL_TYPES, resolveSbiOptions, SBI_DEFAULTS, SbiArgumentError } from './index.js';

describe('SBI options', () => {
  it('default to the values of the SBI reference code', () => {
    const d = resolveSbiOptions();
    expect(d).toEqual(SBI_DEFAULTS);
    expect(d.hullTypes).toEqual(['dfl_full', 'extended', 'components', 'facehull']);
    expect(d.foreheadProb).toBe(0.75); // landmark[:68] with p = 0.25
    expect(d.augmentSourceProb).toBe(0.5);
    expect(d.color).toEqual({
      rgbShiftProb: 0.3,
      rgbShift: [-20, 20],
      hsvProb: 1,
      hueShift: [-0.3, 0.3],
      satShift: [-0.3, 0.3],
      valShift: [-0.3, 0.3],
      brightnessContrastProb: 1,
      brightness: [-0.1, 0.1],
      contrast: [-0.1, 0.1],
    });
    expect(d.quality).toEqual({ prob: 1, downscaleProb: 0.5, downscaleRatios: [2, 4], sharpenAlpha: [0.2, 0.5], sharpenLightness: [0.5, 1] });
    expect(d.stg).toEqual({ translateX: [-0.03, 0.03], translateY: [-0.015, 0.015], scale: [0.95, 1 / 0.95], keepRatio: false, elasticAlpha: 50, elasticSigma: 7 });
    expect(d.mask).toEqual({ resize: [192, 256], erodeKernel: [5, 25], blurKernel: [5, 25], blurSigma: [5, 45] });
    expect(d.blendRatios).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
    expect(d.boxThreshold).toBe(0.5);
  });

  it('merges partial groups over the defaults and never aliases or mutates them', () => {
    const o = resolveSbiOptions({ color: { hueShift: [-10, 10] }, stg: { elasticAlpha: 0 }, hullTypes: ['facehull'] });
    expect(o.color.hueShift).toEqual([-10, 10]);
    expect(o.color.rgbShift).toEqual([-20, 20]);
    expect(o.stg.elasticAlpha).toBe(0);
    expect(o.stg.scale).toEqual(SBI_DEFAULTS.stg.scale);
    expect(o.hullTypes).toEqual(['facehull']);
    expect(Object.isFrozen(SBI_DEFAULTS.color)).toBe(true);
    expect(Object.isFrozen(SBI_DEFAULTS.blendRatios)).toBe(true);
    expect(HULL_TYPES).toHaveLength(4);
  });

  it('names the bad option', () => {
    const bad: Array<[Parameters<typeof resolveSbiOptions>[0], RegExp]> = [
      [{ foreheadProb: -0.1 }, /foreheadProb/],
      [{ color: { rgbShiftProb: 2 } }, /color.rgbShiftProb/],
      [{ color: { brightness: [0.2, -0.2] } }, /color.brightness/],
      [{ quality: { downscaleRatios: [0.5] } }, /downscaleRatios/],
      [{ quality: { sharpenLightness: [0.5, 9] } }, /sharpenLightness/],
      [{ stg: { translateX: [Number.NaN, 0] } }, /stg.translateX/],
      [{ stg: { elasticSigma: 0.1 } }, /elasticSigma/],
      [{ mask: { resize: [100.5, 200] } }, /mask.resize/],
      [{ mask: { blurKernel: [5, 26] } }, /mask.blurKernel .*odd/],
      [{ mask: { blurSigma: [0, 5] } }, /mask.blurSigma/],
      [{ blendRatios: [0.5, -1] }, /blendRatios/],
      [{ boxThreshold: 1 }, /boxThreshold/],
      [{ hullTypes: [] }, /hullTypes/],
    ];
    for (const [opts, msg] of bad) {
      expect(() => resolveSbiOptions(opts)).toThrow(SbiArgumentError);
      expect(() => resolveSbiOptions(opts)).toThrow(msg);
    }
  });
});
