import { z } from 'zod';
import { REFERENCE_AUGMENT } from '@caddm/datasets';
import { defaultFramesCache } from '../data/cache-root.js';

const pos = () => z.number().positive();
const posInt = () => z.number().int().positive();
const prob = () => z.number().min(0).max(1);

/**
 * Face cropping and alignment (reference section `crop_face`).
 */
export const CropFaceSchema = z.strictObject({
  /** Width of the face in the canvas, pixels (reference 80). */
  face_width: posInt().default(80),
  /** Canvas (network input) size, pixels (reference 224). */
  output_size: posInt().default(224),
  /** Face scale inside the canvas (reference 0.9). */
  scale: pos().default(0.9),
  /** Apply the training jitter (scale, translation, rotation, stretch). */
  jitter: z.boolean().default(true),
  /** Use 68 landmarks plus an estimated forehead arc for hulls (the reference's dlib model has 81). */
  forehead: z.boolean().default(true),
});

/**
 * Default anchors (reference section `adm_det`). `aspect_ratios`, `variance`
 * and `name` are accepted so that the reference's config validates, but the
 * reference never uses them (anchors are always min x max and max x min).
 */
export const AdmDetSchema = z
  .strictObject({
    min_dim: posInt().default(224),
    feature_maps: z.array(posInt()).min(1).default([7, 5, 3, 1]),
    steps: z.array(pos()).min(1).default([32, 45, 75, 224]),
    min_sizes: z.array(pos()).min(1).default([40, 80, 120, 224]),
    max_sizes: z.array(pos()).min(1).default([80, 120, 160, 224]),
    clip: z.boolean().default(true),
    /** SSD box-coding variances (centre, size). */
    variances: z.tuple([pos(), pos()]).default([0.1, 0.2]),
    /** IoU at or above which an anchor is positive (reference 0.5, hard-coded there). */
    match_threshold: z.number().gt(0).lt(1).default(0.5),
    aspect_ratios: z.array(z.array(z.number())).optional(),
    variance: z.array(z.number()).optional(),
    name: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    const n = v.feature_maps.length;
    for (const k of ['steps', 'min_sizes', 'max_sizes'] as const) {
      if (v[k].length !== n) {
        ctx.addIssue({ code: 'custom', path: [k], message: `has ${v[k].length} entries but feature_maps has ${n}` });
      }
    }
    v.min_sizes.forEach((m, i) => {
      if (v.max_sizes[i] != null && v.max_sizes[i] < m) {
        ctx.addIssue({ code: 'custom', path: ['max_sizes', i], message: `max size ${v.max_sizes[i]} < min size ${m}` });
      }
    });
  });

/** Partial-swap windows (reference section `sliding_win`). */
export const SlidingWinSchema = z.strictObject({
  /** Window sizes [h, w] in canvas pixels; the last (whole image) is the global swap. */
  prior_bbox: z.array(z.tuple([posInt(), posInt()])).min(1).default([
    [40, 80],
    [80, 120],
    [120, 160],
    [224, 224],
  ]),
  /** `exact`: argmax over every position (paper Eq. 2); `reference`: the released 5x5 grid. */
  mode: z.enum(['exact', 'reference']).default('exact'),
});

/**
 * Detection loss (reference section `det_loss`). The reference's
 * `overlap_thresh`, `prior_for_matching`, `bkg_label`, `neg_mining`,
 * `neg_overlap`, `encode_target` and `use_gpu` are accepted and ignored
 * (the reference ignores them too).
 */
export const DetLossSchema = z.strictObject({
  num_classes: z.literal(2).default(2),
  /** Hard negatives per positive (reference 2). */
  neg_pos: pos().default(2),
  /** Weight of L_loc inside the detection loss (paper alpha). */
  alpha: z.number().min(0).default(1),
  /** Weight of the detection loss against classification (paper beta). */
  beta: z.number().min(0).default(0.1),
  /** Give genuine images hard negatives too (the reference gives them none). */
  genuine_negatives: z.boolean().default(false),
  overlap_thresh: z.number().optional(),
  prior_for_matching: z.boolean().optional(),
  bkg_label: z.number().optional(),
  neg_mining: z.boolean().optional(),
  neg_overlap: z.number().optional(),
  encode_target: z.boolean().optional(),
  use_gpu: z.boolean().optional(),
});

/** Multi-scale Facial Swap policy (not a reference section: its values are hard-coded there). */
export const MfsSchema = z.strictObject({
  /** Probability of a global (vs partial) swap. */
  global_prob: prob().default(0.8),
  /** Probability of Poisson (vs alpha) blending. */
  poisson_prob: prob().default(0.5),
  /** Elastic deformation of global masks, probability. */
  elastic_prob: prob().default(0.5),
  /**
   * Keep the fake unchanged when a "source into fake" global swap removes most of the
   * manipulation (it lay inside the hull), leaving the real face labelled fake; `false`
   * reproduces the reference, which trains on those.
   */
  reject_genuine_swaps: z.boolean().default(true),
  /** Reproduce the reference's transposed partial-swap boxes (bug 3). */
  reference_boxes: z.boolean().default(false),
});

