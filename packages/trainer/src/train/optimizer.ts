import { tf } from '@caddm/tf';

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

/** Saved optimiser state: plain arrays, positional like tfjs' Adam. */
export interface OptimizerState {
  readonly kind: 'adam' | 'adamw';
  readonly lr: number;
  readonly tensors: ReadonlyArray<{ readonly name: string; readonly shape: readonly number[]; readonly data: Float32Array }>;
  /**
   * Adam's running beta1^t and beta2^t as the optimiser holds them. tfjs
   * recomputes them with `pow` on restore, which differs from the running
   * product in the last bit; keeping them makes a resumed run bit-identical.
   */
  readonly accBeta?: readonly [number, number];
}

/** tfjs' Adam keeps these private; we read and write them for exact resumes. */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/**
 * Adam / AdamW with gradient-value clipping and a settable learning rate,
 * matching PyTorch's update rules (AdamW: `w <- w * (1 - lr * wd)` before
 * the Adam step, as `torch.optim.AdamW`; epsilon 1e-8 as PyTorch, not
 * tfjs' 1e-7).
 */
export class TrainOptimizer {
  private readonly adam: tf.AdamOptimizer;
  private rate: number;

  constructor(readonly settings: OptimizerSettings) {
    for (const [k, v] of Object.entries({ lr: settings.lr, weightDecay: settings.weightDecay ?? 0 })) {
      if (!Number.isFinite(v) || v < 0) throw new RangeError(`optimizer ${k} must be a finite number >= 0, got ${v}`);
    }
    if (settings.clipGradValue != null && !(settings.clipGradValue > 0)) {
      throw new RangeError(`clipGradValue must be > 0 or null, got ${settings.clipGradValue}`);
    }
    this.rate = settings.lr;
    this.adam = tf.train.adam(settings.lr, settings.beta1 ?? 0.9, settings.beta2 ?? 0.999, settings.epsilon ?? 1e-8);
  }

  /** The current learning rate. */
  get lr(): number {
    return this.rate;
  }

  /** Sets the learning rate for the next updates (the schedule's job). */
  set lr(value: number) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`learning rate must be a finite number >= 0, got ${value}`);
    this.rate = value;
    (this.adam as unknown as { learningRate: number }).learningRate = value;
  }

  /**
   * Applies one update from `grads` (name -> gradient of each variable in
   * `vars`, in that order). Disposes nothing of the caller's.
   */
  apply(vars: readonly tf.Variable[], grads: Readonly<Record<string, tf.Tensor>>): void {
    const clip = this.settings.clipGradValue;
    tf.tidy(() => {
      const list = vars.map((v) => {
        const g = grads[v.name];
        if (g == null) throw new Error(`no gradient for variable ${v.name}`);
        return { name: v.name, tensor: clip != null ? tf.clipByValue(g, -clip, clip) : g };
      });
      const wd = this.settings.kind === 'adamw' ? (this.settings.weightDecay ?? 0) : 0;
      if (wd > 0) for (const v of vars) v.assign(v.mul(1 - this.rate * wd));
      this.adam.applyGradients(list);
    });
  }

  /** The state to checkpoint (iteration count and moments, positional). */
  async state(): Promise<OptimizerState> {
    // getWeights() returns a fresh scalar for the iteration count (ours to
    // free) followed by the moment variables themselves (the optimiser's).
    const ws = await this.adam.getWeights();
    const tensors = await Promise.all(
      ws.map(async (w) => ({ name: w.name, shape: w.tensor.shape.slice(), data: Float32Array.from(await w.tensor.data()) })),
    );
    ws[0]?.tensor.dispose();
    const inner = this.adam as unknown as AdamInternals;
    const accBeta: [number, number] = [inner.accBeta1.dataSync()[0], inner.accBeta2.dataSync()[0]];
    return { kind: this.settings.kind, lr: this.rate, tensors, accBeta };
  }

  /** Restores {@link state}; `vars` must be the same variables in the same order. */
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
    const named = state.tensors.map((t) => ({ name: t.name, tensor: tf.tensor(t.data, t.shape.slice(), 'float32') }));
    await this.adam.setWeights(named);
    for (const t of named) t.tensor.dispose();
    if (state.accBeta != null) {
      const inner = this.adam as unknown as AdamInternals;
      tf.tidy(() => {
        inner.accBeta1.assign(tf.scalar(state.accBeta?.[0] as number));
        inner.accBeta2.assign(tf.scalar(state.accBeta?.[1] as number));
      });
    }
    this.lr = state.lr;
  }

  /** Frees the moment variables. */
  dispose(): void {
    this.adam.dispose();
  }
}
