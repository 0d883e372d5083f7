// Demo of @caddm/perturb: one LFW face under every perturbation type (rows: CS, CC, BW, GNC,
// GB, JPEG/pixel, VC) and level (columns: original, levels 1..5), written as one PNG grid.
//
//   node --conditions=@caddm/source --import tsx packages/perturb/examples/demo.ts [face.jpg] [out-folder]
//
// (or `pnpm --filter @caddm/perturb demo`). Default face: the first image of ../shared/faces/lfw;
// default output: <repo>/out/perturb/ (git-ignored). The perturbations act on whole frames, and
// the block count depends on the frame size (none under 256 pixels), so the 250×250 face is
// first enlarged to a 512×512 "frame"; each cell is that frame after the perturbation, shrunk
// back to 256×256 for the grid.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createImage, createRng, readImage, resize, writeImage, type ImageU8 } from '@caddm/image';
import { PERTURBATIONS, PERTURBATION_TYPES, compressFrames, findFfmpeg, perturb } from '@caddm/perturb';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function firstLfwFace(): string {
  const root = join(repo, '..', 'shared', 'faces', 'lfw');
  if (!existsSync(root)) throw new Error(`no face given and ${root} is missing: pass a face image path`);
  const person = readdirSync(root).sort()[0];
  const file = readdirSync(join(root, person)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()[0];
  return join(root, person, file);
}

const facePath = process.argv[2] ?? firstLfwFace();
const outDir = process.argv[3] ?? join(repo, 'out', 'perturb');
const FRAME = 512;
const CELL = 256;
const GAP = 4;

const face = await readImage(facePath);
const frame = resize(face, FRAME, FRAME);
const hasFfmpeg = findFfmpeg() !== undefined;
if (!hasFfmpeg) console.warn('no ffmpeg: the VC row stays black (apt-get install -y ffmpeg)');

const cols = 6;
const rows = PERTURBATION_TYPES.length;
const grid = createImage(rows * CELL + (rows - 1) * GAP, cols * CELL + (cols - 1) * GAP, 3);
grid.data.fill(255);

function place(img: ImageU8, row: number, col: number): void {
  const cell = resize(img, CELL, CELL, { interpolation: 'area' });
  const w = grid.shape[1];
  for (let y = 0; y < CELL; y++) {
    const o = ((row * (CELL + GAP) + y) * w + col * (CELL + GAP)) * 3;
    grid.data.set(cell.data.subarray(y * CELL * 3, (y + 1) * CELL * 3), o);
  }
}

const legend: string[] = [`face: ${facePath}`, `frame: ${FRAME}x${FRAME}, cells ${CELL}x${CELL}; columns: original, levels 1..5`];
for (const [row, code] of PERTURBATION_TYPES.entries()) {
  const info = PERTURBATIONS[code];
  place(frame, row, 0);
  const rng = createRng(2023);
  for (let level = 1; level <= 5; level++) {
    let out: ImageU8;
    if (code === 'VC') {
      out = hasFfmpeg ? (await compressFrames([frame], info.params[level - 1]))[0] : createImage(FRAME, FRAME, 3);
    } else {
      out = perturb(frame, { type: code, level }, rng);
    }
    place(out, row, level);
  }
  legend.push(`row ${row + 1}: ${code} (${info.column}, ${info.name}): ${info.parameter} = ${info.params.join(', ')}`);
}

mkdirSync(outDir, { recursive: true });
const png = join(outDir, 'grid.png');
await writeImage(png, grid);
writeFileSync(join(outDir, 'grid.txt'), `${legend.join('\n')}\n`);
console.log(legend.join('\n'));
console.log(`wrote ${png}`);
