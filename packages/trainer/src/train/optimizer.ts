import { tf } from '@caddm/tf';
import { FusedAdamOptimizer } from '@caddm/wasm-train';

/** Settings of {@link TrainOptimizer}. */
export interface OptimizerSettings {
  /** `adam` (the paper) or `adamw` (the released code: decoupled weight decay). */
  readonly kind: 'adam' | 'adamw';
  /** Initial learning rate. */
  readonly lr: number;
  /** Decoupled weight decay for `adamw` (ignored by `adam`). */
  readonly weightDecay?: number;
  /** Clip every gradient value to [-v, v] before the update; null/undefined for none. */
  readonly clipGradValue?: number | null;
  /** Adam betas and epsilon; defaults equal PyTorch's (0.9, 0.999, 1e-8). */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** Saved optimiser state: plain arrays, positional (iteration count, first moments, second moments). */
export interface OptimizerState {
  readonly kind: 'adam' | 'adamw';
  readonly lr: number;
  readonly tensors: ReadonlyArray<{ readonly name: string; readonly shape: readonly number[]; readonly data: Float32Array }>;
}

/**
 * Adam / AdamW with gradient-value clipping and a settable learning rate,
 * matching PyTorch's update rules (AdamW: `w <- w * (1 - lr * wd)` before
 * the Adam step, as `torch.optim.AdamW`; epsilon 1e-8 as PyTorch). The
 * update of each variable is one fused kernel on the wasm backend
 * (`@caddm/wasm-train`'s FusedAdamOptimizer), plain tfjs ops elsewhere.
 */
export class TrainOptimizer {
  private readonly adam: FusedAdamOptimizer;

  constructor(readonly settings: OptimizerSettings) {
    for (const [k, v] of Object.entries({ lr: settings.lr, weightDecay: settings.weightDecay ?? 0 })) {
      if (!Number.isFinite(v) || v < 0) throw new RangeError(`optimizer ${k} must be a finite number >= 0, got ${v}`);
    }
    if (settings.clipGradValue != null && !(settings.clipGradValue > 0)) {
      throw new RangeError(`clipGradValue must be > 0 or null, got ${settings.clipGradValue}`);
    }
    this.adam = new FusedAdamOptimizer({
      learningRate: settings.lr,
      beta1: settings.beta1 ?? 0.9,
      beta2: settings.beta2 ?? 0.999,
      epsilon: settings.epsilon ?? 1e-8,
      weightDecay: settings.kind === 'adamw' ? (settings.weightDecay ?? 0) : 0,
      clipValue: settings.clipGradValue ?? Infinity,
    });
  }

  /** The current learning rate. */
  get lr(): number {
    return this.adam.learningRate;
  }

  /** Sets the learning rate for the next updates (the schedule's job). */
  set lr(value: number) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`learning rate must be a finite number >= 0, got ${value}`);
    this.adam.learningRate = value;
  }

  /**
   * Applies one update from `grads` (name -> gradient of each variable in
   * `vars`, in that order). Disposes nothing of the caller's.
   */
  apply(vars: readonly tf.Variable[], grads: Readonly<Record<string, tf.Tensor>>): void {
    const list = vars.map((v) => {
      const g = grads[v.name];
      if (g == null) throw new Error(`no gradient for variable ${v.name}`);
      return { name: v.name, tensor: g };
    });
    this.adam.applyGradients(list);
  }

  /** The state to checkpoint (iteration count and moments, in variable order). */
  async state(): Promise<OptimizerState> {
    // getWeights() returns a fresh scalar for the iteration count (ours to
    // free) followed by the moment variables themselves (the optimiser's).
    const ws = await this.adam.getWeights();
    const tensors = await Promise.all(
      ws.map(async (w) => ({ name: w.name, shape: w.tensor.shape.slice(), data: Float32Array.from(await w.tensor.data()) })),
    );
    ws[0]?.tensor.dispose();
    return { kind: this.settings.kind, lr: this.lr, tensors };
  }

  /**
   * Restores {@link state}; `vars` must be the same variables in the same
   * order (they are matched by position, so tfjs' per-process variable names
   * may differ from the saved ones).
   */
  async restore(state: OptimizerState, vars: readonly tf.Variable[]): Promise<void> {
    if (state.kind !== this.settings.kind) throw new Error(`optimizer state is for ${state.kind}, this optimizer is ${this.settings.kind}`);
    const n = state.tensors.length;
    if (n > 1 && n !== 1 + 2 * vars.length) {
      throw new Error(`optimizer state has ${n} tensors; expected ${1 + 2 * vars.length} for ${vars.length} variables`);
    }
    for (let i = 1; i < n; i++) {
      const v = vars[(i - 1) % vars.length];
      const s = state.tensors[i].shape;
      if (s.length !== v.shape.length || s.some((d, k) => d !== v.shape[k])) {
        throw new Error(`optimizer state tensor ${state.tensors[i].name} has shape [${s}] but variable ${v.name} has [${v.shape}]`);
      }
    }
    const named = state.tensors.map((t, i) => ({
      name: i === 0 ? t.name : `${vars[(i - 1) % vars.length].name}/${i <= vars.length ? 'm' : 'v'}`,
      tensor: tf.tensor(t.data, t.shape.slice(), 'float32'),
    }));
    await this.adam.setWeights(named);
    for (const t of named) t.tensor.dispose();
    this.lr = state.lr;
  }

  /** Frees the moment variables. */
  dispose(): void {
    this.adam.dispose();
  }
}