export const DATASET_NAMES = ['embedded', 'ffpp', 'celebdf', 'dfdc', 'frames'] as const;

/** Training / evaluation data (reference section `dataset`). */
export const DatasetSchema = z.strictObject({
  /** Which reader: the generated `embedded` benchmark, a real dataset, or preprocessed `frames`. */
  name: z.enum(DATASET_NAMES).default('embedded'),
  /** Dataset root (required for everything but `embedded`). */
  root: z.string().optional(),
  /** Where preprocessed frames and the manifest are cached (default `frames` in `$CADDM_CACHE`, else `.cache/frames`). */
  cache: z.string().default(defaultFramesCache),
  /** FF++ compression level. */
  compression: z.enum(['raw', 'c23', 'c40']).default('c23'),
  /** Manipulation methods used for training (FF++ names). */
  methods: z.array(z.string()).min(1).optional(),
  /**
   * Repeat the minority class so each epoch has as many genuine as fake
   * samples (the reference does not; FF++ has four fakes per real).
   */
  balance: z.boolean().default(false),
  /**
   * Where the training fakes come from: `mfs`, the dataset's fake videos with
   * Multi-scale Facial Swap (CADDM); `sbi`, Self-Blended Images of its real
   * videos only (SBI, the paper's Table 6): the fake videos are ignored, each
   * real frame is used twice per epoch, once as genuine and once self-blended
   * (artifact box of the blend plus the whole image), so the classes are
   * balanced. With `sbi`, `ablation.mfs`, the `mfs` section and `balance` have
   * no effect. Testing is unchanged (the test sets' own fakes).
   */
  synthesis: z.enum(['mfs', 'sbi']).default('mfs'),
  /** Frames sampled per training video. */
  train_frames: posInt().default(32),
  /** Frames per video at test time (paper: 32 at equal intervals). */
  test_frames: posInt().default(32),
  /** Embedded benchmark size profile. */
  embedded_profile: z.enum(['tiny', 'mini']).default('mini'),
  /** Identity folder of real faces used by the embedded benchmark (`<identity>/<image>`). */
  faces: z.string().optional(),
  /** Reference keys, accepted for compatibility: preprocessed image folder and landmark JSON. */
  img_path: z.string().optional(),
  ld_path: z.string().optional(),
});

export const BACKBONE_NAMES = [
  'resnet18',
  'resnet34',
  'resnet50',
  'efficientnet-b0',
  'efficientnet-b3',
  'efficientnet-b4',
  'xception',
] as const;

/** The network (reference section `model`). */
export const ModelSchema = z.strictObject({
  backbone: z.enum(BACKBONE_NAMES).default('resnet34'),
  /** Channel width multiplier of the backbone (1 = the paper's). */
  width: z.number().gt(0).max(4).default(1),
  /**
   * Backbone output stride: 32 (the paper) or 16 (last downsampling removed, so
   * that a 112 px input still gives the ADM its 7x7 map); `auto` picks 32 when
   * the input size allows it, else 16.
   */
  output_stride: z.union([z.literal(16), z.literal(32), z.literal('auto')]).default('auto'),
  /** ImageNet (or other) weights with torchvision/timm key names: `.safetensors`, or a `torch.save` file (`.pth`, `.pt`, `.bin`, `.pkl`). */
  pretrained: z.string().optional(),
  /**
   * How uint8 RGB pixels become network input: `imagenet` ((x/255 - mean)/std,
   * what ImageNet weights expect), `unit` (x/255), or `reference` (raw 0-255
   * values in BGR order, as the released code feeds its network).
   */
  input_norm: z.enum(['imagenet', 'unit', 'reference']).default('imagenet'),
  /** Where checkpoints go. */
  save_path: z.string().default('./checkpoints'),
});

/** One step of the learning-rate schedule: from `epoch` on, use `lr`. */
export const LrStepSchema = z.strictObject({ epoch: z.number().int().min(0), lr: pos() });

