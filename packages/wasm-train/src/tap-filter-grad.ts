import type { TensorInfo } from '@tensorflow/tfjs';
import { alloc, run, Temps, view, type WasmBackend } from './backend.js';
import type { ConvGeometry } from './conv-geometry.js';

/** Above this ratio of padded to output pixels the padded products cost more than they save. */
const MAX_PADDED_RATIO = 1.35;
/** Below this many filter entries per tap (inC · outC) packing costs more than the products save. */
const MIN_TAP_SIZE = 64 * 64;

/**
 * The padded frame {@link tapFilterGrad} works in (Hp = outH + kH − 1 rows,
 * Wp = outW + kW − 1 columns: every tap's reach, which with stride 1 is the
 * padded input), or undefined for strides or dilations above 1.
 */
export function tapFrameOf(g: ConvGeometry): { Hp: number; Wp: number } | undefined {
  if (g.strideH !== 1 || g.strideW !== 1 || g.dilationH !== 1 || g.dilationW !== 1) return undefined;
  const Hp = g.outH + g.kH - 1;
  const Wp = g.outW + g.kW - 1;
  if (g.padTop < 0 || g.padLeft < 0 || g.padTop + g.inH > Hp || g.padLeft + g.inW > Wp) return undefined;
  return { Hp, Wp };
}

/**
 * {@link tapFrameOf} where the per-tap products also pay off: at most 35% padded
 * pixels and at least 64 x 64 filter entries per tap (below, packing costs more
 * than the products save; measured on ResNet-34 layers at 224 and at width 1/4).
 */
export function tapFrame(g: ConvGeometry): { Hp: number; Wp: number } | undefined {
  if (g.inC * g.outC < MIN_TAP_SIZE) return undefined;
  const f = tapFrameOf(g);
  if (f == null || (f.Hp * f.Wp) / (g.outH * g.outW) > MAX_PADDED_RATIO) return undefined;
  return f;
}

/**
 * The filter gradient of a stride-1 convolution as one matrix product per
 * filter tap on XNNPACK's fully-connected operator, without copying x per tap.
 *
 * x is transposed and zero-padded once to X [inC, B·Hp·Wp] (Hp = outH + kH − 1,
 * Wp likewise: every tap's reach), dy zero-padded to the same frame and
 * viewed as D [B·Hp·Wp, outC]. Writing L = B·Hp·Wp and t = kh·Wp + kw,
 *
 *   dW[kh, kw, c, o] = Σ_i X[c, i + t] · D[i, o]   (i < L),
 *
 * because D is zero outside the output pixels, whose tap-shifted inputs never
 * leave their image's padded frame. The left operand of tap t is therefore
 * X read from offset t with rows of L: an alias into X's memory, no copy (row
 * c runs into row c + 1, where D is zero; one extra zero channel covers the last
 * row). XNNPACK packs D once (it caches the packing on D for all taps) and
 * each product contracts over all L pixels, where the dilated convolution of
 * {@link conv2DBackpropFilter} contracts over only the batch's images per
 * position. Returns [kH, kW, inC, outC].
 */
export function tapFilterGrad(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: ConvGeometry, frame: { Hp: number; Wp: number }): TensorInfo {
  const { batch: B, inH: H, inW: W, inC: C, outH: OH, outW: OW, outC, kH, kW, padTop, padLeft } = g;
  const { Hp, Wp } = frame;
  const L = B * Hp * Wp;
  const out = alloc(backend, [kH, kW, C, outC]);
  const t = new Temps(backend);
  try {
    const xt = t.add(run(backend, 'Transpose', { x }, { perm: [3, 0, 1, 2] }));
    const pads = [
      [0, 1],
      [0, 0],
      [padTop, Hp - H - padTop],
      [padLeft, Wp - W - padLeft],
    ];
    const X = t.add(run(backend, 'PadV2', { x: xt }, { paddings: pads, constantValue: 0 }));
    const dyp = t.add(
      run(backend, 'PadV2', { x: dy }, {
        paddings: [
          [0, 0],
          [0, Hp - OH],
          [0, Wp - OW],
          [0, 0],
        ],
        constantValue: 0,
      }),
    );
    const D = t.add(run(backend, 'Reshape', { x: dyp }, { shape: [L, outC] }));
    const base = backend.dataIdMap.get(X.dataId)?.memoryOffset as number;
    const size = C * outC;
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++) {
        const a = aliasOf(backend, base + 4 * (kh * Wp + kw), [C, L]);
        try {
          const part = run(backend, 'BatchMatMul', { a, b: D }, { transposeA: false, transposeB: false });
          view(backend, out).set(view(backend, part).subarray(0, size), (kh * kW + kw) * size);
          backend.disposeData(part.dataId);
        } finally {
          releaseAlias(backend, a);
        }
      }
    }
    return out;
  } catch (e) {
    backend.disposeData(out.dataId);
    throw e;
  } finally {
    t.free();
  }
}

/** A float32 tensor of `shape` over existing heap memory at byte `offset` (freed with {@link releaseAlias}, never `disposeData`). */
function aliasOf(backend: WasmBackend, offset: number, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32', offset);
}

/** Unregisters an alias from {@link aliasOf} without freeing the memory it views. */
function releaseAlias(backend: WasmBackend, a: TensorInfo): void {
  const data = backend.dataIdMap.get(a.dataId);
  if (data == null) return;
  backend.wasm.tfjs.disposeData(data.id);
  backend.dataIdMap.delete(a.dataId);
}
