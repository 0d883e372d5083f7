import { tf } from '@caddm/tf';
import type { Net, NetOutputs } from './net.js';

/**
 * Adapts a tfjs `LayersModel` to {@link Net}. The model's outputs are
 * `[logits]` (binary classifier) or `[loc, conf, logits]` (with an ADM).
 * Weights are named `<index>/<weight name>` (e.g. `0003/gamma`) so that
 * checkpoints of the same architecture line up regardless of tfjs'
 * per-process layer-name counters.
 */
export class LayersNet implements Net {
  readonly trainableVariables: readonly tf.Variable[];

  constructor(readonly model: tf.LayersModel) {
    const n = model.outputs.length;
    if (n !== 1 && n !== 3) throw new Error(`LayersNet expects 1 output (logits) or 3 (loc, conf, logits), the model has ${n}`);
    this.trainableVariables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  forward(x: tf.Tensor4D, training: boolean): NetOutputs {
    const out = this.model.apply(x, { training }) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(out) ? out : [out];
    if (list.length === 1) return { logits: list[0] as tf.Tensor2D };
    return { loc: list[0] as tf.Tensor3D, conf: list[1] as tf.Tensor3D, logits: list[2] as tf.Tensor2D };
  }

  private names(): string[] {
    // tfjs layer names carry per-process counters (conv2d_Conv2D3), so only
    // the position and the weight's own name (kernel, gamma, ...) are kept.
    return this.model.weights.map((w, i) => `${String(i).padStart(4, '0')}/${w.originalName.split('/').pop()}`);
  }

  weights(): ReadonlyMap<string, tf.Tensor> {
    const names = this.names();
    return new Map(this.model.weights.map((w, i) => [names[i], w.read()]));
  }

  setWeights(weights: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): void {
    const names = this.names();
    const problems: string[] = [];
    const values: tf.Tensor[] = [];
    names.forEach((name, i) => {
      const w = weights.get(name);
      const want = this.model.weights[i].shape;
      if (w == null) problems.push(`missing ${name}`);
      else if (w.shape.length !== want.length || w.shape.some((d, k) => d !== want[k])) {
        problems.push(`${name} has shape [${w.shape}], expected [${want}]`);
      } else values.push(tf.tensor(w.data, w.shape.slice(), 'float32'));
    });
    for (const k of weights.keys()) if (!names.includes(k)) problems.push(`unexpected ${k}`);
    if (problems.length) {
      tf.dispose(values);
      throw new Error(`weights do not fit the model:\n  - ${problems.join('\n  - ')}`);
    }
    this.model.setWeights(values);
    tf.dispose(values);
  }

  dispose(): void {
    this.model.dispose();
  }
}
