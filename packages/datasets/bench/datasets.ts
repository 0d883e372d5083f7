/**
 * Benchmarks of `@caddm/datasets`: the per-sample costs of the training data path at the
 * reference's 224-pixel canvas (augmentations, JPEG artefacts, a full real / fake sample
 * with alignment, MFS and augmentation), PNG cache IO, and the procedural renderer.
 * `../shared/bench/baseline.py` has no figure for these.
 */
import { createRng, wrapImage, type ImageU8 } from '@caddm/image';
import {
  augment,
  decodePng,
  encodePng,
  faceSwap,
  jpegArtifacts,
  prepareSample,
  renderFace,
  sampleIdentity,
  sampleScene,
  type SampleSpec,
} from '../src/index.js';

async function median(fn: () => unknown, runs: number, warmup = 3): Promise<{ ms: number; runs: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  const m = t.length >> 1;
  return { ms: t.length % 2 ? t[m] : (t[m - 1] + t[m]) / 2, runs };
}

function toU8(data: Float32Array, s: number): ImageU8 {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(data[i])));
  return wrapImage(out, s, s, 3);
}

/** Runs the figures. */
export async function bench(): Promise<Array<{ name: string; ms: number; runs: number; baseline?: string }>> {
  const rng = createRng(1);
  const S = 320;
  const pose = { yaw: 0.1, pitch: 0, roll: 0.05, scale: S * 0.22, cx: S / 2, cy: S * 0.45 };
  const ex = { open: 0.05, smile: 0.02, brow: 0, blink: 0, gazeX: 0 };
  const a = sampleIdentity(rng, 1);
  const b = sampleIdentity(rng, 2);
  const scene = sampleScene(rng, S, S);
  const ra = renderFace(a, ex, pose, scene);
  const rb = renderFace(b, ex, { ...pose, yaw: -0.1 }, scene);
  const fake = faceSwap.apply({ canvas: ra.canvas, landmarks: ra.landmarks }, { canvas: rb.canvas, landmarks: rb.landmarks }, rng);
  const real = toU8(ra.canvas.data, S);
  const fk = toU8(fake.canvas.data, S);
  const lm = Array.from(ra.landmarks);
  const canvas224 = (await prepareSample({ id: 'r', frame: 0, label: 0, file: '', landmarks: lm }, real, undefined, createRng(2), { canvasSize: 224, training: false })).image;
  const out: Array<{ name: string; ms: number; runs: number }> = [];
  const add = async (name: string, fn: () => unknown, runs: number): Promise<void> => {
    out.push({ name, ...(await median(fn, runs)) });
  };
  let k = 0;
  await add('datasets_augment_224', () => augment(canvas224, [[0, 0, 224, 224]], createRng(k++)), 41);
  await add('datasets_jpeg_artifacts_224', () => jpegArtifacts(canvas224, 40), 31);
  const fakeSpec: SampleSpec = { id: 'f', frame: 0, label: 1, file: '', landmarks: lm };
  await add('datasets_sample_fake_224', () => prepareSample(fakeSpec, fk, real, createRng(k++), { canvasSize: 224 }), 31);
  await add('datasets_sample_real_224', () => prepareSample({ ...fakeSpec, label: 0 }, real, undefined, createRng(k++), { canvasSize: 224 }), 31);
  const png = encodePng(real);
  await add('datasets_png_encode_320', () => encodePng(real), 21);
  await add('datasets_png_decode_320', () => decodePng(png), 21);
  await add('datasets_render_face_128', () => renderFace(a, ex, { ...pose, scale: 128 * 0.22, cx: 64, cy: 58 }, { ...scene, width: 128, height: 128 }), 21);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await bench()) console.log(JSON.stringify(r));
}
