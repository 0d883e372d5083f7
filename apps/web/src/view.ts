/** Drawing: the photo with its boxes, the aligned face with its heat map, the per-frame chart. */
import { toRGBA, type ImageU8 } from '@caddm/image';
import type { FaceResult } from '@caddm/trainer/web';
import type { Priors } from '@caddm/anchors';

const RED = '#e0242a';
const GREEN = '#1f9d55';

/** The verdict words for a probability (0.5 is the model's decision threshold). */
export function verdict(p: number): { text: string; fake: boolean } {
  return p >= 0.5 ? { text: 'likely fake', fake: true } : { text: 'likely real', fake: false };
}

function putImage(canvas: HTMLCanvasElement, image: ImageU8): CanvasRenderingContext2D {
  const [h, w] = image.shape;
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.putImageData(new ImageData(new Uint8ClampedArray(toRGBA(image).buffer as ArrayBuffer), w, h), 0, 0);
  return ctx;
}

/** The photo with each face's box (green real, red fake) and its artifact boxes (red quadrilaterals). */
export function drawPhoto(canvas: HTMLCanvasElement, image: ImageU8, faces: readonly FaceResult[]): void {
  const ctx = putImage(canvas, image);
  const lw = Math.max(2, Math.round(Math.max(canvas.width, canvas.height) / 300));
  for (const f of faces) {
    ctx.lineWidth = lw;
    ctx.strokeStyle = verdict(f.pFake).fake ? RED : GREEN;
    ctx.strokeRect(f.box.x, f.box.y, f.box.width, f.box.height);
    ctx.strokeStyle = RED;
    // As in the paper's Fig. 6, artifact boxes are shown for faces judged fake only.
    for (const q of verdict(f.pFake).fake ? f.artifactQuads : []) {
      ctx.beginPath();
      q.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      ctx.closePath();
      ctx.stroke();
    }
  }
}

/** A perceptual colour ramp (dark blue, teal, yellow, red) for scores in [0, 1]. */
function ramp(v: number): [number, number, number] {
  const stops: Array<[number, number, number]> = [
    [30, 40, 120],
    [20, 150, 150],
    [250, 220, 40],
    [220, 30, 30],
  ];
  const x = Math.min(1, Math.max(0, v)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const t = x - i;
  return [0, 1, 2].map((k) => Math.round(stops[i][k] + t * (stops[i + 1][k] - stops[i][k]))) as [number, number, number];
}

/**
 * The aligned face the model saw, scaled up, with the anchors' P(artifact) as
 * a heat map (each pixel shows the highest score among the anchors that cover
 * it; anchors that span the whole face are left out, since they cover every
 * pixel: {@link anchorGrids} shows them) and the artifact boxes after NMS.
 */
export function drawFace(canvas: HTMLCanvasElement, face: FaceResult, priors: Priors | undefined, heat: boolean, scale = 2): void {
  const [h, w] = face.aligned.shape;
  const src = document.createElement('canvas');
  putImage(src, face.aligned);
  canvas.width = w * scale;
  canvas.height = h * scale;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(src, 0, 0, canvas.width, canvas.height);
  if (heat && priors != null && face.anchorScores.length === priors.count) {
    const map = new Float32Array(w * h);
    for (let a = 0; a < priors.count; a++) {
      const [cx, cy, bw, bh] = priors.data.subarray(4 * a, 4 * a + 4);
      if (bw * bh >= 0.9) continue;
      const x0 = Math.max(0, Math.floor((cx - bw / 2) * w));
      const x1 = Math.min(w, Math.ceil((cx + bw / 2) * w));
      const y0 = Math.max(0, Math.floor((cy - bh / 2) * h));
      const y1 = Math.min(h, Math.ceil((cy + bh / 2) * h));
      const s = face.anchorScores[a];
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (s > map[y * w + x]) map[y * w + x] = s;
    }
    const overlay = new ImageData(w, h);
    for (let i = 0; i < w * h; i++) {
      const [r, g, b] = ramp(map[i]);
      overlay.data.set([r, g, b, 110], 4 * i);
    }
    const o = document.createElement('canvas');
    o.width = w;
    o.height = h;
    (o.getContext('2d') as CanvasRenderingContext2D).putImageData(overlay, 0, 0);
    ctx.drawImage(o, 0, 0, canvas.width, canvas.height);
  }
  ctx.lineWidth = 2;
  ctx.strokeStyle = RED;
  for (const b of verdict(face.pFake).fake ? face.artifacts : []) ctx.strokeRect(b.x0 * scale, b.y0 * scale, (b.x1 - b.x0) * scale, (b.y1 - b.y0) * scale);
}

/**
 * Every anchor's P(artifact), one small grid per detection map (finest first):
 * a cell shows the higher score of its two anchors. `featureMaps` are the
 * config's `adm_det.feature_maps`, in prior order.
 */
export function anchorGrids(scores: Float32Array, featureMaps: readonly number[], cell = 10): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'grids';
  wrap.title = 'P(artifact) of every anchor, one grid per detection map';
  let at = 0;
  for (const f of featureMaps) {
    const c = document.createElement('canvas');
    const side = Math.max(f * cell, 28);
    c.width = side;
    c.height = side;
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    const px = side / f;
    for (let i = 0; i < f; i++) {
      for (let j = 0; j < f; j++) {
        const k = at + 2 * (i * f + j);
        ctx.fillStyle = `rgb(${ramp(Math.max(scores[k] ?? 0, scores[k + 1] ?? 0)).join(',')})`;
        ctx.fillRect(j * px, i * px, Math.ceil(px), Math.ceil(px));
      }
    }
    at += 2 * f * f;
    const fig = document.createElement('figure');
    fig.append(c);
    const cap = document.createElement('figcaption');
    cap.textContent = `${f}×${f}`;
    fig.append(cap);
    wrap.append(fig);
  }
  return wrap;
}

