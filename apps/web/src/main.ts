/**
 * The page: pick the backend, load the demo model (or the user's), then score
 * every dropped photo and video. What was computed is exposed for tests:
 * `[data-testid="p-fake"]` holds each probability as text, and
 * `window.caddmResults` the reports `caddm detect --json` prints (its
 * `results` array, one entry per file, in the order they were dropped).
 */
import './style.css';
import type { ImageReport, VideoReport } from '@caddm/trainer/web';
import { BACKEND_LABEL, pickBackend, type BackendChoice } from './backend.js';
import { loadModelFromFiles, loadModelFromUrl, type PageModel } from './model.js';
import { analyseImage, analyseVideo, decodeImageFile, type Analysed } from './pipeline.js';
import { anchorGrids, drawFace, drawPhoto, frameChart, legend, verdict } from './view.js';

/** What the page exposes for tests and curious users. */
interface CaddmWindow {
  caddmResults: Array<ImageReport | VideoReport | { file: string; error: string }>;
  caddmTimings: { backendMs?: number; modelMs?: number; firstResultMs?: number; frameMs: number[] };
  caddmReady: boolean;
}
const w = window as unknown as Window & CaddmWindow;
w.caddmResults = [];
w.caddmTimings = { frameMs: [] };
w.caddmReady = false;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
let model: PageModel | undefined;
let queue: Promise<void> = Promise.resolve();

