import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config/index.js';
import { trainDataProblem } from './job.js';

const samples = (reals: number, fakes: number) => [...Array(reals).fill({ label: 0 }), ...Array(fakes).fill({ label: 1 })];

describe('trainDataProblem', () => {
  const mfs = resolveConfig({});
  it('lets a train split with both classes through', () => {
    expect(trainDataProblem(samples(3, 5), mfs, '/c')).toBeUndefined();
  });

  it('refuses one class before training starts, saying which class is there and what to do', () => {
    expect(trainDataProblem(samples(4, 0), mfs, '/c')).toBe(
      '/c: the train split has only genuine videos (4 samples); a detector needs genuine and fake videos to train (or set dataset.synthesis=sbi to train on genuine videos alone)',
    );
    expect(trainDataProblem(samples(0, 2), mfs, '/c')).toMatch(/^\/c: the train split has only fake videos \(2 samples\)/);
    expect(trainDataProblem([], mfs, '/c')).toMatch(/^\/c: the train split has no usable video at all;/);
    expect(trainDataProblem(samples(4, 0), resolveConfig({ dataset: { methods: ['Deepfakes'] } }), '/c')).toMatch(/^dataset\.methods \[Deepfakes\] matches no fake training video in \/c/);
  });

  it('lets SBI train on genuine videos alone, but not on none', () => {
    const sbi = resolveConfig({ dataset: { synthesis: 'sbi' } });
    expect(trainDataProblem(samples(4, 0), sbi, '/c')).toBeUndefined();
    expect(trainDataProblem(samples(0, 3), sbi, '/c')).toMatch(/no genuine video, and SBI makes its fakes from genuine ones/);
  });
});
