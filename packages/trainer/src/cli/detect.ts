import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { IMAGE_EXTENSIONS, VIDEO_EXTENSIONS, decodeVideoFrames, probeVideo, readImageFile, sampleFrameIndices } from '@caddm/datasets';
import { cloneImage, drawLine, drawRect, writeImage, type ImageU8 } from '@caddm/image';
import { detectImage, NoFaceError, type FaceResult } from '../detect/detect.js';
import { faceReport, NO_FACE, videoReport, type ImageReport, type VideoReport as VideoResult } from '../detect/report.js';
import { loadRun, type LoadedRun } from '../run.js';
import { CliError, backend, isTypedError, positiveInt, unitInterval } from './common.js';

interface DetectCliOptions {
  run: string;
  json: boolean;
  out?: string;
  frames: number;
  threshold: number;
  topK: number;
}

const RED = [255, 40, 40];
const GREEN = [40, 220, 80];

/** `caddm detect`: P(fake) and artifact boxes for images, videos or folders. */
export function registerDetect(program: Command): void {
  program
    .command('detect')
    .description(
      'Detect faces in images, videos or folders of them, and give P(fake) per face, per frame and per video (mean over frames), with the artifact box of the ADM after NMS (paper Fig. 6). With --out, writes PNGs with the boxes drawn. Images without a face are reported, not dropped.',
    )
    .argument('<inputs...>', 'image files, video files, or folders')
    .requiredOption('-r, --run <dir>', "run directory written by 'caddm train' (or one of its checkpoints)")
    .option('--json', 'print one JSON document with every result instead of text', false)
    .option('-o, --out <dir>', 'write <name>.png (boxes on the photo) and <name>-face<k>.png (aligned faces) here')
    .option('--frames <n>', 'frames per video at equal intervals', positiveInt('--frames'), 32)
    .option('--threshold <p>', 'artifact boxes need an anchor score of at least this (Fig. 6)', unitInterval('--threshold'), 0.5)
    .option('--top-k <n>', 'artifact boxes kept per face after NMS', positiveInt('--top-k'), 1)
    .action(async (inputs: string[], o: DetectCliOptions) => {
      // Inputs first: a wrong path should not wait for the backend and the model.
      const files = expand(inputs);
      await backend();
      const run = loadRun(o.run);
      try {
        const names = outputNames(files);
        const results: Array<ImageReport | VideoReport> = [];
        for (const [i, f] of files.entries()) {
          const r = VIDEO_EXTENSIONS.includes(extname(f).toLowerCase()) ? await detectVideo(run, f, o, names[i]) : await detectOne(run, f, o, undefined, undefined, names[i]);
          results.push(r);
          if (!o.json) process.stdout.write(describe(r) + '\n');
        }
        if (o.json) process.stdout.write(JSON.stringify({ run: run.runDir, checkpoint: run.checkpoint, results }, null, 2) + '\n');
        // An image without a face is a result; one that could not be read is not.
        const failed = results.filter((r) => 'error' in r && r.error !== NO_FACE).length;
        if (failed === results.length) throw new CliError(`none of the ${results.length} input(s) could be read; see the line${results.length > 1 ? 's' : ''} above`);
      } finally {
        run.net.dispose();
      }
    });
}

function expand(inputs: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of inputs) {
    if (!existsSync(p)) throw new CliError(`${p}: no such file or folder`);
    const st = statSync(p);
    if (!st.isDirectory() && !st.isFile()) throw new CliError(`${p}: not a regular file (a pipe, socket or device); give image or video files or folders`);
    if (st.isDirectory()) {
      const ext = [...IMAGE_EXTENSIONS, ...VIDEO_EXTENSIONS];
      const found = readdirSync(p)
        .filter((n) => ext.includes(extname(n).toLowerCase()))
        .sort()
        .map((n) => join(p, n));
      if (found.length === 0) throw new CliError(`${p}: no images or videos in this folder`);
      out.push(...found);
    } else out.push(p);
  }
  return out;
}

type VideoReport = VideoResult | { file: string; error: string };

/**
 * A distinct output name per input (for `--out`): the file's base name, with
 * as many parent folders prefixed as it takes to tell two inputs apart
 * (`d1/face.jpg`, `d2/face.jpg` -> `d1_face`, `d2_face`), then a counter.
 */
