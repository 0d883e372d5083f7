import { parseSafetensors, serializeSafetensors, toFloat32, type SafeTensor } from '@caddm/backbones';
import { tf } from '@caddm/tf';
import type { OptimizerState } from './optimizer.js';

/** Serialises name -> tensor as safetensors (float32; int tensors are stored as F32 too). */
export async function tensorsToSafetensors(tensors: ReadonlyMap<string, tf.Tensor>): Promise<Uint8Array> {
  const out = new Map<string, SafeTensor>();
  for (const [name, t] of tensors) {
    const data = t.dtype === 'float32' ? ((await t.data()) as Float32Array) : Float32Array.from(await t.data());
    out.set(name, { dtype: 'F32', shape: t.shape.slice(), data });
  }
  return serializeSafetensors(out);
}

/** Reads safetensors bytes as name -> { shape, float32 data }. */
export function safetensorsToArrays(bytes: Uint8Array): Map<string, { shape: readonly number[]; data: Float32Array }> {
  const file = parseSafetensors(bytes);
  const out = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  for (const [name, t] of file.tensors) out.set(name, { shape: t.shape, data: toFloat32(t) });
  return out;
}

/** Optimiser state as safetensors; tensor order is kept through zero-padded name prefixes. */
export function optimizerStateToSafetensors(state: OptimizerState): Uint8Array {
  const out = new Map<string, SafeTensor>();
  state.tensors.forEach((t, i) => out.set(`${String(i).padStart(6, '0')}:${t.name}`, { dtype: 'F32', shape: t.shape, data: t.data }));
  return serializeSafetensors(out, { kind: state.kind, lr: String(state.lr) });
}

/** Inverse of {@link optimizerStateToSafetensors}. */
export function safetensorsToOptimizerState(bytes: Uint8Array): OptimizerState {
  const file = parseSafetensors(bytes);
  const kind = file.metadata?.kind;
  if (kind !== 'adam' && kind !== 'adamw') throw new Error(`optimizer state has unknown kind '${String(kind)}'`);
  const tensors = [...file.tensors.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, t]) => ({ name: name.slice(name.indexOf(':') + 1), shape: t.shape, data: toFloat32(t) }));
  return { kind, lr: Number(file.metadata?.lr), tensors };
}