function status(text: string, kind: 'info' | 'error' = 'info'): void {
  const s = $('status');
  s.textContent = text;
  s.className = kind;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

function pct(x: unknown): string {
  return typeof x === 'number' ? x.toFixed(2) : '?';
}

interface AucSummary {
  videoAuc?: number;
  videoAucCi95?: [number, number] | null;
  videos?: number;
}

function aucText(m: AucSummary | undefined): string {
  if (m?.videoAuc == null) return '?';
  const ci = m.videoAucCi95 ? ` [${m.videoAucCi95[0].toFixed(2)}, ${m.videoAucCi95[1].toFixed(2)}]` : '';
  return `${m.videoAuc.toFixed(2)}${ci} on ${m.videos ?? '?'} videos`;
}

function showModel(m: PageModel): void {
  const c = m.config;
  $('model-name').textContent = `${c.ablation.adm ? 'CADDM' : 'binary baseline'}, ${c.model.backbone} at width ${c.model.width}, ${c.crop_face.output_size} px${m.info ? `, step ${m.info.source.step + 1}` : ''}`;
  const metrics = m.info?.metrics as { test?: AucSummary; cross?: AucSummary } | null | undefined;
  const measured = metrics?.test
    ? ` Measured on its benchmark: video AUC ${aucText(metrics.test)} (95% intervals)` + (metrics.cross ? `; on unseen people and an unseen manipulation, ${aucText(metrics.cross)}.` : '.')
    : '';
  const demo = m.where.endsWith('models/demo');
  $('model-note').textContent = demo
    ? `Demo model: trained for about six minutes on caddm-ts's synthetic benchmark of procedural faces, not on real deepfakes.${measured} It shows how the method works; it does not detect real-world deepfakes. For that, load a model trained on real data.`
    : `${m.info?.description ?? 'A model'}, loaded from ${m.where}.${measured}`;
  $('model-note').title = m.info?.description ?? '';
}

function showBackend(b: BackendChoice): void {
  $('backend').textContent = `${BACKEND_LABEL[b.name]}${b.forced ? ' (chosen in the URL)' : ''}`;
  $('backend').title = b.skipped.map((s) => `${s.name}: ${s.reason}`).join('\n') || 'the first choice worked';
  $('backend').dataset.backend = b.name;
}

function faceBlock(a: Analysed, k: number): HTMLElement {
  const f = a.faces[k];
  const v = verdict(f.pFake);
  const box = el('div', `face ${v.fake ? 'fake' : 'real'}`);
  const canvas = el('canvas', 'aligned');
  drawFace(canvas, f, model?.priors, ($('heat') as HTMLInputElement).checked);
  const p = el('div', 'score');
  const num = el('span', 'p', f.pFake.toFixed(4));
  num.dataset.testid = 'p-fake';
  p.append(el('span', 'what', `Face ${k + 1}: P(fake) `), num, el('span', `verdict ${v.fake ? 'fake' : 'real'}`, v.text));
  box.append(canvas, p);
  if (f.anchorScores.length && model != null) box.append(legend(), anchorGrids(f.anchorScores, model.config.adm_det.feature_maps));
  return box;
}

function imageCard(name: string, a: Analysed): HTMLElement {
  const card = el('article', 'card');
  card.dataset.file = name;
  card.append(el('h3', undefined, name));
  const photo = el('canvas', 'photo');
  drawPhoto(photo, a.image, a.faces);
  const faces = el('div', 'faces');
  if (a.faces.length === 0) faces.append(el('p', 'note', 'No face found in this image. Try a photo where a face is large and turned towards the camera.'));
  a.faces.forEach((_, k) => faces.append(faceBlock(a, k)));
  card.append(photo, faces, el('p', 'timing', `${a.ms.toFixed(0)} ms on this device`));
  return card;
}

function record(report: ImageReport | VideoReport | { file: string; error: string }): void {
  w.caddmResults.push(report);
  if (w.caddmTimings.firstResultMs == null) w.caddmTimings.firstResultMs = performance.now();
}

async function handleImage(file: File): Promise<void> {
  const image = await decodeImageFile(file).catch((e: unknown) => {
    throw new Error(`${file.name}: the browser cannot decode this image (${(e as Error).message}); try a PNG or JPEG`);
  });
  const a = await analyseImage(model as PageModel, image, file.name);
  w.caddmTimings.frameMs.push(a.ms);
  record(a.report);
  $('results').prepend(imageCard(file.name, a));
}

async function handleVideo(file: File): Promise<void> {
  const n = Math.max(1, Math.min(64, Math.round(Number(($('frames') as HTMLInputElement).value) || 16)));
  const card = el('article', 'card');
  card.dataset.file = file.name;
  card.append(el('h3', undefined, file.name));
  const progress = el('p', 'note', 'Reading frames…');
  card.append(progress);
  $('results').prepend(card);
  const t0 = performance.now();
  const r = await analyseVideo(model as PageModel, file, n, (done, total, frame) => {
    w.caddmTimings.frameMs.push(frame.ms);
    const eta = ((performance.now() - t0) / done) * (total - done);
    progress.textContent = `Frame ${done} of ${total}${done < total ? `, about ${Math.ceil(eta / 1000)} s left` : ''}`;
  });
  record(r.report);
  const scores = r.frames.map((f) => ('faces' in f.report && f.report.faces.length ? Math.max(...f.report.faces.map((x) => x.pFake)) : null));
  const summary = el('div', 'score');
  if (r.report.pFake != null) {
    const v = verdict(r.report.pFake);
    const num = el('span', 'p', r.report.pFake.toFixed(4));
    num.dataset.testid = 'p-fake';
    summary.append(el('span', 'what', `Video P(fake), mean of ${r.report.framesWithFace} frame(s) with a face: `), num, el('span', `verdict ${v.fake ? 'fake' : 'real'}`, v.text));
  } else summary.append(el('span', 'what', 'No face found in any sampled frame.'));
  progress.replaceWith(summary, frameChart(r.times, scores, r.report.pFake));
  // The frame that looks most fake, with its boxes.
  const worst = r.frames.reduce<Analysed | undefined>((best, f) => {
    const s = f.faces.length ? Math.max(...f.faces.map((x) => x.pFake)) : -1;
    const b = best?.faces.length ? Math.max(...best.faces.map((x) => x.pFake)) : -1;
    return s > b ? f : best;
  }, undefined);
  if (worst && worst.faces.length) {
    card.append(el('p', 'note', 'The frame with the highest P(fake):'));
    const photo = el('canvas', 'photo');
    drawPhoto(photo, worst.image, worst.faces);
    const faces = el('div', 'faces');
    worst.faces.forEach((_, k) => {
      const b = faceBlock(worst, k);
      // Only the video's mean is tagged p-fake; this is one frame's score.
      b.querySelector('[data-testid="p-fake"]')?.removeAttribute('data-testid');
      faces.append(b);
    });
    card.append(photo, faces);
  }
}

function handleFiles(files: readonly File[]): void {
  for (const file of files) {
    queue = queue.then(async () => {
      if (model == null) {
        status('The model is not loaded yet.', 'error');
        return;
      }
      status(`Analysing ${file.name}…`);
      try {
        if (file.type.startsWith('video/') || /\.(mp4|webm|mov|mkv|avi|m4v)$/i.test(file.name)) await handleVideo(file);
        else await handleImage(file);
        status(`Done: ${file.name}.`);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        record({ file: file.name, error: msg });
        status(msg.startsWith(file.name) ? msg : `${file.name}: ${msg}`, 'error');
      }
    });
  }
}

async function useModel(load: () => Promise<PageModel>): Promise<void> {
  status('Loading the model…');
  const t0 = performance.now();
  try {
    const m = await load();
    model?.net.dispose();
    model = m;
    w.caddmTimings.modelMs = performance.now() - t0;
    showModel(m);
    status('Ready. Drop a photo or a video.');
  } catch (e) {
    status(`The model could not be loaded: ${e instanceof Error ? e.message : String(e)}`, 'error');
  }
}

async function start(): Promise<void> {
  const t0 = performance.now();
  try {
    showBackend(await pickBackend(params.get('backend')));
  } catch (e) {
    status((e as Error).message, 'error');
    return;
  }
  w.caddmTimings.backendMs = performance.now() - t0;
  await useModel(() => loadModelFromUrl(params.get('model') ?? 'models/demo/'));
  w.caddmReady = model != null;

  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    handleFiles([...(e.dataTransfer?.files ?? [])]);
  });
  $('files').addEventListener('change', (e) => {
    const input = e.target as HTMLInputElement;
    handleFiles([...(input.files ?? [])]);
    input.value = '';
  });
  $('model-folder').addEventListener('change', (e) => {
    const files = [...((e.target as HTMLInputElement).files ?? [])];
    if (files.length) void useModel(() => loadModelFromFiles(files));
  });
  $('model-url-load').addEventListener('click', () => {
    const url = ($('model-url') as HTMLInputElement).value.trim();
    if (url) void useModel(() => loadModelFromUrl(url));
  });
}

void start();
