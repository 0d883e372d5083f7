/**
 * The small set of layer operations our architectures are written against.
 *
 * Every architecture (ResNet, EfficientNet, Xception, and the ADM in
 * `@caddm/adm`) is a function generic over a {@link Graph}. Two
 * implementations exist: {@link TfGraph} builds real tfjs layers, and
 * {@link ShapeGraph} only tracks shapes and counts parameters, so that the
 * size of a 270M-parameter model can be known without allocating a byte.
 *
 * Layers with weights carry the PyTorch module path they correspond to
 * (`torch`), which is how state dicts are imported and exported.
 *
 * @packageDocumentation
 */

/**
 * Spatial padding of a convolution:
 * - `'same'` / `'valid'`: TensorFlow semantics (only used where they equal the
 *   PyTorch behaviour, i.e. stride 1 with an odd kernel, or no padding);
 * - a number `p`: symmetric zero padding of `p` on every side (PyTorch's
 *   `padding=p`);
 * - `[top, bottom, left, right]`: explicit zero padding.
 */
export type Padding = 'same' | 'valid' | number | readonly [number, number, number, number];

/** How a kernel is initialised (weights are usually replaced by an import). */
export type KernelInit =
  /** Uniform on [-bound, bound] (PyTorch's default conv/linear init is bound = 1/sqrt(fan_in)). */
  | { readonly kind: 'uniform'; readonly bound: number }
  /** Normal with mean 0 and the given standard deviation. */
  | { readonly kind: 'normal'; readonly std: number };

/** A convolution (dense in the channel dimension). */
export interface ConvSpec {
  /** Layer name in the tfjs model (must be unique in the model). */
  readonly name: string;
  /** PyTorch module path whose `.weight` (and `.bias`) this layer holds. */
  readonly torch: string;
  /** Output channels. */
  readonly filters: number;
  /** Square kernel size. */
  readonly kernel: number;
  /** Stride (default 1). */
  readonly stride?: number;
  /** Padding (default none). */
  readonly padding?: Padding;
  /** Whether the layer has a bias (convs default false). */
  readonly bias?: boolean;
  /** Kernel initialisation (default: PyTorch uniform 1/sqrt(fan_in)). */
  readonly init?: KernelInit;
}

/** A depthwise convolution with depth multiplier 1 (PyTorch `groups = channels`). */
export interface DepthwiseSpec {
  /** Layer name in the tfjs model (unique in the model). */
  readonly name: string;
  /** PyTorch module path of this layer. */
  readonly torch: string;
  /** Square kernel size. */
  readonly kernel: number;
  /** Stride (default 1). */
  readonly stride?: number;
  /** Padding (default none). */
  readonly padding?: Padding;
  /** Whether the layer has a bias (convs default false). */
  readonly bias?: boolean;
  /** Kernel initialisation (default: PyTorch uniform 1/sqrt(fan_in)). */
  readonly init?: KernelInit;
}

/**
 * A depthwise-separable convolution held as one tfjs `SeparableConv2D`
 * layer, mapped to two PyTorch convolutions (`torchDepthwise` then
 * `torchPointwise`, both without bias, as in timm's Xception).
 */
export interface SeparableSpec {
  /** Layer name in the tfjs model (unique in the model). */
  readonly name: string;
  /** PyTorch module path of the depthwise conv. */
  readonly torchDepthwise: string;
  /** PyTorch module path of the pointwise conv. */
  readonly torchPointwise: string;
  /** Output channels. */
  readonly filters: number;
  /** Square kernel size. */
  readonly kernel: number;
  /** Stride-1 only; padding is `'same'` (PyTorch padding k//2) or `'valid'`. */
  readonly padding?: 'same' | 'valid';
  /** Kernel initialisation (default: PyTorch uniform 1/sqrt(fan_in)). */
  readonly init?: KernelInit;
}

/** A batch normalisation over the channel (last) axis. */
export interface BatchNormSpec {
  /** Layer name in the tfjs model (unique in the model). */
  readonly name: string;
  /** PyTorch module path of this layer. */
  readonly torch: string;
  /** PyTorch default 1e-5 (tfjs default 1e-3). */
  readonly epsilon: number;
  /** tfjs momentum = 1 - PyTorch momentum (PyTorch default 0.1 gives 0.9). */
  readonly momentum: number;
}

