import { MetricsInputError } from '../errors.js';
import type { ProbeResult } from '../probe-result.js';
import { rocAuc, rocCurve } from '../roc.js';
import type { BinaryLabels, Scores } from '../validate.js';
import { lineChart, scatterChart, type ChartBase, type LineSeries } from './charts.js';
import { PALETTE } from './svg.js';

/** One curve of {@link rocChart}: raw labels and scores, or a computed curve. */
export type RocInput =
  | { readonly name: string; readonly labels: BinaryLabels; readonly scores: Scores; readonly color?: string }
  | { readonly name: string; readonly fpr: ArrayLike<number>; readonly tpr: ArrayLike<number>; readonly auc?: number; readonly color?: string };

/**
 * ROC curves with the chance diagonal; legend entries read
 * `name (AUC 0.9876)`.
 */
export function rocChart(curves: readonly RocInput[], base: ChartBase = {}): string {
  const series: LineSeries[] = curves.map((c, k) => {
    let fpr: ArrayLike<number>;
    let tpr: ArrayLike<number>;
    let auc: number | undefined;
    if ('labels' in c) {
      const r = rocCurve(c.labels, c.scores);
      fpr = r.fpr;
      tpr = r.tpr;
      auc = rocAuc(c.labels, c.scores);
    } else {
      fpr = c.fpr;
      tpr = c.tpr;
      auc = c.auc;
    }
    return {
      name: auc === undefined ? c.name : `${c.name} (AUC ${auc.toFixed(4)})`,
      x: fpr,
      y: tpr,
      color: c.color ?? PALETTE[k % PALETTE.length],
    };
  });
  return lineChart({
    title: 'ROC',
    xLabel: 'False positive rate',
    yLabel: 'True positive rate',
    legend: 'bottom-right',
    width: 560,
    height: 500,
    ...base,
    series,
    xDomain: [0, 1],
    yDomain: [0, 1],
    diagonal: true,
  });
}

/**
 * Identity linear-probe curves (paper Fig. 2, 5b/5d): accuracy per epoch,
 * training solid, test dashed, one colour per run.
 */
export function probeChart(runs: readonly { readonly name: string; readonly result: ProbeResult; readonly color?: string }[], base: ChartBase = {}): string {
  if (runs.length === 0) throw new MetricsInputError('empty', 'probeChart: no runs');
  const series: LineSeries[] = [];
  runs.forEach((run, k) => {
    const color = run.color ?? PALETTE[k % PALETTE.length];
    const x = run.result.epochs.map((e) => e.epoch);
    series.push({ name: `${run.name} train`, x, y: run.result.trainAccuracy, color });
    series.push({ name: `${run.name} test`, x, y: run.result.testAccuracy, color, dashed: true });
  });
  return lineChart({
    title: 'Identity linear probe',
    xLabel: 'Epoch',
    yLabel: 'Identity accuracy',
    ...base,
    series,
    yDomain: [0, 1],
  });
}

/** Input of {@link tsneChart}. */
export interface TsneChartInput {
  /** Row-major `n x 2` coordinates (e.g. `tsne(...).embedding`). */
  readonly embedding: ArrayLike<number>;
  /** Identity of each point, drawn as marker shape. */
  readonly identities: ArrayLike<string | number>;
  /** Real/fake of each point, drawn as colour: 0/1 (1 = fake) or any names. */
  readonly classes?: ArrayLike<string | number | boolean>;
}

/**
 * A t-SNE map as in the paper's Fig. 5: identity as marker shape, real/fake
 * as colour, equal aspect, no ticks.
 */
export function tsneChart(input: TsneChartInput, base: ChartBase = {}): string {
  const n = input.embedding.length / 2;
  if (!Number.isInteger(n)) throw new MetricsInputError('bad-shape', `tsneChart: embedding has ${input.embedding.length} values, not n x 2`);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = input.embedding[2 * i];
    y[i] = input.embedding[2 * i + 1];
  }
  const classes = input.classes
    ? Array.from({ length: input.classes.length }, (_, i) => {
        const c = input.classes?.[i];
        return c === 1 || c === true ? 'fake' : c === 0 || c === false ? 'real' : String(c);
      })
    : undefined;
  return scatterChart({
    title: 't-SNE of features',
    width: 640,
    height: 520,
    ...base,
    x,
    y,
    shapeBy: input.identities,
    shapeTitle: 'identity',
    colorBy: classes,
    colorTitle: 'class',
    axes: false,
    equalAspect: true,
  });
}
