import type { CaddmConfig } from '@caddm/trainer';

/** Which settings an experiment runs with. */
export type Profile = 'mini' | 'paper';

/** Everything an experiment receives from the dispatcher. */
export interface ExperimentContext {
  /** `mini` (this CPU, embedded benchmark) or `paper` (the paper's settings, real datasets). */
  readonly profile: Profile;
  /** A few-minute smoke variant of the mini profile (CI). */
  readonly quick: boolean;
  /** Seed for every random choice. */
  readonly seed: number;
  /**
   * Training seeds of the models an experiment repeats (`seed`, `seed + 1`, ...);
   * absent: the experiment's default.
   */
  readonly seeds?: number;
  /** Identity folder of real faces (`<identity>/<image>`), if given. */
  readonly faces?: string;
  /** Dataset roots or preprocessing caches (`--data name=path`), if given. */
  readonly data: Readonly<Record<string, string>>;
  /**
   * `--set key=value` config overrides, dotted paths as the trainer's
   * `parseOverrides` returns them (e.g. `{ 'train.batch_size': 32 }`),
   * applied last to the config of every model an experiment trains.
   */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /**
   * Paper profile: a folder of ImageNet backbone weights named
   * `<backbone>.safetensors` or `.pth` (`.pt`, `.bin`), or as the model
   * libraries download them (`resnet34-b627a593.pth`), or `none` to train
   * every backbone from scratch (not the paper's setting).
   */
  readonly weights?: string;
  /** Where reports, raw numbers and figures go. */
  readonly outDir: string;
  /** Progress / log sink (stderr by default). */
  log(message: string): void;
  /**
   * Told of every model an experiment trains or reloads (its resolved config
   * and run directory), so that the report can name them and hash their configs.
   */
  readonly onModel?: (model: ModelRecord) => void;
}

/** A model behind a report: where it was trained and with which resolved config. */
export interface ModelRecord {
  readonly runDir: string;
  readonly config: CaddmConfig;
}

/** What an experiment hands back for its report. */
export interface ExperimentResult {
  /** Markdown body: our table, the paper's beside it, the reading. */
  readonly markdown: string;
  /** Raw numbers, written as JSON next to the report. */
  readonly raw?: unknown;
  /** Every training seed used (default: the context's seed). */
  readonly seeds?: readonly number[];
}

/** One reproducible table or figure. */
export interface Experiment {
  /** The name typed after `pnpm exp`. */
  readonly name: string;
  /** One line saying what it reproduces. */
  readonly title: string;
  /** Where in the paper (e.g. "Table 2, Sec. 5.2"). */
  readonly paperRef: string;
  /** Runs it; throw on failure. */
  run(ctx: ExperimentContext): Promise<ExperimentResult>;
}

/** An experiment that is announced but not written yet (it says so instead of pretending). */
export interface PlannedExperiment {
  readonly name: string;
  readonly title: string;
  readonly paperRef: string;
  /** The issue that will implement it. */
  readonly issue: number;
}