/** A fully connected layer on a rank-1 (per sample) input. */
export interface DenseSpec {
  /** Layer name in the tfjs model (unique in the model). */
  readonly name: string;
  /** PyTorch module path of this layer. */
  readonly torch: string;
  /** Output features. */
  readonly units: number;
  /** Whether the layer has a bias (convs default false). */
  readonly bias?: boolean;
  /** Kernel initialisation (default: PyTorch uniform 1/sqrt(fan_in)). */
  readonly init?: KernelInit;
}

/** Element-wise activations used by the architectures. */
export type ActivationKind = 'relu' | 'swish' | 'sigmoid';

/** A max pooling with PyTorch padding semantics. */
export interface MaxPoolSpec {
  readonly size: number;
  readonly stride: number;
  /** Symmetric padding (PyTorch `padding`). */
  readonly padding: number;
  /**
   * How the padding is realised. PyTorch pads with -inf. `'zero'` is exact
   * only when the input is non-negative (after a ReLU); `'edge'` replicates
   * the border, which is exact for any input because every padded window
   * also contains the replicated border value.
   */
  readonly padMode: 'zero' | 'edge';
  /** Layer name (padding helper layers are named after it). */
  readonly name: string;
}

/** One weight tensor of a layer, in both layouts. */
export interface WeightSpec {
  /** The tfjs weight name inside its layer, e.g. `kernel`, `gamma`, `moving_mean`. */
  readonly tf: string;
  /** The full PyTorch state-dict key, e.g. `layer1.0.conv1.weight`. */
  readonly torch: string;
  /** Shape in tfjs layout. */
  readonly tfShape: readonly number[];
  /** Shape in PyTorch layout. */
  readonly torchShape: readonly number[];
  /** How to turn the PyTorch tensor into the tfjs one. */
  readonly transform: 'none' | 'conv' | 'depthwise' | 'dense';
  /** False for batch-norm running statistics (PyTorch buffers). */
  readonly trainable: boolean;
}

/** The weights of one layer, as recorded by a {@link Graph}. */
export interface LayerSpec {
  /** The tfjs layer name. */
  readonly layer: string;
  /** Layer type. */
  readonly kind: 'conv' | 'depthwise' | 'separable' | 'batchnorm' | 'dense';
  /** Its weights, in tfjs order. */
  readonly weights: readonly WeightSpec[];
}

/**
 * The operations an architecture may use. `T` is the graph's handle on a
 * tensor: a tfjs `SymbolicTensor` in {@link TfGraph}, a shape in
 * {@link ShapeGraph}. Shapes exclude the batch dimension.
 */
export interface Graph<T> {
  /** A model input of the given per-sample shape `[h, w, c]`. */
  input(shape: readonly number[], name: string): T;
  /** A convolution (see {@link ConvSpec}). */
  conv2d(x: T, spec: ConvSpec): T;
  /** A depthwise convolution (see {@link DepthwiseSpec}). */
  depthwiseConv2d(x: T, spec: DepthwiseSpec): T;
  /** A depthwise-separable convolution (see {@link SeparableSpec}). */
  separableConv2d(x: T, spec: SeparableSpec): T;
  /** Batch normalisation over channels (see {@link BatchNormSpec}). */
  batchNorm(x: T, spec: BatchNormSpec): T;
  /** An element-wise activation. */
  activation(x: T, kind: ActivationKind, name?: string): T;
  /** Max pooling with PyTorch padding semantics (see {@link MaxPoolSpec}). */
  maxPool(x: T, spec: MaxPoolSpec): T;
  /** Global average pooling over h and w: `[h,w,c]` to `[c]`, or `[1,1,c]` with `keepDims`. */
  globalAvgPool(x: T, opts?: { readonly keepDims?: boolean; readonly name?: string }): T;
  /** A fully connected layer on a `[c]` input. */
  dense(x: T, spec: DenseSpec): T;
  /**
   * Dropout, active only in training. `perSample` drops whole samples
   * (stochastic depth / EfficientNet's drop-connect).
   */
  dropout(x: T, rate: number, opts?: { readonly perSample?: boolean; readonly name?: string }): T;
  /** Element-wise sum (size-1 axes broadcast). */
  add(xs: readonly T[], name?: string): T;
  /** Element-wise product (size-1 axes broadcast). */
  multiply(xs: readonly T[], name?: string): T;
  /** Reshape of the per-sample shape (element count must match). */
  reshape(x: T, shape: readonly number[], name?: string): T;
  /** Concatenation along a per-sample axis (0-based, batch excluded). */
  concat(xs: readonly T[], axis: number, name?: string): T;
  /** The per-sample shape of `x`. */
  shapeOf(x: T): readonly number[];
  /** Every weight-bearing layer created so far, in creation order. */
  readonly layers: readonly LayerSpec[];
}
