/**
 * Writes a contact sheet of the embedded benchmark: per row one target identity, its real
 * frame, then the fake of each method (and the held-out HQSwap on the cross part), with the
 * landmarks of the last column drawn. Output: out/datasets/contact-sheet[-photos].png.
 *
 *   node --conditions=@caddm/source --import tsx packages/datasets/scripts/contact-sheet.ts [mini|tiny] [--photos DIR]
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createImage, type ImageU8 } from '@caddm/image';
import { entriesOf, faceApiDetector, generateBenchmark, readFFpp, decodeMediaFrames, type VideoEntry } from '../src/index.js';
import { writePngFile } from '../src/io/read-image.js';

const args = process.argv.slice(2);
const profile = (args.find((a) => a === 'mini' || a === 'tiny') ?? 'mini') as 'mini' | 'tiny';
const pi = args.indexOf('--photos');
const photos = pi >= 0 ? args[pi + 1] : undefined;
const outDir = resolve(import.meta.dirname, '../../../out/datasets');
mkdirSync(outDir, { recursive: true });
const benchDir = join(outDir, `bench-${profile}${photos ? '-photos' : ''}`);
const t0 = performance.now();
const res = await generateBenchmark({
  out: benchDir, seed: 1, profile, format: 'mp4',
  faces: photos ? { identityDir: photos, detector: faceApiDetector({ inputSize: 224 }) } : 'procedural',
});
console.log(`generated ${res.videos} videos in ${((performance.now() - t0) / 1000).toFixed(1)} s (${benchDir})`);
const ff = readFFpp(res.ffppRoot);
const cross = readFFpp(res.crossRoot);
const methods = ['original', 'Deepfakes', 'Face2Face', 'FaceSwap', 'NeuralTextures'];
const rows = 6;
const S = ff.entries[0] ? (await decodeMediaFrames(ff.entries[0].path, 'video', [0])).frames.get(0)!.shape[0] : 64;
const cols = methods.length + 2; // + cross real + cross HQSwap
const sheet = createImage(rows * S, cols * S, 3);
const put = (img: ImageU8, r: number, c: number, lm?: number[]): void => {
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) for (let k = 0; k < 3; k++) sheet.data[((r * S + y) * cols * S + c * S + x) * 3 + k] = img.data[(y * S + x) * 3 + k];
  if (lm) for (let i = 0; i < lm.length; i += 2) {
    const x = Math.round(lm[i]); const y = Math.round(lm[i + 1]);
    if (x >= 0 && y >= 0 && x < S && y < S) sheet.data.set([0, 255, 0], ((r * S + y) * cols * S + c * S + x) * 3);
  }
};
const frame = async (e: VideoEntry): Promise<ImageU8> => (await decodeMediaFrames(e.path, e.format, [1])).frames.get(1)!;
const fakesOf = (ds: typeof ff, target: string, m: string) => ds.entries.find((e) => e.method === m && e.id.split('/')[2].startsWith(`${target}_`));
const reals = entriesOf(ff).filter((e) => e.method === 'original').slice(0, rows);
const creals = entriesOf(cross).filter((e) => e.method === 'original');
for (let r = 0; r < reals.length; r++) {
  const target = reals[r].id.split('/')[2];
  for (let c = 0; c < methods.length; c++) {
    const e = c === 0 ? reals[r] : fakesOf(ff, target, methods[c]);
    if (e) put(await frame(e), r, c);
  }
  const cr = creals[r % creals.length];
  const ct = cr.id.split('/')[2];
  put(await frame(cr), r, methods.length);
  const hq = fakesOf(cross, ct, 'HQSwap');
  if (hq) {
    const { readFileSync } = await import('node:fs');
    const lm = JSON.parse(readFileSync(hq.landmarksPath!, 'utf8')).frames[1] as number[];
    put(await frame(hq), r, methods.length + 1, lm);
  }
}
const file = join(outDir, `contact-sheet-${profile}${photos ? '-photos' : ''}.png`);
writePngFile(file, sheet);
console.log(`columns: ${[...methods, 'cross real', 'cross HQSwap (+landmarks)'].join(' | ')}\nwrote ${file}`);
