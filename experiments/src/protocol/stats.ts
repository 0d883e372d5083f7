import { aucVsChance, clusterBootstrapAuc, delongPaired, type MeanSd, type VideoScore } from '@caddm/metrics';

/** Options of the report statistics. */
export interface StatsOptions {
  /** Confidence level of the intervals (default 0.95). */
  readonly level?: number;
}

/** {@link comparePaired}'s answer: is model A's video AUC above B's on the same videos? */
export interface PairedComparison {
  /** `'better'` / `'worse'` when the interval lies above / below 0, else `'tie'`. */
  readonly verdict: 'better' | 'worse' | 'tie';
  /** AUC(A) - AUC(B), in AUC percentage points. */
  readonly diffPct: number;
  /** Interval of the difference, in points. */
  readonly ciPct: readonly [number, number];
  /** Two-sided p-value of no difference. */
  readonly p: number;
  /** Which test produced it. */
  readonly test: 'paired DeLong';
  /** The interval's confidence level. */
  readonly level: number;
  /** Videos compared. */
  readonly videos: number;
}

const pct = (x: number) => x * 100;

function labelOf(v: VideoScore, side: string, what: string): 0 | 1 {
  if (v.label !== 0 && v.label !== 1) throw new Error(`${what}: video '${v.id}' of ${side} has label ${String(v.label)}; labels must be 0 or 1`);
  return v.label;
}

function indexById(videos: readonly VideoScore[], side: string, what: string): Map<string, VideoScore> {
  const m = new Map<string, VideoScore>();
  for (const v of videos) {
    if (m.has(v.id)) throw new Error(`${what}: video '${v.id}' appears twice in ${side}`);
    m.set(v.id, v);
  }
  return m;
}

/**
 * Compares two models' video AUCs on the same test videos by DeLong's paired
 * test (the correlation of two models scored on the same videos included).
 * Videos are matched by id, in `a`'s order. The verdict is `'tie'` when the
 * interval of the difference (95% unless `level` says otherwise) contains 0.
 *
 * @throws Error (one line) when the two lists do not hold the same videos
 * (naming the first id found on one side only), an id repeats, a video's
 * label differs between the lists, or the test cannot run (e.g. fewer than 2
 * videos of a class).
 */
export function comparePaired(a: readonly VideoScore[], b: readonly VideoScore[], opts: StatsOptions = {}): PairedComparison {
  const what = 'comparePaired';
  indexById(a, 'a', what);
  const byId = indexById(b, 'b', what);
  const labels: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (const v of a) {
    const w = byId.get(v.id);
    if (w === undefined) throw new Error(`${what}: video '${v.id}' is in a but not in b (${a.length} vs ${b.length} videos)`);
    const la = labelOf(v, 'a', what);
    if (labelOf(w, 'b', what) !== la) throw new Error(`${what}: video '${v.id}' is labelled ${la} in a but ${w.label} in b`);
    labels.push(la);
    sa.push(v.score);
    sb.push(w.score);
  }
  if (b.length !== a.length) {
    const inA = new Set(a.map((v) => v.id));
    const extra = b.find((v) => !inA.has(v.id));
    throw new Error(`${what}: video '${extra?.id}' is in b but not in a (${a.length} vs ${b.length} videos)`);
  }
  const r = delongPaired(labels, sa, sb, { level: opts.level ?? 0.95 });
  const [lo, hi] = r.ci;
  return {
    verdict: lo > 0 ? 'better' : hi < 0 ? 'worse' : 'tie',
    diffPct: pct(r.diff),
    ciPct: [pct(lo), pct(hi)],
    p: r.p,
    test: 'paired DeLong',
    level: r.level,
    videos: labels.length,
  };
}

/**
 * {@link comparePaired}, or, when the test cannot run on these videos (e.g. a
 * test set with fewer than 2 videos of a class), a tie with NaN numbers and
 * the reason in `error`, so one degenerate test set does not stop a report.
 */
