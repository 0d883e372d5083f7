// Runs in a folder where the packed light packages were installed from their tarballs, outside the
// workspace: each package's README example on synthetic data. Prints one line per package; exits 1 on
// the first failure.
import { createImage, createRng } from '@caddm/image';
import { dssimMap, ssim } from '@caddm/ssim';
import { align5p, templateLandmarks, withForehead, sampleAlignJitter } from '@caddm/face';
import { MfsSampler, slidingWindow } from '@caddm/mfs';
import { priorBoxes, matchAnchors, decodeBoxes, nms } from '@caddm/anchors';
import { rocAuc, videoAuc, delongPaired, barChart, tsne } from '@caddm/metrics';

const ok = (name, detail) => process.stdout.write(`ok ${name}: ${detail}\n`);

// @caddm/image and @caddm/ssim: a DSSIM map between two synthetic faces.
const rng = createRng(7);
const face = (shift) => {
  const img = createImage(224, 224, 3);
  for (let y = 0; y < 224; y++) for (let x = 0; x < 224; x++) for (let c = 0; c < 3; c++) img.set(y, x, c, (x * (c + 1) + y * 2 + shift * ((x * y) % 7)) % 256);
  return img;
};
const fake = face(3);
const source = face(0);
const d = dssimMap(fake, source);
ok('@caddm/image + @caddm/ssim', `dssim map ${d.shape.join('x')}, mean ssim ${ssim(fake, source).toFixed(3)}`);

// @caddm/face: alignment of a template face, with the training jitter and the forehead arc.
const lm = templateLandmarks(112, 110, 100, 0);
const aligned = align5p(source, lm, sampleAlignJitter(rng));
ok('@caddm/face', `aligned ${aligned.image.shape.join('x')}, ${withForehead(aligned.landmarks).length / 2} hull points`);

// @caddm/mfs: the window of largest DSSIM (Eq. 2), then one MFS training sample.
const win = slidingWindow(d, [40, 80]);
const s = new MfsSampler().sample({ frame: fake, source, landmarks: lm, label: 1 }, createRng(7));
ok('@caddm/mfs', `window (${win.x0}, ${win.y0})-(${win.x1}, ${win.y1}); sample ${s.accepted ? `accepted, ${s.boxes.length} box(es)` : `rejected (${s.reason})`}`);

// @caddm/anchors: priors, matching and decoding.
const priors = priorBoxes();
const { conf } = matchAnchors([{ x0: 0, y0: 0, x1: 1, y1: 1 }], priors);
const boxes = decodeBoxes(new Float32Array(priors.count * 4), priors);
const keep = nms(boxes, Float32Array.from({ length: priors.count }, (_, i) => i / priors.count), { iouThreshold: 0.5, topK: 10 });
ok('@caddm/anchors', `${priors.count} priors, ${conf.reduce((a, b) => a + (b > 0 ? 1 : 0), 0)} positive, ${keep.length} kept by NMS`);

// @caddm/metrics (main entry, no tfjs): AUCs, DeLong, t-SNE and a chart.
const labels = [0, 0, 1, 1, 0, 1];
const a = [0.1, 0.4, 0.35, 0.8, 0.2, 0.9];
const b = [0.2, 0.3, 0.6, 0.7, 0.1, 0.4];
const va = videoAuc(labels, a, ['v1', 'v1', 'v2', 'v2', 'v3', 'v4']);
const t = tsne(Array.from({ length: 12 }, (_, i) => [i % 3, i * 0.1, (i * 7) % 5]), { perplexity: 3 });
const svg = barChart({ title: 'AUC', categories: ['a', 'b'], series: [{ name: 'x', values: [rocAuc(labels, a), rocAuc(labels, b)] }] });
ok('@caddm/metrics', `AUC ${rocAuc(labels, a).toFixed(3)}, video AUC ${va.auc.toFixed(3)}, DeLong diff ${delongPaired(labels, a, b).diff.toFixed(3)}, t-SNE ${t.n} points, chart ${svg.startsWith('<svg') ? 'drawn' : 'not SVG'}`);
