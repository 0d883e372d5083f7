// Demo of @caddm/metrics: writes ROC, t-SNE, probe and bar charts (SVG + PNG).
// Build first (`npx tsc -b packages/metrics` from the repo root), then:
//   node packages/metrics/examples/demo.mjs [output-folder]
// Default output: <repo>/out/metrics-demo/ (git-ignored).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { initBackend } from '@caddm/tf';
import {
  barChart,
  knnAgreement,
  linearProbe,
  probeChart,
  rocAuc,
  rocChart,
  seededRng,
  tsne,
  tsneChart,
  videoAuc,
  writeChart,
} from '@caddm/metrics';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const outDir = process.argv[2] ?? join(repo, 'out', 'metrics-demo');
const rng = seededRng(7);

// 1. ROC: the golden fixture's frame and video scores when ../shared is there, else synthetic scores.
const goldenPath = join(repo, '..', 'shared', 'golden', 'auc.json');
let curves;
if (existsSync(goldenPath)) {
  const g = JSON.parse(readFileSync(goldenPath, 'utf8'));
  const v = videoAuc(g.video_labels, g.scores, g.videos);
  curves = [
    { name: 'frames (golden)', labels: g.labels, scores: g.scores },
    { name: 'videos (golden)', labels: v.videos.map((x) => x.label), scores: v.videos.map((x) => x.score) },
  ];
} else {
  const labels = Array.from({ length: 400 }, (_, i) => i % 2);
  curves = [
    { name: 'good model', labels, scores: labels.map((l) => rng.normal() + 1.5 * l) },
    { name: 'weak model', labels, scores: labels.map((l) => rng.normal() + 0.4 * l) },
  ];
}
const roc = await writeChart(join(outDir, 'roc'), rocChart(curves, { title: 'ROC curves' }));
console.log(`ROC: ${curves.map((c) => `${c.name} AUC ${rocAuc(c.labels, c.scores).toFixed(4)}`).join(', ')} -> ${roc.png}`);

// 2. t-SNE as in the paper's Fig. 5: 100 images of 10 identities, features that carry identity
//    strongly and real/fake weakly (what a binary classifier that leaks identity would give).
const dim = 64;
const centres = Array.from({ length: 10 }, () => Array.from({ length: dim }, () => 2.5 * rng.normal()));
const fakeDir = Array.from({ length: dim }, () => rng.normal());
const rows = [];
const identities = [];
const classes = [];
for (let i = 0; i < 100; i++) {
  const id = i % 10;
  const fake = Math.floor(i / 10) % 2;
  rows.push(centres[id].map((c, j) => c + 0.6 * fake * fakeDir[j] + rng.normal()));
  identities.push(`id ${id}`);
  classes.push(fake);
}
const t = tsne(rows, { perplexity: 15, seed: 1 });
const agree = knnAgreement(t.embedding, identities, 5, 2);
const tsnePaths = await writeChart(
  join(outDir, 'tsne'),
  tsneChart({ embedding: t.embedding, identities, classes }, { title: `t-SNE: identity kNN agreement ${(100 * agree).toFixed(0)}%` }),
);
console.log(`t-SNE: KL ${t.kl.toFixed(3)}, 5-NN identity agreement ${agree.toFixed(3)} -> ${tsnePaths.png}`);

// 3. Identity linear probe on the same kind of features: strong vs weak identity signal.
await initBackend({ prefer: 'cpu', quiet: true });
function split(strength) {
  const make = (count) => {
    const features = [];
    const labels = [];
    for (let k = 0; k < count; k++)
      for (let id = 0; id < 10; id++) {
        features.push(centres[id].map((c) => strength * c + 2 * rng.normal()));
        labels.push(id);
      }
    return { features, labels };
  };
  return [make(20), make(10)];
}
const strong = await linearProbe(...split(1), { epochs: 40, learningRate: 0.003, seed: 1 });
const weak = await linearProbe(...split(0.15), { epochs: 40, learningRate: 0.003, seed: 1 });
const probe = await writeChart(
  join(outDir, 'probe'),
  probeChart([
    { name: 'identity-leaking', result: strong },
    { name: 'identity-unaware', result: weak },
  ]),
);
console.log(`probe: test accuracy ${strong.testAccuracy.at(-1)?.toFixed(3)} vs ${weak.testAccuracy.at(-1)?.toFixed(3)} -> ${probe.png}`);

// 4. A report bar chart: the paper's Table 1 (AUC of I([N]), %).
const bars = await writeChart(
  join(outDir, 'table1'),
  barChart({
    title: 'Paper Table 1: frame AUC of I([N])',
    categories: ['ResNet-18', 'ResNet-34', 'ResNet-50', 'Xception', 'EfficientNet-b3'],
    series: [
      { name: 'FF++', values: [81.53, 89.77, 99.58, 97.32, 94.87] },
      { name: 'Celeb-DF', values: [46.88, 47.22, 49.47, 47.23, 44.43] },
    ],
    yLabel: 'AUC (%)',
    yDomain: [0, 100],
    valueLabels: true,
    referenceLine: { y: 50, label: 'chance' },
  }),
);
console.log(`bars -> ${bars.png}`);