export function comparePairedOrNaN(a: readonly VideoScore[], b: readonly VideoScore[], opts: StatsOptions = {}): PairedComparison & { readonly error?: string } {
  try {
    return comparePaired(a, b, opts);
  } catch (e) {
    return { verdict: 'tie', diffPct: Number.NaN, ciPct: [Number.NaN, Number.NaN], p: Number.NaN, test: 'paired DeLong', level: opts.level ?? 0.95, videos: a.length, error: (e as Error).message };
  }
}

/** {@link versusChance}'s answer. */
export interface ChanceComparison {
  /** `'beyond chance'` when the interval lies above 50; `'chance'` otherwise (an AUC reliably below 50 included). */
  readonly verdict: 'beyond chance' | 'chance';
  /** Video AUC (%). */
  readonly aucPct: number;
  /** Wald interval of the AUC with the DeLong SE, in %, clipped to [0, 100] for display. */
  readonly ciPct: readonly [number, number];
  /** Two-sided p-value of AUC = 50. */
  readonly p: number;
  /** Which test produced it. */
  readonly test: 'DeLong vs chance';
  /** The interval's confidence level. */
  readonly level: number;
}

function videoArrays(videos: readonly VideoScore[], what: string): { labels: number[]; scores: number[] } {
  const labels: number[] = [];
  const scores: number[] = [];
  for (const v of videos) {
    labels.push(labelOf(v, 'the videos', what));
    scores.push(v.score);
  }
  return { labels, scores };
}

/**
 * Whether a model's video AUC is beyond chance: the one-sample DeLong test
 * of AUC = 50 (the standard error of the observed scores, see the metrics
 * package's `aucVsChance`). `'beyond chance'` only when the whole interval
 * lies above 50: a model reliably below 50 ranks the classes backwards and is
 * reported as `'chance'` here (its `aucPct` and `ciPct` say which side).
 *
 * @throws Error (one line) on labels other than 0/1 or when the test cannot
 * run (one class, fewer than 2 videos of a class, NaN scores).
 */
export function versusChance(videos: readonly VideoScore[], opts: StatsOptions = {}): ChanceComparison {
  const { labels, scores } = videoArrays(videos, 'versusChance');
  const r = aucVsChance(labels, scores, { level: opts.level ?? 0.95 });
  const clip = (x: number) => Math.min(100, Math.max(0, pct(x)));
  return {
    verdict: r.ci[0] > 0.5 ? 'beyond chance' : 'chance',
    aucPct: pct(r.auc),
    ciPct: [clip(r.ci[0]), clip(r.ci[1])],
    p: r.p,
    test: 'DeLong vs chance',
    level: r.level,
  };
}

/** Options of {@link identityInterval}. */
export interface IdentityIntervalOptions extends StatsOptions {
  /** Bootstrap replicates (default 2000). */
  readonly reps?: number;
  /** Resampling seed (default 0). */
  readonly seed?: number;
  /**
   * Explicit identities by video id; they take precedence over `identityOf`
   * (e.g. a benchmark with several real videos per identity whose names do not
   * say so).
   */
  readonly identities?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
}

/** {@link identityInterval}'s answer. */
export interface IdentityInterval {
  /** Video AUC (%). */
  readonly aucPct: number;
  /** Percentile interval of the video AUC (%), resampling identities. */
  readonly ciPct: readonly [number, number];
  /** The interval's level. */
  readonly level: number;
  /** Identities (clusters) resampled. */
  readonly identities: number;
  /** Replicates drawn, and those that held both classes (the interval uses these). */
  readonly reps: number;
  readonly valid: number;
  /** Which method produced it. */
  readonly test: 'identity cluster bootstrap';
}

function lookup(map: IdentityIntervalOptions['identities'], id: string): string | undefined {
  if (map == null) return undefined;
  if (map instanceof Map) return map.get(id);
  return Object.prototype.hasOwnProperty.call(map, id) ? (map as Record<string, string>)[id] : undefined;
}

