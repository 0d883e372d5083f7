import {
  add,
  clipByValue,
  div,
  dispose,
  engine,
  getBackend,
  getKernel,
  mul,
  Optimizer,
  sqrt,
  square,
  sub,
  tidy,
  zerosLike,
  type KernelConfig,
  type NamedTensorMap,
  type Tensor,
  type TensorInfo,
  type Variable,
} from '@tensorflow/tfjs';
import { alloc, requireFloat32, view, type KernelArgs, type WasmBackend } from './backend.js';
import { WasmKernelInputError } from './errors.js';

/** A tensor with a name, as optimizers exchange them (tfjs does not export the type). */
interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/** Name of the fused Adam update kernel. */
export const FUSED_ADAM = 'CaddmFusedAdam';

/** Attributes of the {@link FUSED_ADAM} kernel. */
interface AdamAttrs {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t at step t. */
  readonly correction1: number;
  readonly correction2: number;
  readonly weightDecay: number;
  /** Gradients are clipped to [-clipValue, clipValue]; Infinity for none. */
  readonly clipValue: number;
  /**
   * x, m and v are the optimiser's own variables, reassigned right after the kernel, so a
   * backend may update their buffers in place where nothing else references them
   * (`@caddm/torch` does; the wasm kernel always writes fresh tensors).
   */
  readonly inPlace?: boolean;
}

/**
 * One Adam(W) step for one variable in a single pass over the wasm heap:
 * reads x, m, v and the gradient, writes the new x, m and v (three fresh
 * tensors; inputs are never modified). Replaces the ~12 element-wise kernels
 * (and kernel launches) of `tf.train.adam` per variable.
 */
export function fusedAdam(args: KernelArgs): TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { x, m, v, g } = args.inputs;
  const a = args.attrs as AdamAttrs;
  if (x == null || m == null || v == null || g == null) throw new WasmKernelInputError(FUSED_ADAM, 'needs inputs x, m, v and g');
  requireFloat32(FUSED_ADAM, { x, m, v, g });
  const n = x.shape.reduce((p, d) => p * d, 1);
  for (const [name, t] of Object.entries({ m, v, g })) {
    if (t.shape.reduce((p, d) => p * d, 1) !== n) {
      throw new WasmKernelInputError(FUSED_ADAM, `${name} has shape [${t.shape}] but the variable has [${x.shape}]`);
    }
  }
  const nx = alloc(backend, x.shape);
  const nm = alloc(backend, x.shape);
  const nv = alloc(backend, x.shape);
  const xs = view(backend, x);
  const ms = view(backend, m);
  const vs = view(backend, v);
  const gs = view(backend, g);
  const ox = view(backend, nx);
  const om = view(backend, nm);
  const ov = view(backend, nv);
  const { beta1: b1, beta2: b2, epsilon: eps, clipValue: c } = a;
  const decay = 1 - a.learningRate * a.weightDecay;
  const step = a.learningRate / a.correction1;
  const root2 = 1 / Math.sqrt(a.correction2);
  const clip = Number.isFinite(c);
  for (let i = 0; i < n; i++) {
    let gi = gs[i];
    if (clip) gi = gi > c ? c : gi < -c ? -c : gi;
    const mi = b1 * ms[i] + (1 - b1) * gi;
    const vi = b2 * vs[i] + (1 - b2) * gi * gi;
    om[i] = mi;
    ov[i] = vi;
    ox[i] = xs[i] * decay - (step * mi) / (Math.sqrt(vi) * root2 + eps);
  }
  return [nx, nm, nv];
}

/** Kernel config registering {@link fusedAdam} on the wasm backend. */
export const fusedAdamConfig: KernelConfig = {
  kernelName: FUSED_ADAM,
  backendName: 'wasm',
  kernelFunc: fusedAdam as unknown as KernelConfig['kernelFunc'],
};

/** Options of {@link FusedAdamOptimizer}. */
export interface FusedAdamOptions {
  /** Step size (mutable later through `optimizer.learningRate`). */
  readonly learningRate: number;
  /** Default 0.9. */
  readonly beta1?: number;
  /** Default 0.999. */
  readonly beta2?: number;
  /** Added to sqrt(v-hat); default 1e-7 like `tf.train.adam` (PyTorch uses 1e-8). */
  readonly epsilon?: number;
  /** Decoupled weight decay (AdamW, as PyTorch's `AdamW`): x *= 1 - lr * weightDecay. Default 0. */
  readonly weightDecay?: number;
  /** Clip every gradient element to [-clipValue, clipValue] first (PyTorch `clip_grad_value_`). Default none. */
  readonly clipValue?: number;
}

interface Moments {
  readonly m: Variable;
  readonly v: Variable;
}

