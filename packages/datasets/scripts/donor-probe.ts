/**
 * Prints the donor-identity figure of the embedded benchmark's README: where a nearest-
 * centroid identity probe puts each swap's inner and outer face (see donor-probe.ts).
 *
 *   node --conditions=@caddm/source --import tsx packages/datasets/scripts/donor-probe.ts [identities] [frames] [seed]
 */
import { deepfakes, donorIdentityProbe, face2face, faceSwap, hqSwap, neuralTextures } from '../src/index.js';

const [identities = 40, frames = 4, seed = 0] = process.argv.slice(2).map(Number);
const t0 = performance.now();
const r = donorIdentityProbe({ seed, identities, frames, methods: [faceSwap, deepfakes, hqSwap, face2face, neuralTextures] });
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`${r.identities} identities (chance ${pct(r.chance)}), ${r.frames} frames per condition, seed ${seed}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
console.log(`real frames, other scene: inner face -> same person ${pct(r.realOtherScene.inner)}, outer face ${pct(r.realOtherScene.outer)}\n`);
console.log('| method | inner -> donor | inner -> target | inner nearer donor than target | outer -> donor | outer -> target | outer nearer donor than target |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const m of r.methods) {
  console.log(`| ${m.name} | ${pct(m.inner.donor)} | ${pct(m.inner.target)} | ${pct(m.inner.donorOverTarget)} | ${pct(m.outer.donor)} | ${pct(m.outer.target)} | ${pct(m.outer.donorOverTarget)} |`);
}