/**
 * Interval of a video AUC that treats the videos of one identity as one
 * unit: an identity-cluster bootstrap (all videos of a drawn identity enter a
 * replicate together), so a test set with a few identities in many videos
 * does not look more precise than it is. `identityOf` names a video's
 * identity ({@link identityOfFfppVideo} for FF++ names); `opts.identities`
 * overrides it per video.
 *
 * @throws Error (one line) on an empty identity, labels other than 0/1, or
 * when the bootstrap cannot run (one class, NaN scores).
 */
export function identityInterval(
  videos: readonly VideoScore[],
  identityOf: (id: string) => string,
  opts: IdentityIntervalOptions = {},
): IdentityInterval {
  const { labels, scores } = videoArrays(videos, 'identityInterval');
  const clusters = videos.map((v) => {
    const identity = lookup(opts.identities, v.id) ?? identityOf(v.id);
    if (typeof identity !== 'string' || identity.length === 0) {
      throw new Error(`identityInterval: video '${v.id}' has no identity`);
    }
    return identity;
  });
  const r = clusterBootstrapAuc(labels, scores, clusters, { reps: opts.reps ?? 2000, seed: opts.seed ?? 0, level: opts.level ?? 0.95 });
  return {
    aucPct: pct(r.estimate),
    ciPct: [pct(r.lo), pct(r.hi)],
    level: r.level,
    identities: r.clusters,
    reps: r.reps,
    valid: r.valid,
    test: 'identity cluster bootstrap',
  };
}

/**
 * The identity of an FF++-style video: `000` is the real video of identity
 * 000, `000_003` a fake whose target (the face and scene kept) is 000 and
 * whose donor is 003, so its identity is the target, `000`. A path or
 * method prefix is ignored (`Deepfakes/000_003`, `.../000_003.mp4`).
 *
 * @throws Error (one line) when the last path segment is not `<digits>` or
 * `<digits>_<digits>` (with an optional extension).
 */
export function identityOfFfppVideo(id: string): string {
  const name = id.split(/[\\/]/).pop() ?? '';
  const m = /^(\d+)(?:_\d+)?(?:\.[A-Za-z0-9]+)?$/.exec(name);
  if (m == null) throw new Error(`identityOfFfppVideo: '${id}' is not an FF++ video name such as 000 or 000_003`);
  return m[1];
}

/** Formats an estimate with its interval: `91.2 [87.0, 95.1]`; `n/a` for a non-finite estimate. */
export function formatInterval(est: number, [lo, hi]: readonly [number, number], digits = 1): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
  if (!Number.isFinite(est)) return 'n/a';
  return `${f(est)} [${f(lo)}, ${f(hi)}]`;
}

/**
 * One AUC with its identity-cluster interval ({@link identityInterval}) as a report cell,
 * `91.20 [87.00, 95.10]`, or `n/a` when the bootstrap cannot run (one class, no videos).
 */
export function formatIdentityInterval(videos: readonly VideoScore[], identityOf: (id: string) => string, digits = 2): string {
  try {
    const iv = identityInterval(videos, identityOf);
    return formatInterval(iv.aucPct, iv.ciPct, digits);
  } catch {
    return 'n/a';
  }
}

/** Formats a mean over seeds: `91.2 ± 1.3 (3 seeds)`, or `91.2 (1 seed)` when there is no spread to show. */
export function formatMeanSd(m: MeanSd, digits = 1): string {
  if (!Number.isFinite(m.mean)) return 'n/a';
  const seeds = `${m.n} seed${m.n === 1 ? '' : 's'}`;
  return m.n > 1 && Number.isFinite(m.sd) ? `${m.mean.toFixed(digits)} ± ${m.sd.toFixed(digits)} (${seeds})` : `${m.mean.toFixed(digits)} (${seeds})`;
}
