import { join } from 'node:path';
import { loadManifest, readSplitFile, type ManifestVideo, type Split } from '@caddm/datasets';
import { barChart, writeChart, type VideoScore } from '@caddm/metrics';
import { deepMerge, type CaddmConfig, type CaddmConfigInput } from '@caddm/trainer';
import { TABLE5_DATASETS, TABLE5_METHODS } from '../paper.js';
import { dealPairs, videoName, writeCacheView, type CacheView } from '../protocol/cache-view.js';
import { cacheRoot, embeddedExperimentData, identityLookup, type CrossTest, type ExperimentData, type TrainData } from '../protocol/data.js';
import { BINARY, OURS } from '../protocol/ours.js';
import { comparePairedOrNaN, formatIdentityInterval, formatInterval, identityOfFfppVideo, versusChance, type PairedComparison } from '../protocol/stats.js';
import { cacheSplits, paperExperimentData, PaperInputError, type PaperTrainData } from '../protocol/paper-data.js';
import { beside, cell, markdownTable } from '../protocol/table.js';
import { trainVariant, variantConfig, type VariantResult } from '../protocol/train.js';
import type { EmbeddedData } from '@caddm/trainer';
import type { Experiment, ExperimentContext, ExperimentResult } from '../types.js';

/** The four in-domain manipulation methods: FF++ folder names (the embedded benchmark uses the same) and the paper's column names. */
export const TABLE5_FFPP_METHODS = [
  { folder: 'Deepfakes', short: 'DF' },
  { folder: 'Face2Face', short: 'F2F' },
  { folder: 'FaceSwap', short: 'FS' },
  { folder: 'NeuralTextures', short: 'NT' },
] as const;

/** The two models of every row pair: the binary classifier (backbone + linear, no DA, MFS or ADM) and ours (DA + MFS + ADM). */
export const TABLE5_MODELS = {
  binary: BINARY.overrides,
  ours: OURS.overrides,
} as const satisfies Record<string, CaddmConfigInput>;

/** Which of the two models. */
export type Table5Model = keyof typeof TABLE5_MODELS;

/** Share of the cross tree's identity pairs used to train the cross-trained models (the rest is its test part). */
export const CROSS_TRAIN_FRACTION = 0.5;

/** What a test video is, by cache video id: its label and manipulation method (`original` for genuine videos). */
export type VideoKinds = ReadonlyMap<string, { readonly label: 0 | 1; readonly method: string }>;

/** The label and method of every video of a preprocessing cache's `split`, from its manifest. */
export function videoKinds(cache: string, split: Split): VideoKinds {
  const kinds = new Map<string, { label: 0 | 1; method: string }>();
  for (const v of loadManifest(join(cache, 'manifest.jsonl')).videos.values()) {
    if (v.split === split) kinds.set(v.id, { label: v.label === 1 ? 1 : 0, method: v.method });
  }
  return kinds;
}

/**
 * Each method's test set (DF, F2F, FS, NT): that method's fakes with every genuine
 * video of `split` of `cache`, drawn from one scoring of the split (`keep`).
 *
 * @throws Error naming the cache when the split has no genuine video or no fake of a method
 */
export function methodTestSets(cache: string, split: Split, kinds: VideoKinds, standsFor: (short: string) => string): CrossTest[] {
  const kinds0 = [...kinds.values()];
  return TABLE5_FFPP_METHODS.map((m) => {
    if (!kinds0.some((k) => k.label === 0) || !kinds0.some((k) => k.label === 1 && k.method === m.folder)) {
      throw new Error(`table5: the ${split} split of ${cache} has no ${m.folder} fakes or no genuine videos`);
    }
    const keep = (id: string) => {
      const k = kinds.get(id);
      return k != null && (k.label === 0 || k.method === m.folder);
    };
    return { name: m.short, cache, split, stands_for: standsFor(m.short), keep };
  });
}

/** One trained and evaluated model of Table 5. */
export interface Table5Row {
  /** `DF` ... `NT` for the cross-method rows; `in-domain` or `cross` for the cross-dataset rows. */
  readonly train: string;
  readonly model: Table5Model;
  /** Paper profile: the backbone (the cross-dataset rows are run with two). */
  readonly backbone?: string;
  /**
   * Cross-method rows: video AUC on the pooled in-domain test, then on each
   * method's test set (DF, F2F, FS, NT). Cross-dataset rows: own test, then
   * the other dataset's test.
   */
  readonly result: VariantResult;
}

/** The training caches of the mini run, as views of the embedded benchmark's caches. */
interface Views {
  /** Per method: its fakes and the genuine videos of the train and val splits, and the whole in-domain test split. */
  readonly trainOn: Readonly<Record<string, CacheView>>;
  /** The cross tree dealt into a training part (`train`) and a test part (`test`). */
  readonly crossSplit: CacheView;
}