/**
 * Adam / AdamW whose per-variable update is one fused kernel on the wasm
 * backend ({@link FUSED_ADAM}); on other backends the same arithmetic runs as
 * tfjs ops. With `weightDecay` 0 and no `clipValue` it computes what
 * `tf.train.adam(learningRate, beta1, beta2, epsilon)` computes.
 */
export class FusedAdamOptimizer extends Optimizer {
  /** Serialization name. */
  static get className(): string {
    return 'CaddmFusedAdam';
  }

  /** Current step size; may be changed between steps (schedules). */
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly clipValue: number;
  private readonly moments = new Map<string, Moments>();

  constructor(options: FusedAdamOptions) {
    super();
    const { learningRate, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, weightDecay = 0, clipValue = Infinity } = options;
    const check = (name: string, value: number, ok: boolean) => {
      if (!ok) throw new RangeError(`FusedAdamOptimizer: ${name} = ${value} is out of range`);
    };
    check('learningRate', learningRate, Number.isFinite(learningRate) && learningRate >= 0);
    check('beta1', beta1, beta1 >= 0 && beta1 < 1);
    check('beta2', beta2, beta2 >= 0 && beta2 < 1);
    check('epsilon', epsilon, Number.isFinite(epsilon) && epsilon >= 0);
    check('weightDecay', weightDecay, Number.isFinite(weightDecay) && weightDecay >= 0);
    check('clipValue', clipValue, clipValue > 0);
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    this.clipValue = clipValue;
  }

  /** Applies one Adam(W) step with the given gradients (by variable name). */
  override applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    const pairs: Array<[string, Tensor | undefined]> = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor])
      : Object.entries(variableGradients);
    const t = this.iterations + 1;
    const attrs: AdamAttrs = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      correction1: 1 - this.beta1 ** t,
      correction2: 1 - this.beta2 ** t,
      weightDecay: this.weightDecay,
      clipValue: this.clipValue,
      inPlace: true,
    };
    const fused = getKernel(FUSED_ADAM, getBackend()) != null;
    for (const [name, gradient] of pairs) {
      if (gradient == null) continue;
      const variable = engine().registeredVariables[name];
      if (variable == null) throw new Error(`FusedAdamOptimizer: no variable named '${name}'`);
      const mom = this.momentsOf(name, variable);
      tidy(() => {
        const [x, m, v] = fused
          ? (engine().runKernel(FUSED_ADAM, { x: variable, m: mom.m, v: mom.v, g: gradient }, attrs as never) as Tensor[])
          : this.opsStep(variable, mom, gradient, attrs);
        mom.m.assign(m);
        mom.v.assign(v);
        variable.assign(x);
      });
    }
    this.incrementIterations();
  }

  private momentsOf(name: string, variable: Variable): Moments {
    let mom = this.moments.get(name);
    if (mom == null) {
      mom = {
        m: tidy(() => zerosLike(variable).variable(false)),
        v: tidy(() => zerosLike(variable).variable(false)),
      };
      this.moments.set(name, mom);
    }
    return mom;
  }

  /** The same step as tfjs ops, for backends without the fused kernel. */
  private opsStep(x: Tensor, mom: Moments, gradient: Tensor, a: AdamAttrs): Tensor[] {
    const g = Number.isFinite(a.clipValue) ? clipByValue(gradient, -a.clipValue, a.clipValue) : gradient;
    const m = add(mul(mom.m, a.beta1), mul(g, 1 - a.beta1));
    const v = add(mul(mom.v, a.beta2), mul(square(g), 1 - a.beta2));
    const update = div(div(m, a.correction1), add(sqrt(div(v, a.correction2)), a.epsilon));
    const decayed = a.weightDecay > 0 ? mul(x, 1 - a.learningRate * a.weightDecay) : x;
    return [sub(decayed, mul(update, a.learningRate)), m, v];
  }

  override dispose(): void {
    for (const { m, v } of this.moments.values()) dispose([m, v]);
    this.moments.clear();
    super.dispose();
  }

  /** Iteration count, then every first moment, then every second moment (the layout of `tf.train.adam`). */
  override async getWeights(): Promise<NamedTensor[]> {
    const all = [...this.moments.entries()];
    return [
      await this.saveIterations(),
      ...all.map(([name, { m }]) => ({ name: `${name}/m`, tensor: m as Tensor })),
      ...all.map(([name, { v }]) => ({ name: `${name}/v`, tensor: v as Tensor })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const half = rest.length / 2;
    for (const { m, v } of this.moments.values()) dispose([m, v]);
    this.moments.clear();
    for (let i = 0; i < half; i++) {
      const name = rest[i].name.replace(/\/m$/, '');
      this.moments.set(name, { m: rest[i].tensor.variable(false), v: rest[half + i].tensor.variable(false) });
    }
  }

  override getConfig(): Record<string, number> {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
      clipValue: this.clipValue,
    };
  }
}