/** The heat map's legend (a horizontal ramp from 0 to 1). */
export function legend(): HTMLElement {
  const el = document.createElement('div');
  el.className = 'legend';
  const stops = [0, 0.25, 0.5, 0.75, 1].map((v) => `rgb(${ramp(v).join(',')}) ${v * 100}%`).join(', ');
  el.innerHTML = `<span>0</span><i style="background: linear-gradient(90deg, ${stops})"></i><span>1</span>`;
  el.title = 'P(artifact) of the anchors covering each pixel';
  return el;
}

/** P(fake) of each sampled frame as a small SVG line chart, with the 0.5 line and the mean. */
export function frameChart(times: readonly number[], scores: ReadonlyArray<number | null>, mean: number | null): SVGSVGElement {
  const W = 360;
  const H = 120;
  const pad = 28;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  const tMax = Math.max(1e-6, times[times.length - 1] ?? 1);
  const X = (t: number) => pad + ((W - pad - 8) * t) / tMax;
  const Y = (p: number) => 8 + (H - pad - 8) * (1 - p);
  const add = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text != null) e.textContent = text;
    svg.appendChild(e);
    return e;
  };
  add('line', { x1: pad, x2: W - 8, y1: Y(0.5), y2: Y(0.5), class: 'threshold' });
  for (const p of [0, 0.5, 1]) add('text', { x: pad - 4, y: Y(p) + 4, class: 'tick', 'text-anchor': 'end' }, String(p));
  add('text', { x: W / 2, y: H - 4, class: 'tick', 'text-anchor': 'middle' }, 'seconds into the video');
  add('text', { x: pad, y: H - 4, class: 'tick', 'text-anchor': 'middle' }, '0');
  add('text', { x: W - 8, y: H - 4, class: 'tick', 'text-anchor': 'end' }, tMax.toFixed(1));
  if (mean != null) add('line', { x1: pad, x2: W - 8, y1: Y(mean), y2: Y(mean), class: 'mean' });
  const pts = times.flatMap((t, i) => (scores[i] != null ? [`${X(t).toFixed(1)},${Y(scores[i] as number).toFixed(1)}`] : []));
  if (pts.length > 1) add('polyline', { points: pts.join(' '), class: 'series' });
  times.forEach((t, i) => {
    const s = scores[i];
    if (s != null) add('circle', { cx: X(t), cy: Y(s), r: 3, class: verdict(s).fake ? 'dot fake' : 'dot real' });
  });
  return svg;
}