/** Writes every view Table 5 needs (cheap: manifests only). */
function writeViews(ctx: ExperimentContext, data: ExperimentData<EmbeddedData>): Views {
  const root = join(cacheRoot(), 'views', `table5-${ctx.profile}${ctx.quick ? '-quick' : ''}-seed${ctx.seed}`);
  const inCache = data.train.cache;
  const trainOn: Record<string, CacheView> = {};
  for (const m of TABLE5_FFPP_METHODS) {
    const keeps = (v: ManifestVideo) => v.label === 0 || v.method === m.folder;
    // Train (and validate) on the reals and this method; test on the whole in-domain test split (pooled).
    trainOn[m.short] = writeCacheView(inCache, join(root, `train-${m.short}`), (v) =>
      v.split === 'test' ? 'test' : (v.split === 'train' || v.split === 'val') && keeps(v) ? v.split : null,
    );
  }
  // The cross tree has one split ('cross'): deal its identity pairs into a training part and a test part.
  // Pairs of the same two persons (one per video) stay on one side, so no person is in both parts.
  const person = identityLookup([data.train.crossRoot]);
  const part = dealPairs(readSplitFile(join(data.train.crossRoot, 'splits', 'cross.json')), CROSS_TRAIN_FRACTION, (name) => person(name));
  const partOf = (v: ManifestVideo) => {
    const p = part.get(videoName(v));
    if (p == null) throw new Error(`table5: ${v.id} of ${data.train.crossCache} is not in ${data.train.crossRoot}/splits/cross.json`);
    return p;
  };
  const crossSplit = writeCacheView(data.train.crossCache, join(root, 'cross-split'), (v) => (partOf(v) === 'first' ? 'train' : 'test'));
  return { trainOn, crossSplit };
}

/**
 * Trains and evaluates the mini (or quick) models: binary and ours on each method
 * (eight models), on the cross tree's training part (two), and, shared with Table 2
 * (its baseline and full rows), on the whole in-domain tree. Every model trains on
 * the mini profile's budget.
 */
async function runMini(ctx: ExperimentContext, data: ExperimentData<EmbeddedData>, views: Views): Promise<Table5Row[]> {
  const models: Table5Model[] = ['binary', 'ours'];
  const rows: Table5Row[] = [];
  const kinds = videoKinds(data.train.cache, 'test');
  for (const m of TABLE5_FFPP_METHODS) {
    const cache = views.trainOn[m.short].dir;
    // The view's test split is the whole in-domain test split, scored once per model; each method's set is drawn from it.
    const d: ExperimentData = { ...data, train: { ...data.train, cache }, cross: methodTestSets(cache, 'test', kinds, (short) => `FF++ ${short}`) };
    for (const model of models) {
      const settings = deepMerge(TABLE5_MODELS[model] as Record<string, unknown>, { dataset: { methods: [m.folder] } }) as CaddmConfigInput;
      rows.push({ train: m.short, model, result: await trainVariant(ctx, 'table5', `${model} ${m.short}`, d, settings) });
    }
  }
  const crossTest: CrossTest = { name: 'cross test part', cache: views.crossSplit.dir, split: 'test', stands_for: 'DFDC-V2' };
  for (const [model, shared] of [['binary', BINARY], ['ours', OURS]] as const) {
    const d: ExperimentData = { ...data, cross: [crossTest] };
    rows.push({ train: 'in-domain', model, result: await trainVariant(ctx, shared.experiment, shared.name, d, shared.overrides) });
  }
  for (const model of models) {
    const d: ExperimentData = { ...data, train: { ...data.train, cache: views.crossSplit.dir }, cross: [{ name: 'in-domain test', cache: data.train.cache, split: 'test', stands_for: 'FF++' }] };
    rows.push({ train: 'cross', model, result: await trainVariant(ctx, 'table5', `${model} cross`, d, TABLE5_MODELS[model]) });
  }
  return rows;
}

/** One run of the paper-profile plan. */
export interface PaperRun {
  readonly name: string;
  readonly trainOn: string;
  readonly tests: readonly string[];
  readonly config: CaddmConfig;
}

/** One model of the paper profile: what it trains on and with which settings. */
interface PaperSpec {
  readonly name: string;
  /** The row it fills: a method's short name, `in-domain` (FF++) or `cross` (DFDC-V2). */
  readonly train: string;
  readonly model: Table5Model;
  readonly backbone: 'xception' | 'resnet34' | 'efficientnet-b3';
  /** Which `--data` it trains on. */
  readonly data: 'ffpp' | 'dfdc';
  readonly trainOn: string;
  readonly tests: readonly string[];
  readonly overrides: CaddmConfigInput;
}

