/** Options of {@link Progress}. */
export interface ProgressOptions {
  /** Total number of units (frames, steps, videos). */
  readonly total: number;
  /** Label printed before the bar. */
  readonly label?: string;
  /** Stream to draw on; defaults to `process.stderr`. */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Minimum milliseconds between redraws (default 200; non-TTY streams: 5000). */
  readonly intervalMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** Formats seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

/**
 * A progress bar with rate and ETA. On a TTY it redraws one line in place;
 * elsewhere (CI logs, files) it prints a plain line at most every few seconds.
 *
 * ```ts
 * const bar = new Progress({ total: steps, label: 'train' });
 * for (...) bar.tick(1, { loss: 0.31 });
 * bar.done();
 * ```
 */
export class Progress {
  private readonly total: number;
  private readonly label: string;
  private readonly stream: NonNullable<ProgressOptions['stream']>;
  private readonly interval: number;
  private readonly now: () => number;
  private readonly start: number;
  private current = 0;
  private lastDraw = -Infinity;
  private fields: Record<string, number | string> = {};
  private finished = false;
  private drawnAt = -1;

  constructor(options: ProgressOptions) {
    if (!(options.total >= 0) || !Number.isFinite(options.total)) {
      throw new RangeError(`Progress total must be a finite number >= 0, got ${options.total}`);
    }
    this.total = options.total;
    this.label = options.label ?? '';
    this.stream = options.stream ?? process.stderr;
    this.interval = options.intervalMs ?? (this.stream.isTTY ? 200 : 5000);
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
  }

  /** Units done so far. */
  get value(): number {
    return this.current;
  }

  /** Estimated seconds left, from the average rate so far (NaN before the first unit). */
  eta(): number {
    if (this.current === 0) return Number.NaN;
    const elapsed = (this.now() - this.start) / 1000;
    return (elapsed / this.current) * (this.total - this.current);
  }

  /** Advances by `n` units and updates the displayed fields (e.g. loss, AUC). */
  tick(n = 1, fields?: Record<string, number | string>): void {
    this.current = Math.min(this.total, this.current + n);
    if (fields) this.fields = { ...this.fields, ...fields };
    const t = this.now();
    if (t - this.lastDraw >= this.interval || this.current === this.total) {
      this.lastDraw = t;
      this.draw(false);
    }
  }

  /** The line that would be drawn now. */
  render(): string {
    const frac = this.total === 0 ? 1 : this.current / this.total;
    const width = 24;
    const filled = Math.round(frac * width);
    const elapsed = (this.now() - this.start) / 1000;
    const rate = elapsed > 0 ? this.current / elapsed : 0;
    const extra = Object.entries(this.fields)
      .map(([k, v]) => `${k} ${typeof v === 'number' ? formatNumber(v) : v}`)
      .join(' ');
    return (
      `${this.label ? this.label + ' ' : ''}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
      `${this.current}/${this.total} ${(frac * 100).toFixed(0)}% ` +
      `${formatNumber(rate)}/s elapsed ${formatDuration(elapsed)} ETA ${formatDuration(this.eta())}` +
      (extra ? ` | ${extra}` : '')
    );
  }

  /** Draws the final state and ends the line. Idempotent. */
  done(): void {
    if (this.finished) return;
    this.finished = true;
    this.draw(true);
  }

  private draw(final: boolean): void {
    // done() right after the bar reached its total adds no second identical line.
    if (final && !this.stream.isTTY && this.drawnAt === this.current) return;
    this.drawnAt = this.current;
    const line = this.render();
    if (this.stream.isTTY) {
      const cols = this.stream.columns ?? 120;
      this.stream.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, line.length))}${final ? '\n' : ''}`);
    } else {
      this.stream.write(`${line}\n`);
    }
  }
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(a < 1 ? 4 : 2);
}
