import type { CaddmConfigInput } from './schema.js';

/**
 * `paper`: the paper's settings (Sec. 5.1): ResNet-34 at 224, batch 128,
 * 200 epochs of 512 batches, Adam with LR 3.6e-4, 1e-4 from epoch 10, 5e-5
 * from epoch 20, beta 0.1, alpha 1, trained on FF++ (c23). Needs a GPU.
 */
export const PAPER: CaddmConfigInput = {
  dataset: { name: 'ffpp', compression: 'c23' },
  model: { backbone: 'resnet34', width: 1 },
  train: {
    batch_size: 128,
    epoch_num: 200,
    batches_per_epoch: 512,
    optimizer: 'adam',
    weight_decay: 0,
    lr_schedule: [
      { epoch: 0, lr: 3.6e-4 },
      { epoch: 10, lr: 1e-4 },
      { epoch: 20, lr: 5e-5 },
    ],
    clip_grad_value: null,
  },
};

/**
 * `paper-released`: what the authors' released `train.py` does instead:
 * AdamW (weight decay 4e-3), gradient values clipped at 2, LR 3.6e-4 for
 * epochs 0-3, 1e-4 for 4-9, 5e-5 from 10.
 */
export const PAPER_RELEASED: CaddmConfigInput = {
  ...PAPER,
  train: {
    ...PAPER.train,
    optimizer: 'adamw',
    weight_decay: 4e-3,
    clip_grad_value: 2,
    lr_schedule: [
      { epoch: 0, lr: 3.6e-4 },
      { epoch: 4, lr: 1e-4 },
      { epoch: 10, lr: 5e-5 },
    ],
  },
};

/**
 * `mini`: a CADDM that trains in minutes on a 2-core CPU, on the embedded
 * benchmark: ResNet-34 at a quarter of the width, 112 px input (the backbone
 * keeps a 7x7 map by dropping its last downsampling), anchors, windows and
 * face width scaled by 112/224 from the paper's, classes balanced per epoch
 * (with four fakes per real, an unbalanced model first learns to say "fake"),
 * batch 32 for 400 steps, and the augmentations at a third of the
 * reference's probabilities: at full strength, blur, noise, JPEG and
 * down-scaling hit most genuine frames, which leaves a from-scratch net at
 * 112 px nothing it can learn in a few hundred steps.
 */
export const MINI: CaddmConfigInput = {
  crop_face: { face_width: 40, output_size: 112, scale: 0.9 },
  adm_det: {
    min_dim: 112,
    feature_maps: [7, 5, 3, 1],
    steps: [16, 22.5, 37.5, 112],
    min_sizes: [20, 40, 60, 112],
    max_sizes: [40, 60, 80, 112],
  },
  sliding_win: {
    prior_bbox: [
      [20, 40],
      [40, 60],
      [60, 80],
      [112, 112],
    ],
  },
  dataset: { name: 'embedded', embedded_profile: 'mini', train_frames: 8, test_frames: 8, balance: true },
  model: { backbone: 'resnet34', width: 0.25 },
  augment: {
    flip: 0.5,
    jpeg: 0.1,
    min_max: 0.17,
    low_freq_noise: 0.17,
    hsv: 0.08,
    gamma: 0.33,
    motion_blur: 0.1,
    gaussian_blur: 0.1,
    gaussian_noise: 0.1,
    colour_tone: 0.1,
    resize_down_up: 0.08,
    downscale: 0.1,
  },
  train: {
    batch_size: 32,
    epoch_num: 8,
    batches_per_epoch: 50,
    optimizer: 'adam',
    lr_schedule: [
      { epoch: 0, lr: 1e-3 },
      { epoch: 6, lr: 3e-4 },
    ],
    clip_grad_value: 2,
    checkpoint_every: 25,
  },
};

/** Every named profile. */
export const PROFILES: Readonly<Record<string, CaddmConfigInput>> = {
  mini: MINI,
  paper: PAPER,
  'paper-released': PAPER_RELEASED,
};