/**
 * The sixteen models of the paper's Table 5: the binary Xception and
 * ours+Xception on each FF++ method alone (`dataset.methods`; tested on each
 * method's FF++ test set), and ResNet-34 / EfficientNet-b3, binary and ours,
 * trained on FF++ (all methods) or on DFDC-V2, each tested on its own test
 * set and on the other dataset's.
 */
function paperSpecs(): PaperSpec[] {
  const specs: PaperSpec[] = [];
  const methodTests = TABLE5_FFPP_METHODS.map((k) => `FF++ ${k.short} test`);
  const settings = (model: Table5Model, o: CaddmConfigInput) => deepMerge(TABLE5_MODELS[model] as Record<string, unknown>, o as Record<string, unknown>) as CaddmConfigInput;
  for (const m of TABLE5_FFPP_METHODS) {
    for (const model of ['binary', 'ours'] as const) {
      specs.push({
        name: `${model} xception ${m.short}`,
        train: m.short,
        model,
        backbone: 'xception',
        data: 'ffpp',
        trainOn: `FF++ ${m.folder}`,
        tests: methodTests,
        overrides: settings(model, { model: { backbone: 'xception', width: 1 }, dataset: { methods: [m.folder] } }),
      });
    }
  }
  for (const backbone of ['resnet34', 'efficientnet-b3'] as const) {
    for (const model of ['binary', 'ours'] as const) {
      const o = settings(model, { model: { backbone, width: 1 } });
      specs.push({ name: `${model} ${backbone} FF++`, train: 'in-domain', model, backbone, data: 'ffpp', trainOn: 'FF++', tests: ['FF++ test', 'DFDC-V2 test'], overrides: o });
      specs.push({ name: `${model} ${backbone} DFDC-V2`, train: 'cross', model, backbone, data: 'dfdc', trainOn: 'DFDC-V2', tests: ['DFDC-V2 test', 'FF++ test'], overrides: o });
    }
  }
  return specs;
}

/** The training data of a spec as the config sees it (the `--data` path as `dataset.root`). */
function specTrain(ctx: ExperimentContext, key: 'ffpp' | 'dfdc'): TrainData {
  return { cache: ctx.data[key], root: ctx.data[key], dataset: key };
}

/**
 * The paper-profile runs with their resolved configs (what {@link table5}
 * trains with `--profile paper`; `--set` and `--weights` included).
 *
 * @throws Error naming the missing `--data ffpp=...` / `--data dfdc=...` roots
 */
export function paperPlan(ctx: ExperimentContext): PaperRun[] {
  const missing = ['ffpp', 'dfdc'].filter((k) => ctx.data[k] == null);
  if (missing.length) {
    throw new Error(`table5 --profile paper needs the FF++ (c23) and DFDC-V2 roots: missing ${missing.map((k) => `--data ${k}=<root>`).join(' and ')}`);
  }
  return paperSpecs().map((r) => ({ name: r.name, trainOn: r.trainOn, tests: r.tests, config: variantConfig(ctx, { train: specTrain(ctx, r.data) }, r.overrides) }));
}

/** Trains and evaluates the sixteen paper-profile models on FF++ and DFDC-V2. */
async function runPaper(ctx: ExperimentContext): Promise<{ rows: Table5Row[]; data: ExperimentData<PaperTrainData> }> {
  const specs = paperSpecs();
  const data = await paperExperimentData(ctx, { experiment: 'table5', cross: ['dfdc'], trainOn: ['dfdc'], models: specs.map((s) => s.overrides) });
  const dfdc = data.cross[0];
  const ds = cacheSplits(dfdc.cache).splits;
  const problems: string[] = [];
  if (!ds.train?.fake || !ds.train?.real) problems.push(`--data dfdc=${ctx.data.dfdc}: DFDC-V2 with genuine and fake videos in a 'train' split (the metadata.json records of DFDC's training parts say "split": "train"); ${dfdc.cache} has none`);
  if (dfdc.split !== 'test') problems.push(`--data dfdc=${ctx.data.dfdc}: DFDC-V2 with a 'test' split (the test set's labels.csv, or metadata.json records with "split": "test"); ${dfdc.cache} has none`);
  if (problems.length) throw new PaperInputError('table5', problems);
  const methodTests = methodTestSets(data.train.cache, 'test', videoKinds(data.train.cache, 'test'), (short) => `FF++ ${short}`);
  const dfdcTrain: PaperTrainData = { cache: dfdc.cache, root: ctx.data.dfdc, dataset: 'dfdc', hasVal: (ds.val?.fake ?? 0) + (ds.val?.real ?? 0) > 0 };
  const ffppTest: CrossTest = { name: 'FF++', cache: data.train.cache, stands_for: 'FF++', split: 'test' };
  const rows: Table5Row[] = [];
  for (const s of specs) {
    const d: ExperimentData =
      s.train === 'in-domain' ? { ...data, cross: [dfdc] } : s.train === 'cross' ? { ...data, train: dfdcTrain, cross: [ffppTest] } : { ...data, cross: methodTests };
    rows.push({ train: s.train, model: s.model, backbone: s.backbone, result: await trainVariant(ctx, 'table5', s.name, d, s.overrides) });
  }
  return { rows, data };
}