/** Optimisation (reference section `train`). */
export const TrainSchema = z
  .strictObject({
    batch_size: posInt().default(128),
    epoch_num: posInt().default(200),
    /** Batches per epoch (paper: 512). */
    batches_per_epoch: posInt().default(512),
    optimizer: z.enum(['adam', 'adamw']).default('adam'),
    weight_decay: z.number().min(0).default(0),
    /** Piecewise-constant LR; must start at epoch 0 and increase. */
    lr_schedule: z.array(LrStepSchema).min(1).default([
      { epoch: 0, lr: 3.6e-4 },
      { epoch: 10, lr: 1e-4 },
      { epoch: 20, lr: 5e-5 },
    ]),
    /** Clip every gradient value to [-v, v] (reference: 2); null for none. */
    clip_grad_value: pos().nullable().default(null),
    seed: z.number().int().default(1),
    /** Evaluate on the validation split every N epochs (0: never). */
    eval_every: z.number().int().min(0).default(1),
    /** Write a checkpoint every N steps (and at each epoch end). */
    checkpoint_every: posInt().default(200),
    /** Checkpoints kept on disk (older ones are removed). */
    keep_checkpoints: posInt().default(3),
  })
  .superRefine((v, ctx) => {
    if (v.lr_schedule[0].epoch !== 0) {
      ctx.addIssue({ code: 'custom', path: ['lr_schedule', 0, 'epoch'], message: 'the schedule must start at epoch 0' });
    }
    for (let i = 1; i < v.lr_schedule.length; i++) {
      if (v.lr_schedule[i].epoch <= v.lr_schedule[i - 1].epoch) {
        ctx.addIssue({ code: 'custom', path: ['lr_schedule', i, 'epoch'], message: 'epochs must increase' });
      }
    }
  });

/**
 * Training augmentation (`ablation.da`): the probability of each of the
 * reference's augmentations (defaults: the reference's, with its flip fixed),
 * and of the x2 downscale of the frame pair before alignment (reference 0.3).
 * The `mini` profile lowers them: at 112 px and a few hundred steps from
 * scratch, the reference's strength wipes out what a small net can learn.
 */
export const AugmentSchema = z.strictObject({
  flip: prob().default(REFERENCE_AUGMENT.flip),
  jpeg: prob().default(REFERENCE_AUGMENT.jpeg),
  min_max: prob().default(REFERENCE_AUGMENT.minMax),
  low_freq_noise: prob().default(REFERENCE_AUGMENT.lowFreqNoise),
  hsv: prob().default(REFERENCE_AUGMENT.hsv),
  gamma: prob().default(REFERENCE_AUGMENT.gamma),
  motion_blur: prob().default(REFERENCE_AUGMENT.motionBlur),
  gaussian_blur: prob().default(REFERENCE_AUGMENT.gaussianBlur),
  gaussian_noise: prob().default(REFERENCE_AUGMENT.gaussianNoise),
  colour_tone: prob().default(REFERENCE_AUGMENT.colourTone),
  resize_down_up: prob().default(REFERENCE_AUGMENT.resizeDownUp),
  downscale: prob().default(0.3),
});

/** Table 2's switches: data augmentation, MFS (irrelevant with `dataset.synthesis: sbi`), the ADM. */
export const AblationSchema = z.strictObject({
  da: z.boolean().default(true),
  mfs: z.boolean().default(true),
  adm: z.boolean().default(true),
});

/** The whole configuration. */
export const ConfigSchema = z
  .strictObject({
    /** The profile this file starts from (`mini`, `paper`, `paper-released`); its values are defaults. */
    profile: z.string().optional(),
    crop_face: CropFaceSchema.default(CropFaceSchema.parse({})),
    adm_det: AdmDetSchema.default(AdmDetSchema.parse({})),
    sliding_win: SlidingWinSchema.default(SlidingWinSchema.parse({})),
    det_loss: DetLossSchema.default(DetLossSchema.parse({})),
    mfs: MfsSchema.default(MfsSchema.parse({})),
    dataset: DatasetSchema.default(() => DatasetSchema.parse({})),
    model: ModelSchema.default(ModelSchema.parse({})),
    train: TrainSchema.default(TrainSchema.parse({})),
    augment: AugmentSchema.default(AugmentSchema.parse({})),
    ablation: AblationSchema.default(AblationSchema.parse({})),
  })
  .superRefine((c, ctx) => {
    if (c.adm_det.min_dim !== c.crop_face.output_size) {
      ctx.addIssue({
        code: 'custom',
        path: ['adm_det', 'min_dim'],
        message: `anchors are laid out for ${c.adm_det.min_dim} px but crop_face.output_size is ${c.crop_face.output_size}`,
      });
    }
    if (c.dataset.name !== 'embedded' && c.dataset.root == null && c.dataset.img_path == null) {
      ctx.addIssue({ code: 'custom', path: ['dataset', 'root'], message: `dataset '${c.dataset.name}' needs a root` });
    }
    for (const [i, [h, w]] of c.sliding_win.prior_bbox.entries()) {
      if (h > c.crop_face.output_size || w > c.crop_face.output_size) {
        ctx.addIssue({
          code: 'custom',
          path: ['sliding_win', 'prior_bbox', i],
          message: `window ${h}x${w} is larger than the ${c.crop_face.output_size} px canvas`,
        });
      }
    }
  });

/** A validated configuration (every default filled in). */
export type CaddmConfig = z.output<typeof ConfigSchema>;
/** What a user may write (every key optional). */
export type CaddmConfigInput = z.input<typeof ConfigSchema>;
