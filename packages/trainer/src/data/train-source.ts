import { FrameLoader, NO_AUGMENT, type AugmentConfig, type Batch, type LoaderOptions, type ManifestVideo } from '@caddm/datasets';
import type { CaddmConfig } from '../config/index.js';
import { toNetInput } from '../input.js';
import type { BatchSource, SampleBatch } from '../train/data.js';

/** Where a {@link LoaderSource} is in its stream: loader epoch and batch within it. */
interface LoaderState {
  readonly epoch: number;
  readonly batch: number;
}

/**
 * The trainer's {@link BatchSource} over the datasets package's
 * `FrameLoader`: endless (epoch after epoch of the loader's seeded order),
 * normalised as the net expects, boxes normalised to [0, 1], resumable
 * (the state is the loader epoch and the batch index inside it; a resumed
 * source skips to it).
 */
export class LoaderSource implements BatchSource {
  private epoch = 0;
  private batch = 0;
  private it: AsyncGenerator<Batch> | undefined;

  constructor(
    readonly loader: FrameLoader,
    private readonly canvas: number,
    private readonly norm: CaddmConfig['model']['input_norm'],
  ) {}

  async next(): Promise<SampleBatch> {
    for (;;) {
      if (this.it == null) {
        // Checked as each epoch starts (not every step): an epoch without a batch would loop for ever.
        if (this.loader.batchesPerEpoch === 0) {
          throw new Error(
            `the training data gives no batch of ${this.loader.batchSize}: an epoch has ${this.loader.samples.length} usable sample(s) and the last partial batch is dropped; lower train.batch_size or add data`,
          );
        }
        this.it = this.loader.epoch(this.epoch);
        for (let k = 0; k < this.batch; k++) {
          const r = await this.it.next();
          if (r.done) break;
        }
      }
      const r = await this.it.next();
      if (!r.done) {
        this.batch++;
        return this.convert(r.value);
      }
      this.it = undefined;
      this.epoch++;
      this.batch = 0;
    }
  }

  private convert(b: Batch): SampleBatch {
    const images = toNetInput(b.images, this.norm, b.images);
    const s = this.canvas;
    return {
      images,
      shape: b.shape,
      labels: Int32Array.from(b.labels),
      boxes: b.boxes.map((bs) => bs.map(([x0, y0, x1, y1]) => ({ x0: x0 / s, y0: y0 / s, x1: x1 / s, y1: y1 / s }))),
    };
  }

  getState(): LoaderState {
    return { epoch: this.epoch, batch: this.batch };
  }

  setState(state: unknown): void {
    const s = state as LoaderState;
    if (!s || !Number.isInteger(s.epoch) || !Number.isInteger(s.batch)) throw new Error(`bad data-stream state ${JSON.stringify(state)}`);
    void this.it?.return(undefined);
    this.it = undefined;
    this.epoch = s.epoch;
    this.batch = s.batch;
  }

  async close(): Promise<void> {
    await this.it?.return(undefined);
    await this.loader.close();
  }
}

/** The loader's augmentation probabilities from the config's `augment` section. */
export function augmentOf(config: CaddmConfig): AugmentConfig {
  const a = config.augment;
  return {
    flip: a.flip,
    jpeg: a.jpeg,
    minMax: a.min_max,
    lowFreqNoise: a.low_freq_noise,
    hsv: a.hsv,
    gamma: a.gamma,
    motionBlur: a.motion_blur,
    gaussianBlur: a.gaussian_blur,
    gaussianNoise: a.gaussian_noise,
    colourTone: a.colour_tone,
    resizeDownUp: a.resize_down_up,
  };
}

/**
 * `dataset.methods` as a loader filter: genuine videos plus the fakes of the
 * listed manipulation methods (undefined when every method is used).
 */
export function methodsFilter(methods: readonly string[] | undefined): ((v: ManifestVideo) => boolean) | undefined {
  if (methods == null) return undefined;
  const keep = new Set(methods);
  return (v) => v.label === 0 || keep.has(v.method);
}

/** Loader settings the config implies (canvas, face width, MFS or SBI fakes, windows, augmentation switch). */
export function loaderOptionsOf(config: CaddmConfig, cache: string, overrides: Partial<LoaderOptions> = {}): LoaderOptions {
  const c = config.crop_face;
  const scale = 224 / c.output_size;
  return {
    cache,
    split: 'train',
    batchSize: config.train.batch_size,
    seed: config.train.seed,
    canvasSize: c.output_size,
    faceWidth: c.face_width,
    training: true,
    mfs: config.ablation.mfs,
    // Without DA (Table 2's rows): every augmentation off, the x2 downscale too.
    augment: config.ablation.da ? augmentOf(config) : NO_AUGMENT,
    downscale: config.ablation.da ? config.augment.downscale : 0,
    partialProbability: 1 - config.mfs.global_prob,
    rejectGenuineSwaps: config.mfs.reject_genuine_swaps,
    // The loader takes windows in 224-pixel units; the config has canvas pixels.
    windows: config.sliding_win.prior_bbox.filter(([h, w]) => h < c.output_size || w < c.output_size).map(([h, w]) => [h * scale, w * scale] as const),
    valueScale: 1,
    balance: config.dataset.balance,
    synthesis: config.dataset.synthesis,
    filter: methodsFilter(config.dataset.methods),
    ...overrides,
  };
}