/** Mean of numbers (NaN when any is NaN). */
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Indices (into a cross-method row's per-method AUCs) of the methods other than the training one. */
function others(train: string): number[] {
  return TABLE5_FFPP_METHODS.map((m, i) => (m.short === train ? -1 : i)).filter((i) => i >= 0);
}

/** The average of the off-diagonal ("other methods") cells of a cross-method row, ours or the paper's. */
export function otherMethodsAverage(train: string, perMethod: readonly number[]): number {
  return mean(others(train).map((i) => perMethod[i]));
}

/** Table 5: cross-method (train on one FF++ method, test on each) and cross-dataset generalisation in both directions. */
export const table5: Experiment = {
  name: 'table5',
  title: 'Table 5: cross-method and cross-dataset generalisation, binary classifier vs ours (video AUC)',
  paperRef: 'Table 5, Sec. 5.4',
  async run(ctx) {
    if (ctx.profile === 'paper') return paperReport(ctx, await runPaper(ctx));
    const data = await embeddedExperimentData({ ...ctx, faces: undefined });
    const views = writeViews(ctx, data);
    const rows = await runMini(ctx, data, views);
    const stem = `table5-${ctx.profile}${ctx.quick ? '-quick' : ''}`;
    const plot = await writeChart(
      join(ctx.outDir, stem),
      generalisationChart('mini', rows, ['in-domain -> cross', 'cross -> in-domain'], (model) => [
        find(rows, 'in-domain', model).result.videoAuc[1],
        find(rows, 'cross', model).result.videoAuc[1],
      ], 900),
    );
    const backbone = describeBackbone(rows[0].result.config);
    return {
      markdown: [
        `Data: ${data.description}. Training on one method uses a view of the in-domain cache holding the genuine videos and that method's fakes (the run's config records \`dataset.methods\`). ` +
          `The cross tree has no training split: its identity pairs are dealt ${Math.round(CROSS_TRAIN_FRACTION * 100)}/${Math.round((1 - CROSS_TRAIN_FRACTION) * 100)} (seeded order of its split file, identity-disjoint) into a training part and a test part; ` +
          'the in-domain-trained models are tested on the same test part.',
        '',
        `Models: binary classifier = ${backbone} + linear, no DA, MFS or ADM (the paper's top uses Xception, its bottom ResNet-34 and EfficientNet-b3); ours = the same backbone with DA + MFS + ADM. ` +
          `Budget: the ${ctx.quick ? 'quick' : 'mini'} profile's, ${rows[0].result.steps} steps of ${rows[0].result.config.train.batch_size} per model, as in Table 2, whose baseline and full models are the in-domain rows here (trained there, or here if absent).`,
        '',
        '## Cross-method (top): video AUC (%), ours beside the paper\'s',
        '',
        'Trained on one method, tested on each method\'s test set (its fakes + every genuine test video). Diagonal cells in bold. "others" is the mean of the three off-diagonal cells (the paper\'s computed from its cells). ' +
          'The paper\'s FF++ column is printed beside our mean of the four cells: for its Ours rows it equals the mean of their four cells; for its Xception rows it differs from that mean by up to 2.1 points (76.34 vs 75.99 for DF, 83.42 vs 81.35 for NT), so it may be measured on pooled FF++ test data there; our pooled-test AUC (all methods\' fakes and the genuine videos together) is in its own column.',
        '',
        topTable(rows),
        '',
        '## Cross-dataset (bottom): video AUC (%), ours beside the paper\'s ResNet-34 rows',
        '',
        bottomTable(rows, data.identityOf ?? identityOfFfppVideo),
        '',
        'The paper\'s EfficientNet-b3 rows (not measured here): ' + TABLE5_DATASETS.filter((p) => p.model.includes('Effi')).map((p) => `${p.model} trained on ${p.train}: ${cell(p.inDataset)} / ${cell(p.crossDataset)}`).join('; ') + '.',
        '',
        `![video AUC on data not trained on](${plot.png.split('/').pop()})`,
        '',
        '## Test sets (videos)',
        '',
        markdownTable(
          ['test set', 'fake', 'genuine'],
          [
            ...TABLE5_FFPP_METHODS.map((m, i) => [`in-domain ${m.short}`, String(rows[0].result.videos[i + 1].fake), String(rows[0].result.videos[i + 1].real)]),
            ['in-domain, all methods', String(find(rows, 'in-domain', 'binary').result.videos[0].fake), String(find(rows, 'in-domain', 'binary').result.videos[0].real)],
            ['cross test part', String(find(rows, 'in-domain', 'binary').result.videos[1].fake), String(find(rows, 'in-domain', 'binary').result.videos[1].real)],
          ],
        ),
        '',
        '## Reading',
        '',
        reading(rows),
      ].join('\n'),
      raw: {
        data: data.description,
        crossTrainFraction: CROSS_TRAIN_FRACTION,
        views: { crossSplit: views.crossSplit.counts },
        tests: { crossMethod: ['pooled in-domain test', ...TABLE5_FFPP_METHODS.map((m) => m.short)], crossDataset: ['own test', 'other dataset test'] },
        rows: rows.map((r) => ({ train: r.train, model: r.model, result: (({ config: _c, scores: _s, ...x }) => x)(r.result) })),
      },
    };
  },
};

/**
 * The report's bar chart of video AUC on data not trained on, binary vs ours:
 * per FF++ method the mean over the other methods (from the cross-method
 * `rows`), then the cross-dataset bars `crossLabels` with `crossValues(model)`.
 */
function generalisationChart(
  profile: string,
  rows: readonly Table5Row[],
  crossLabels: readonly string[],
  crossValues: (model: Table5Model) => number[],
  width: number,
): ReturnType<typeof barChart> {
  return barChart({
    title: `Table 5 (${profile}): video AUC (%) on data not trained on`,
    categories: [...TABLE5_FFPP_METHODS.map((m) => `${m.short} -> other methods`), ...crossLabels],
    series: (['binary', 'ours'] as const).map((model) => ({
      name: model === 'binary' ? 'binary classifier' : 'ours (DA+MFS+ADM)',
      values: [
        ...TABLE5_FFPP_METHODS.map((m) => otherMethodsAverage(m.short, find(rows, m.short, model).result.videoAuc.slice(1))),
        ...crossValues(model),
      ].map((v) => (Number.isFinite(v) ? v : 0)),
    })),
    yDomain: [0, 100],
    valueLabels: (v) => v.toFixed(1),
    referenceLine: { y: 50, label: 'chance' },
    width,
  });
}

/** The paper-profile report: the same tables as the mini one, with both bottom backbones. */
async function paperReport(ctx: ExperimentContext, r: Awaited<ReturnType<typeof runPaper>>): Promise<ExperimentResult> {
  const { rows, data } = r;
  const top = rows.filter((x) => x.backbone === 'xception');
  const res34 = rows.filter((x) => x.backbone === 'resnet34');
  const bottom = rows.filter((x) => x.backbone !== 'xception');
  const stem = `table5-${ctx.profile}`;
  const plot = await writeChart(
    join(ctx.outDir, stem),
    generalisationChart(
      'paper',
      top,
      ['FF++ -> DFDC-V2 (ResNet-34)', 'DFDC-V2 -> FF++ (ResNet-34)', 'FF++ -> DFDC-V2 (Effi-b3)', 'DFDC-V2 -> FF++ (Effi-b3)'],
      (model) => (['resnet34', 'efficientnet-b3'] as const).flatMap((b) => (['in-domain', 'cross'] as const).map((t) => find(bottom.filter((x) => x.backbone === b), t, model).result.videoAuc[1])),
      1000,
    ),
  );
  const c0 = top[0].result.config;
  const bottomRows = bottom.map((x) => {
    const b = x.backbone === 'resnet34' ? 'ResNet-34' : 'Effi-b3';
    const paperTrain = x.train === 'in-domain' ? 'FF++' : 'DFDC-V2';
    const p = TABLE5_DATASETS.find((q) => q.train === paperTrain && q.model === (x.model === 'binary' ? b : `Ours+${b}`));
    return [
      x.train === 'in-domain' ? 'FF++ -> DFDC-V2' : 'DFDC-V2 -> FF++',
      `${x.model} ${describeBackbone(x.result.config)} (paper: ${p?.model ?? '-'})`,
      beside(x.result.videoAuc[0], p?.inDataset),
      beside(x.result.videoAuc[1], p?.crossDataset),
      String(x.result.steps),
      trainTime(x.result),
    ];
  });
  const inDomain = find(res34, 'in-domain', 'binary').result;
  return {
    markdown: [
      `Data: ${data.description}. Training on one method sets \`dataset.methods\` (the loader keeps the genuine videos and that method's fakes); each method's test set is that method's FF++ test fakes with every genuine FF++ test video.`,
      '',
      `Models: the paper's. Top: binary Xception (backbone + linear, no DA, MFS or ADM) vs ours (DA + MFS + ADM), ${describeBackbone(c0)}; bottom: ResNet-34 and EfficientNet-b3, binary and ours. ` +
        `${c0.train.epoch_num} epochs x ${c0.train.batches_per_epoch} batches of ${c0.train.batch_size}; backbone weights: ${ctx.weights === 'none' || ctx.weights == null ? 'none (trained from scratch, not the paper\'s setting)' : `ImageNet, from ${ctx.weights}`}.`,
      '',
      "## Cross-method (top): video AUC (%), ours beside the paper's",
      '',
      'Trained on one method, tested on each method\'s test set. Diagonal cells in bold. "others" is the mean of the three off-diagonal cells.',
      '',
      topTable(top),
      '',
      "## Cross-dataset (bottom): video AUC (%), ours beside the paper's",
      '',
      markdownTable(['trained on -> other dataset', 'model', 'own test: ours (paper)', 'other dataset: ours (paper)', 'steps', 'training time (s)'], bottomRows),
      '',
      `![video AUC on data not trained on](${plot.png.split('/').pop()})`,
      '',
      '## Test sets (videos)',
      '',
      markdownTable(
        ['test set', 'fake', 'genuine'],
        [
          ...TABLE5_FFPP_METHODS.map((m, i) => [`FF++ ${m.short}`, String(top[0].result.videos[i + 1].fake), String(top[0].result.videos[i + 1].real)]),
          ['FF++, all methods', String(inDomain.videos[0].fake), String(inDomain.videos[0].real)],
          ['DFDC-V2', String(inDomain.videos[1].fake), String(inDomain.videos[1].real)],
        ],
      ),
      '',
      '## Reading (ResNet-34 for the cross-dataset claims, as the paper\'s text)',
      '',
      reading([...top, ...res34], 'paper'),
    ].join('\n'),
    raw: {
      data: data.description,
      tests: { crossMethod: ['pooled FF++ test', ...TABLE5_FFPP_METHODS.map((m) => m.short)], crossDataset: ['own test', 'other dataset test'] },
      rows: rows.map((x) => ({ train: x.train, model: x.model, backbone: x.backbone, result: (({ scores: _s, ...r }) => r)(x.result) })),
    },
  };
}

function find(rows: readonly Table5Row[], train: string, model: Table5Model): Table5Row {
  const r = rows.find((x) => x.train === train && x.model === model);
  if (!r) throw new Error(`table5: no ${model} row trained on ${train}`);
  return r;
}

function describeBackbone(c: CaddmConfig): string {
  const name = { resnet18: 'ResNet-18', resnet34: 'ResNet-34', resnet50: 'ResNet-50', 'efficientnet-b0': 'EfficientNet-b0', 'efficientnet-b3': 'EfficientNet-b3', 'efficientnet-b4': 'EfficientNet-b4', xception: 'Xception' }[c.model.backbone];
  return `${name} at ${c.model.width} width, ${c.crop_face.output_size} px`;
}

function paperTop(train: string, model: Table5Model) {
  const p = TABLE5_METHODS.rows.find((r) => r.train === train && (model === 'ours') === r.model.startsWith('Ours'));
  if (!p) throw new Error(`table5: no paper row for ${model} trained on ${train}`);
  return p;
}

function topTable(rows: readonly Table5Row[]): string {
  const header = ['trained on', 'model', ...TABLE5_FFPP_METHODS.map((m) => m.short), 'others', 'mean of 4 (paper FF++)', 'pooled test', 'steps', 'training time (s)'];
  const body = TABLE5_FFPP_METHODS.flatMap((m) =>
    (['binary', 'ours'] as const).map((model) => {
      const r = find(rows, m.short, model).result;
      const p = paperTop(m.short, model);
      const per = r.videoAuc.slice(1);
      const paperPer = p.auc.slice(0, 4);
      return [
        m.short,
        model === 'binary' ? 'binary (paper: Xception)' : 'ours (paper: Ours+Xception)',
        ...per.map((v, i) => (i === TABLE5_FFPP_METHODS.indexOf(m) ? `**${beside(v, paperPer[i])}**` : beside(v, paperPer[i]))),
        beside(otherMethodsAverage(m.short, per), otherMethodsAverage(m.short, paperPer)),
        beside(mean(per), p.auc[4]),
        cell(r.videoAuc[0]),
        String(r.steps),
        trainTime(r),
      ];
    }),
  );
  return markdownTable(header, body);
}

/** The mini cross-dataset table: each AUC with its identity-cluster interval, beside the paper's ResNet-34 rows. */
function bottomTable(rows: readonly Table5Row[], identityOf: (videoId: string) => string): string {
  const header = ['trained on', 'model', 'own test: ours [95% CI] (paper)', 'other dataset: ours [95% CI] (paper)', 'steps', 'training time (s)'];
  const body = (['in-domain', 'cross'] as const).flatMap((train) =>
    (['binary', 'ours'] as const).map((model) => {
      const r = find(rows, train, model).result;
      const paperTrain = train === 'in-domain' ? 'FF++' : 'DFDC-V2';
      const p = TABLE5_DATASETS.find((x) => x.train === paperTrain && x.model === (model === 'binary' ? 'ResNet-34' : 'Ours+ResNet-34'));
      return [
        train === 'in-domain' ? 'in-domain (~FF++) -> cross test part (~DFDC-V2)' : 'cross part (~DFDC-V2) -> in-domain test (~FF++)',
        model === 'binary' ? 'binary (paper: ResNet-34)' : 'ours (paper: Ours+ResNet-34)',
        `${formatIdentityInterval(r.scores[0], identityOf)} (${cell(p?.inDataset)})`,
        `${formatIdentityInterval(r.scores[1], identityOf)} (${cell(p?.crossDataset)})`,
        String(r.steps),
        trainTime(r),
      ];
    }),
  );
  return markdownTable(header, body);
}

/** A model's training time (its steps, from its log, also for a reused run); the call's wall time when there is no log. */
function trainTime(r: VariantResult): string {
  return (Number.isFinite(r.trainSeconds) ? r.trainSeconds : r.seconds).toFixed(0);
}

/**
 * A cross-method model's scores on the methods other than its own, pooled: the other
 * methods' fakes with every genuine video once (each per-method set holds the same
 * genuine videos, scored once). Its AUC is the fake-count-weighted mean of the three
 * off-diagonal cells, their plain mean when the methods have as many fakes each.
 */
export function otherMethodsScores(r: Table5Row): VideoScore[] {
  const byId = new Map<string, VideoScore>();
  for (const i of others(r.train)) for (const v of r.result.scores[i + 1] ?? []) byId.set(v.id, v);
  return [...byId.values()];
}

/** Whether a model separates its own test set (the diagonal cell, or the own-tree test) beyond chance (DeLong), and that AUC. */
function ownTest(r: Table5Row): { auc: number; learnt: boolean } {
  const k = r.train === 'in-domain' || r.train === 'cross' ? 0 : 1 + TABLE5_FFPP_METHODS.findIndex((m) => m.short === r.train);
  let learnt = false;
  try {
    learnt = versusChance(r.result.scores[k]).verdict === 'beyond chance';
  } catch {
    // One class or too few videos: not shown to have learnt.
  }
  return { auc: r.result.videoAuc[k], learnt };
}

/** `+3.20 [1.10, 5.30]` for a paired comparison, or `n/a (why)` when it could not run. */
function diffText(c: PairedComparison & { readonly error?: string }): string {
  if (c.error) return `n/a (${c.error})`;
  return `${c.diffPct >= 0 ? '+' : ''}${formatInterval(c.diffPct, c.ciPct, 2)}`;
}

/**
 * What the rows say against the paper's two claims (ours generalises better
 * across methods and across datasets), each by a paired DeLong test of ours
 * against the binary classifier on the same videos. A comparison counts only
 * where both models separate their own test set beyond chance (DeLong): a
 * model that learnt nothing says nothing about generalisation.
 */
export function reading(rows: readonly Table5Row[], profile: ExperimentContext['profile'] = 'mini'): string {
  const lines: string[] = [];
  const paper = profile === 'paper';
  const flat = rows.filter((r) => !ownTest(r).learnt).map((r) => `${r.model} ${r.train} (${cell(ownTest(r).auc)})`);
  lines.push(
    flat.length === 0
      ? '- Every model separates its own test set beyond chance (DeLong 95% interval above 50), so every comparison below is meaningful.'
      : `- At chance on their own test set (DeLong 95% interval includes 50): ${flat.join(', ')}. These models did not learn their training distribution in this budget; comparisons involving them are marked "not meaningful" and not counted.`,
  );
  const learnt = (train: string) => ownTest(find(rows, train, 'binary')).learnt && ownTest(find(rows, train, 'ours')).learnt;
  let wins = 0;
  let counted = 0;
  for (const m of TABLE5_FFPP_METHODS) {
    const b = find(rows, m.short, 'binary');
    const o = find(rows, m.short, 'ours');
    const c = comparePairedOrNaN(otherMethodsScores(o), otherMethodsScores(b));
    const verdict = c.verdict === 'better' ? 'ours better beyond noise' : c.verdict === 'worse' ? 'ours worse beyond noise' : 'within noise';
    const ok = learnt(m.short);
    if (ok && !c.error) {
      counted++;
      if (c.verdict === 'better') wins++;
    }
    const pd = otherMethodsAverage(m.short, paperTop(m.short, 'ours').auc) - otherMethodsAverage(m.short, paperTop(m.short, 'binary').auc);
    lines.push(
      `- Trained on ${m.short}, other methods: ours ${cell(otherMethodsAverage(m.short, o.result.videoAuc.slice(1)))} vs binary ${cell(otherMethodsAverage(m.short, b.result.videoAuc.slice(1)))}, difference ${diffText(c)}: ${verdict}${ok ? '' : ' (not meaningful: a model is at chance on its own method)'}; the paper: +${pd.toFixed(2)}.`,
    );
  }
  lines.push(
    counted === 0
      ? '- Cross-method claim (ours generalises better to unseen methods; all four rows in the paper): not testable here, no row has both models above chance on their own method.'
      : `- Cross-method claim (ours generalises better to unseen methods; all four rows in the paper): ours better beyond noise in ${wins} of the ${counted} row(s) where both models learnt their own method${wins === counted ? ': reproduced there' : wins === 0 ? ': not shown' : ''}.`,
  );
  for (const train of ['in-domain', 'cross'] as const) {
    const b = find(rows, train, 'binary').result;
    const o = find(rows, train, 'ours').result;
    const cOwn = comparePairedOrNaN(o.scores[0], b.scores[0]);
    const cOther = comparePairedOrNaN(o.scores[1], b.scores[1]);
    const p = (model: string) => TABLE5_DATASETS.find((x) => x.train === (train === 'in-domain' ? 'FF++' : 'DFDC-V2') && x.model === model);
    const pd = (p('Ours+ResNet-34')?.crossDataset ?? Number.NaN) - (p('ResNet-34')?.crossDataset ?? Number.NaN);
    const claim = !learnt(train)
      ? 'not meaningful: a model is at chance on its own test set'
      : cOther.verdict === 'tie'
        ? 'within noise: the paper\'s claim is not shown in this direction'
        : cOther.verdict === 'better'
          ? 'ours better beyond noise: the paper\'s claim is reproduced in this direction'
          : 'ours worse beyond noise: the paper\'s claim is contradicted in this direction';
    lines.push(
      `- Trained on ${
        paper
          ? train === 'in-domain'
            ? 'FF++ (ResNet-34), tested on DFDC-V2'
            : 'DFDC-V2 (ResNet-34), tested on FF++'
          : train === 'in-domain'
            ? 'the in-domain tree (~FF++), tested on the cross test part'
            : 'the cross part (~DFDC-V2), tested on the in-domain test'
      }: ours ${cell(o.videoAuc[1])} vs binary ${cell(b.videoAuc[1])}, difference ${diffText(cOther)}: ${claim} (paper: +${pd.toFixed(2)}). ` +
        `Own test: ours ${cell(o.videoAuc[0])} vs binary ${cell(b.videoAuc[0])}, difference ${diffText(cOwn)} (${cOwn.verdict === 'tie' ? 'within noise; the paper has them within 2.4 points' : cOwn.verdict === 'better' ? 'ours better beyond noise' : 'ours worse beyond noise'}).`,
    );
  }
  const c = find(rows, TABLE5_FFPP_METHODS[0].short, 'binary').result.videos[1];
  lines.push(
    `- Differences are ours minus binary in AUC points with their 95% interval by DeLong's paired test (both models scored on the same videos); a per-method test set has ${c.fake} fake / ${c.real} genuine videos. ` +
      'For "other methods" the test runs on the three methods\' fakes pooled with the genuine videos (each genuine video once), whose AUC is the mean of the three cells when the methods have as many fakes each. ' +
      (paper
        ? 'These models use the paper profile\'s settings (see the configs in the JSON beside this report, including any --set overrides and whether ImageNet weights were loaded). Nothing here was tuned toward the paper.'
        : 'Mini models are small, trained from scratch for minutes on synthetic faces; the paper\'s are ImageNet-initialised networks trained for hours on FF++ or DFDC-V2. Nothing here was tuned toward the paper.'),
  );
  return lines.join('\n');
}
