/**
 * The paper's numbers (CVPR 2023, "Implicit Identity Leakage"), transcribed
 * from its tables so every report can print them beside ours. AUC in %.
 * `null` marks a cell the paper leaves empty.
 */

/** Table 1: frame AUC of I([N]) (Shapley interaction) of binary classifiers trained on FF++. */
export const TABLE1 = {
  columns: ['ResNet-18', 'ResNet-34', 'ResNet-50', 'Xception', 'EfficientNet-b3'],
  rows: {
    'FF++ (in-dataset)': [81.53, 89.77, 99.58, 97.32, 94.87],
    'Celeb-DF (cross-dataset)': [46.88, 47.22, 49.47, 47.23, 44.43],
  },
} as const;

/** Table 2: ablation with ResNet-34, video AUC, trained on FF++. */
export const TABLE2 = {
  columns: ['FF++', 'Celeb-DF', 'DFDC-V2'],
  rows: [
    { da: false, mfs: false, adm: false, auc: [99.88, 64.05, 48.73] },
    { da: false, mfs: true, adm: false, auc: [98.7, 76.35, 59.97] },
    { da: true, mfs: false, adm: false, auc: [99.74, 80.07, 62.46] },
    { da: true, mfs: true, adm: false, auc: [99.75, 86.68, 67.94] },
    { da: true, mfs: true, adm: true, auc: [99.7, 91.15, 71.49] },
  ],
} as const;

/** Table 3 (top): trained on FF++, tested on FF++ and Celeb-DF. */
export const TABLE3_TOP: ReadonlyArray<{ method: string; backbone: string; ffpp: number | null; celebdf: number }> = [
  { method: 'Multi-task', backbone: '-', ffpp: 76.3, celebdf: 54.3 },
  { method: 'Xception', backbone: 'Xception', ffpp: 99.58, celebdf: 49.03 },
  { method: 'MMMS', backbone: 'Transformer', ffpp: 99.5, celebdf: 65.7 },
  { method: 'SPSL', backbone: 'Xception', ffpp: 96.91, celebdf: 76.88 },
  { method: 'Local-Relation', backbone: '-', ffpp: null, celebdf: 78.26 },
  { method: 'Two-branch', backbone: 'DenseNet', ffpp: 93.2, celebdf: 73.4 },
  { method: 'DSP-FWA', backbone: 'ResNet-50', ffpp: 93.0, celebdf: 64.6 },
  { method: 'F3-Net', backbone: 'Xception', ffpp: 98.1, celebdf: 65.17 },
  { method: 'MAT', backbone: 'Efficient-b4', ffpp: 99.61, celebdf: 68.44 },
  { method: 'SLADD', backbone: 'Xception', ffpp: 98.4, celebdf: 79.7 },
  { method: 'Face-x-ray', backbone: 'HRNet', ffpp: 99.17, celebdf: 80.58 },
  { method: 'PCL+I2G', backbone: 'ResNet-34', ffpp: 99.11, celebdf: 90.03 },
  { method: 'SBI', backbone: 'Efficient-b4', ffpp: 99.64, celebdf: 93.18 },
  { method: 'Ours', backbone: 'ResNet-34', ffpp: 99.7, celebdf: 91.15 },
  { method: 'Ours', backbone: 'Efficient-b3', ffpp: 99.78, celebdf: 93.08 },
  { method: 'Ours', backbone: 'Efficient-b4', ffpp: 99.79, celebdf: 93.88 },
];

/** Table 3 (bottom): trained on FF++, tested on DFDC-V2. */
export const TABLE3_DFDC: ReadonlyArray<{ method: string; auc: number }> = [
  { method: 'Xception', auc: 45.6 },
  { method: 'SPSL', auc: 66.16 },
  { method: 'PCL+I2G', auc: 67.52 },
  { method: 'MAT', auc: 70.99 },
  { method: 'SBI', auc: 72.42 },
  { method: 'Ours (ResNet-34)', auc: 71.49 },
  { method: 'Ours (Efficient-b3)', auc: 73.74 },
  { method: 'Ours (Efficient-b4)', auc: 73.85 },
];