export function outputNames(files: readonly string[]): string[] {
  const parts = files.map((f) => resolve(f).split(/[\\/]/).filter(Boolean));
  const name = (p: string[], depth: number) => {
    const last = p[p.length - 1];
    const stem = last.slice(0, last.length - extname(last).length) || last;
    return [...p.slice(Math.max(0, p.length - 1 - depth), p.length - 1), stem].join('_');
  };
  const out = parts.map((p) => name(p, 0));
  for (let depth = 1; depth < 64; depth++) {
    const seen = new Map<string, number>();
    for (const n of out) seen.set(n, (seen.get(n) ?? 0) + 1);
    const clash = out.map((n) => (seen.get(n) ?? 0) > 1);
    if (!clash.some(Boolean)) return out;
    clash.forEach((c, i) => {
      if (c) out[i] = name(parts[i], depth);
    });
  }
  // Same path given twice: number them.
  const count = new Map<string, number>();
  return out.map((n) => {
    const k = (count.get(n) ?? 0) + 1;
    count.set(n, k);
    return k === 1 ? n : `${n}-${k}`;
  });
}

async function detectOne(run: LoadedRun, file: string, o: DetectCliOptions, image?: ImageU8, tag?: string, outName?: string): Promise<ImageReport> {
  let img = image;
  if (img == null) {
    try {
      // The dataset reader's guards: regular files only, no PNG that claims more than 100 megapixels.
      img = await readImageFile(file);
    } catch (e) {
      const why = (e as Error).message.split('\n')[0].replace(`cannot read image ${file}: `, '');
      return { file, error: `cannot read this image (${why})${/leave it out/.test(why) ? '' : '; check that it opens, or leave it out'}` };
    }
  }
  try {
    const faces = await detectImage(run, img, tag ?? file, { scoreThreshold: o.threshold, topK: o.topK });
    if (o.out) await drawResults(o.out, outName ?? tag ?? basename(file, extname(file)), img, faces);
    return { file: tag ?? file, faces: faces.map(faceReport) };
  } catch (e) {
    if (e instanceof NoFaceError) return { file: tag ?? file, error: NO_FACE };
    throw e;
  }
}

async function detectVideo(run: LoadedRun, file: string, o: DetectCliOptions, outName?: string): Promise<VideoReport> {
  try {
    return await detectVideoFrames(run, file, o, outName);
  } catch (e) {
    if (isTypedError(e)) return { file, error: e.message };
    throw e;
  }
}

async function detectVideoFrames(run: LoadedRun, file: string, o: DetectCliOptions, outName?: string): Promise<VideoResult> {
  const info = await probeVideo(file);
  const idx = sampleFrameIndices(info.frameCount, o.frames);
  const decoded = await decodeVideoFrames(file, idx);
  const frames: ImageReport[] = [];
  for (const [index, image] of decoded.frames) {
    const tag = `${outName ?? basename(file, extname(file))}-frame${String(index).padStart(5, '0')}`;
    frames.push(await detectOne(run, file, o, image, tag, tag));
  }
  for (const index of decoded.missing) frames.push({ file: `${file}#${index}`, error: `frame ${index} could not be decoded${decoded.error ? `: ${decoded.error}` : ''}` });
  return videoReport(file, frames);
}

async function drawResults(outDir: string, name: string, img: ImageU8, faces: readonly FaceResult[]): Promise<void> {
  mkdirSync(resolve(outDir), { recursive: true });
  const copy = cloneImage(img);
  for (const [k, f] of faces.entries()) {
    const color = f.pFake >= 0.5 ? RED : GREEN;
    drawRect(copy, { x0: f.box.x, y0: f.box.y, x1: f.box.x + f.box.width, y1: f.box.y + f.box.height }, color, 2);
    for (const q of f.artifactQuads) for (let i = 0; i < 4; i++) drawLine(copy, q[i][0], q[i][1], q[(i + 1) % 4][0], q[(i + 1) % 4][1], RED);
    const face = f.aligned;
    for (const a of f.artifacts) drawRect(face, a, RED, 2);
    await writeImage(join(outDir, `${name}-face${k}.png`), face);
  }
  await writeImage(join(outDir, `${name}.png`), copy);
}

function describe(r: ImageReport | VideoReport): string {
  if ('error' in r) return `${r.file}: ${r.error}`;
  if ('frames' in r) {
    // Frames the decoder could not give are reported as `<file>#<index>` (frames without a face are not lost).
    const lost = r.frames.filter((f) => 'error' in f && f.file.startsWith(`${r.file}#`)) as Array<{ file: string; error: string }>;
    const missing = lost.length ? `; ${lost.length} of ${r.frames.length} sampled frame(s) could not be decoded (frames ${lost.map((f) => f.file.slice(r.file.length + 1)).join(', ')}): ${lost[0].error}` : '';
    return `${r.file}: video P(fake) ${r.pFake ?? 'n/a'} over ${r.framesWithFace} frame(s) with a face${missing}`;
  }
  return r.faces
    .map((f, k) => `${r.file} face ${k}: P(fake) ${f.pFake}${f.artifacts.length ? `, artifact box [${[f.artifacts[0].x0, f.artifacts[0].y0, f.artifacts[0].x1, f.artifacts[0].y1].join(', ')}] score ${f.artifacts[0].score}` : ''}`)
    .join('\n');
}
