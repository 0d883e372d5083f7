import { preprocess, readFFpp, sidecarDetector, FrameLoader } from '/work/main/packages/datasets/src/index.ts';
const root = '/work/main/out/datasets/bench-mini/ffpp';
const cache = '/work/main/out/datasets/cache-mini';
let t = performance.now();
const s = await preprocess(readFFpp(root), { out: cache, frames: 32, detector: sidecarDetector(), progress: false });
console.log(`preprocess: ${s.processed} videos, ${s.framesSaved} frames in ${((performance.now() - t) / 1000).toFixed(1)} s (resumed ${s.resumed})`);
for (const workers of [0, 2]) {
  const L = FrameLoader.open({ cache, split: 'train', batchSize: 32, canvasSize: 224, seed: 1, workers });
  t = performance.now();
  let n = 0;
  for await (const b of L.epoch(0)) { n += b.labels.length; if (n >= 320) break; }
  const dt = (performance.now() - t) / 1000;
  console.log(`loader workers=${workers}: ${n} samples in ${dt.toFixed(1)} s = ${(n / dt).toFixed(1)} samples/s`);
  await L.close();
}
process.exit(0);