/**
 * Table 4: robustness on FF++ (video AUC averaged over five levels per
 * type). The paper reports six types; our seventh (video compression) has no
 * paper value.
 */
export const TABLE4 = {
  columns: ['Saturation', 'Contrast', 'Block', 'Noise', 'Blur', 'Pixel', 'Avg'],
  rows: {
    Xception: [99.3, 98.6, 99.7, 53.8, 60.2, 74.2, 81.0],
    'Face-x-ray': [97.6, 88.5, 99.1, 49.8, 63.8, 88.6, 81.2],
    LipForensics: [99.9, 99.6, 87.4, 73.8, 96.1, 95.6, 92.1],
    Ours: [99.6, 99.8, 99.8, 87.4, 99.0, 98.8, 97.4],
  },
} as const;

/**
 * Table 5 (top): cross-method on FF++, train on one method, test on each.
 * `FF++` is the column as printed: for the Ours+Xception rows it equals the
 * mean of the four method cells; for the Xception rows it differs from that
 * mean by up to 2.1 points (the paper does not say how it was measured).
 */
export const TABLE5_METHODS = {
  columns: ['DF', 'F2F', 'FS', 'NT', 'FF++'],
  rows: [
    { train: 'DF', model: 'Xception', auc: [99.38, 75.05, 49.13, 80.39, 76.34] },
    { train: 'DF', model: 'Ours+Xception', auc: [100.0, 83.94, 58.33, 68.98, 77.81] },
    { train: 'F2F', model: 'Xception', auc: [87.56, 99.53, 65.23, 65.9, 79.55] },
    { train: 'F2F', model: 'Ours+Xception', auc: [99.88, 99.97, 79.4, 82.38, 90.41] },
    { train: 'FS', model: 'Xception', auc: [70.12, 61.7, 99.36, 68.71, 74.91] },
    { train: 'FS', model: 'Ours+Xception', auc: [93.42, 74.0, 99.92, 49.86, 79.3] },
    { train: 'NT', model: 'Xception', auc: [93.09, 84.82, 47.98, 99.5, 83.42] },
    { train: 'NT', model: 'Ours+Xception', auc: [100.0, 97.93, 86.76, 99.46, 96.04] },
  ],
} as const;

/** Table 5 (bottom): FF++ <-> DFDC-V2 in both directions; `inDataset` is the training dataset's own test set, `crossDataset` the other one. */
export const TABLE5_DATASETS = [
  { train: 'FF++', model: 'ResNet-34', inDataset: 99.88, crossDataset: 48.73 },
  { train: 'FF++', model: 'Ours+ResNet-34', inDataset: 99.7, crossDataset: 71.49 },
  { train: 'FF++', model: 'Effi-b3', inDataset: 99.75, crossDataset: 54.12 },
  { train: 'FF++', model: 'Ours+Effi-b3', inDataset: 99.78, crossDataset: 73.74 },
  { train: 'DFDC-V2', model: 'ResNet-34', inDataset: 92.49, crossDataset: 60.56 },
  { train: 'DFDC-V2', model: 'Ours+ResNet-34', inDataset: 94.85, crossDataset: 77.32 },
  { train: 'DFDC-V2', model: 'Effi-b3', inDataset: 94.31, crossDataset: 60.87 },
  { train: 'DFDC-V2', model: 'Ours+Effi-b3', inDataset: 95.67, crossDataset: 84.43 },
] as const;

/** Table 6: SBI alone vs SBI + ADM (trained on FF++ reals with SBI). */
export const TABLE6 = {
  columns: ['FF++', 'Celeb-DF', 'DFDC-V2'],
  rows: {
    SBI: [99.64, 93.18, 72.42],
    'Ours+SBI': [99.33, 94.15, 79.57],
  },
} as const;
