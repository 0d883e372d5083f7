import {
  broadcastTo,
  FusedBatchNorm,
  getBackend,
  getGradient,
  Mean,
  mul,
  neg,
  registerGradient,
  reshape,
  rsqrt,
  scalar,
  square,
  sub,
  Sum,
  sum,
  util,
  add,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
} from '@tensorflow/tfjs';

/** Gradient configs replaced on the wasm backend (the others keep tfjs' own). */
type GradFunc = NonNullable<GradConfig['gradFunc']>;

/** Runs `fast` on the wasm backend and tfjs' stock gradient elsewhere. */
function onWasm(stock: GradConfig | undefined, fast: GradFunc): GradFunc {
  return (dy, saved, attrs) => {
    if (getBackend() === 'wasm' || stock?.gradFunc == null) return fast(dy, saved, attrs);
    return stock.gradFunc(dy, saved, attrs);
  };
}

function expandedShape(xShape: readonly number[], axis: unknown): { shape: number[]; count: number } {
  const axes = util.parseAxisParam(axis as number | number[], xShape as number[]);
  const shape = xShape.slice();
  let count = 1;
  for (const a of axes) {
    count *= shape[a];
    shape[a] = 1;
  }
  return { shape, count };
}

/**
 * `Sum` and `Mean` gradients that broadcast `dy` (one `Tile` on the wasm
 * backend) instead of multiplying it by `tf.ones(x.shape)`, which tfjs
 * builds as a JavaScript array every call (tens of ms for an activation).
 */
function reductionGrad(kernelName: string, divide: boolean): GradConfig {
  const stock = getGradient(kernelName);
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: onWasm(stock, (dy, saved, attrs) => {
      const [x] = saved;
      const { shape, count } = expandedShape(x.shape, (attrs as NamedAttrMap).axis);
      const g = dy as Tensor;
      return { x: () => broadcastTo(reshape(divide ? mul(g, scalar(1 / count)) : g, shape), x.shape) };
    }),
  };
}

/**
 * The `FusedBatchNorm` gradient with per-channel vectors broadcast instead of
 * tiled to the activation's shape, and the two per-channel sums it needs
 * (of dy and of dy * (x - mean)) computed once for all five inputs.
 * With inv = 1/sqrt(var + eps) and g = scale * inv:
 * dx = dy * g, dmean = -sum(dy) * g, dvar = -0.5 * sum(dy * (x - mean)) * g * inv^2,
 * dscale = sum(dy * (x - mean)) * inv, doffset = sum(dy).
 */
function batchNormGrad(): GradConfig {
  const stock = getGradient(FusedBatchNorm);
  return {
    kernelName: FusedBatchNorm,
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved;
      if (getBackend() !== 'wasm' || mean.rank !== 1 || stock?.gradFunc == null) {
        if (stock?.gradFunc == null) throw new Error('tfjs has no FusedBatchNorm gradient to fall back on');
        return stock.gradFunc(dy, saved, attrs);
      }
      const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
      const g = dy as Tensor;
      const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
      const inv = rsqrt(add(variance, scalar(varianceEpsilon)));
      const gain = scale == null ? inv : mul(scale, inv);
      const sumDy = sum(g, axes);
      const sumDyXm = sum(mul(g, sub(x, mean)), axes);
      return {
        x: () => mul(g, gain),
        mean: () => neg(mul(sumDy, gain)),
        variance: () => mul(sumDyXm, mul(gain, mul(square(inv), scalar(-0.5)))),
        scale: () => mul(sumDyXm, inv),
        offset: () => reshape(sumDy, mean.shape),
      };
    },
  };
}

let registered = false;

/**
 * Replaces the gradients of `Sum`, `Mean` and `FusedBatchNorm` with
 * equivalent ones that avoid `tf.ones(x.shape)` and `tile`. The gradient
 * registry is global, so each checks `tf.getBackend()` and defers to tfjs'
 * original gradient on other backends. Idempotent.
 */
export function registerWasmGradients(): void {
  if (registered) return;
  registerGradient(reductionGrad(Sum, false));
  registerGradient(reductionGrad(Mean, true));
  registerGradient(batchNormGrad());
  registered = true;
}
