/**
 * The training data loader: samples from a preprocessing cache (manifest + PNGs), seeded
 * shuffling, batches of aligned, MFS-swapped (fakes) or self-blended (`synthesis: 'sbi'`),
 * augmented canvases packed as NHWC float32 with labels and artifact boxes, built in-process
 * or in worker threads.
 */
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createRng } from '@caddm/image';
import { resolveSbiOptions, SbiError } from '@caddm/sbi';
import { DatasetError, DatasetOptionError } from '../errors.js';
import { loadManifest, type ManifestVideo } from '../preprocess/manifest.js';
import type { Split } from '../types.js';
import { buildBatch, type Batch, type BatchOptions } from './batch.js';
import { SYNTHESES, type SampleOptions, type SampleSpec } from './sample.js';
import type { WorkerRequest } from './worker.js';

/** Options of {@link FrameLoader.open}. */
export interface LoaderOptions extends SampleOptions {
  /** The preprocessing output folder (holding `manifest.jsonl`). */
  cache: string;
  /** Only these splits (default: all). */
  split?: Split | readonly Split[];
  /** Samples per batch. */
  batchSize: number;
  /** Seed (default 0): same seed, same batches, whatever `workers`. */
  seed?: number;
  /** Shuffle each epoch (default: `training`). */
  shuffle?: boolean;
  /** Drop the last incomplete batch (default: `training`). */
  dropLast?: boolean;
  /** Multiplier from 0..255 to the output scale (default 1/255). */
  valueScale?: number;
  /** Worker threads building batches (default 0: in-process). */
  workers?: number;
  /** Keep only videos passing this filter. */
  filter?: (v: ManifestVideo) => boolean;
  /**
   * Class balance per epoch: the minority class's samples are repeated
   * (seeded) until genuine and fake samples are equally many (FF++ and the
   * embedded benchmark have four fakes per real). Default false, as the
   * reference. A no-op with `synthesis: 'sbi'`, whose classes are balanced.
   */
  balance?: boolean;
}

/** Frames the loader could not use, by reason. */
export interface LoaderSkips {
  /** Frames without landmarks (no face found at preprocessing). */
  noFace: number;
  /** Fake frames without a source frame (used without MFS). */
  noSource: number;
  /** Videos whose preprocessing failed. */
  failedVideos: number;
  /** Fake videos left out because `synthesis: 'sbi'` makes its fakes from real frames. */
  fakeVideos: number;
}

interface Pending {
  resolve: (b: Batch) => void;
  reject: (e: Error) => void;
}

/**
 * Seeded batches of training (or evaluation) samples from a preprocessing cache.
 *
 * With `synthesis: 'sbi'` the fake videos of the cache are ignored and every usable real frame
 * gives two samples, itself (label 0) then its self-blend (label 1), so an epoch sees each real
 * frame twice and the classes are balanced.
 */
export class FrameLoader {
  private workers: Worker[] = [];
  private pending = new Map<number, Pending>();
  private busy = new Map<Worker, number>();
  private nextId = 0;
  private rr = 0;

  private constructor(
    /** All usable samples, in manifest order. */
    readonly samples: readonly SampleSpec[],
    /** What was left out. */
    readonly skips: LoaderSkips,
    private readonly opts: LoaderOptions,
  ) {}

  /**
   * Reads the manifest of a preprocessing cache.
   * @throws DatasetOptionError for a bad batch size, canvas size, `synthesis` or `sbi` option
   * @throws DatasetError when the cache has no manifest or no usable sample
   */
  static open(options: LoaderOptions): FrameLoader {
    if (!Number.isInteger(options.batchSize) || options.batchSize <= 0) throw new DatasetOptionError(`batchSize must be a positive integer, got ${options.batchSize}`);
    if (!Number.isInteger(options.canvasSize) || options.canvasSize < 16) throw new DatasetOptionError(`canvasSize must be an integer >= 16, got ${options.canvasSize}`);
    const synthesis = options.synthesis ?? 'mfs';
    if (!SYNTHESES.includes(synthesis)) throw new DatasetOptionError(`synthesis must be one of ${SYNTHESES.join(', ')}, got ${JSON.stringify(synthesis)}`);
    const sbi = synthesis === 'sbi';
    if (sbi) {
      try {
        resolveSbiOptions(options.sbi);
      } catch (e) {
        if (e instanceof SbiError) throw new DatasetOptionError(`bad sbi option: ${e.message}`);
        throw e;
      }
    }
    const root = resolve(options.cache);
    const { videos } = loadManifest(join(root, 'manifest.jsonl'));
    if (videos.size === 0) throw new DatasetError(`no preprocessed video in ${root} (run preprocess first: manifest.jsonl is missing or empty)`, root);
    const splits = options.split === undefined ? undefined : new Set(typeof options.split === 'string' ? [options.split] : options.split);
    const samples: SampleSpec[] = [];
    const skips: LoaderSkips = { noFace: 0, noSource: 0, failedVideos: 0, fakeVideos: 0 };
    for (const v of [...videos.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (splits && (v.split === undefined || !splits.has(v.split))) continue;
      if (options.filter && !options.filter(v)) continue;
      if (sbi && v.label === 1) {
        skips.fakeVideos++;
        continue;
      }
      if (v.status !== 'ok') {
        skips.failedVideos++;
        continue;
      }
      for (const f of v.frames) {
        if (!f.landmarks) {
          skips.noFace++;
          continue;
        }
        const s: SampleSpec = { id: v.id, frame: f.index, label: v.label, file: join(root, f.file), landmarks: f.landmarks };
        if (sbi) {
          samples.push(s, { ...s, label: 1 });
          continue;
        }
        if (v.label === 1) {
          if (f.source) s.sourceFile = join(root, f.source.file);
          else skips.noSource++;
        }
        samples.push(s);
      }
    }
    if (samples.length === 0) {
      throw new DatasetError(`no usable ${sbi ? 'real frame (synthesis sbi self-blends real frames only)' : 'frame'} in ${root}${splits ? ` for split ${[...splits].join(', ')}` : ''}`, root);
    }
    return new FrameLoader(samples, skips, options);
  }

  /** Samples per batch. */
  get batchSize(): number {
    return this.opts.batchSize;
  }

  /** Batches per epoch. */
  get batchesPerEpoch(): number {
    const n = this.epochLength / this.opts.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /** Samples per epoch (more than {@link samples} when balancing repeats the minority class). */
  get epochLength(): number {
    if (!this.opts.balance) return this.samples.length;
    let real = 0;
    for (const s of this.samples) if (s.label === 0) real++;
    const fake = this.samples.length - real;
    return real === 0 || fake === 0 ? this.samples.length : 2 * Math.max(real, fake);
  }

  private get training(): boolean {
    return this.opts.training ?? true;
  }

  private get dropLast(): boolean {
    return this.opts.dropLast ?? this.training;
  }

  /** The sample order of an epoch (seeded shuffle). */
  order(epoch: number): number[] {
    const rng = createRng(((this.opts.seed ?? 0) ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
    const idx = [...this.samples.keys()];
    if (this.opts.balance) {
      const real = idx.filter((i) => this.samples[i].label === 0);
      const fake = idx.filter((i) => this.samples[i].label === 1);
      const [few, many] = real.length < fake.length ? [real, fake] : [fake, real];
      if (few.length > 0) for (let k = few.length; k < many.length; k++) idx.push(few[rng.int(0, few.length)]);
    }
    if (this.opts.shuffle ?? this.training) rng.shuffle(idx);
    return idx;
  }

  private batchOpts(): BatchOptions {
    const { cache: _c, split: _s, batchSize: _b, shuffle: _sh, dropLast: _d, workers: _w, filter: _f, balance: _bal, seed, ...rest } = this.opts;
    return { ...rest, seed: seed ?? 0 };
  }

  /**
   * The batches of one epoch. With workers, up to `2 x workers` batches are built ahead.
   */
  async *epoch(epoch = 0): AsyncGenerator<Batch> {
    const order = this.order(epoch);
    const B = this.opts.batchSize;
    const n = this.batchesPerEpoch;
    const make = (k: number): Promise<Batch> => {
      const idx = order.slice(k * B, Math.min(order.length, (k + 1) * B));
      const p = this.build(idx, epoch);
      p.catch(() => undefined); // rejections surface when the batch is awaited
      return p;
    };
    const ahead = Math.max(1, 2 * (this.opts.workers ?? 0));
    const queue: Array<Promise<Batch>> = [];
    let next = 0;
    while (next < n && queue.length < ahead) queue.push(make(next++));
    while (queue.length > 0) {
      const b = await queue.shift()!;
      if (next < n) queue.push(make(next++));
      yield b;
    }
  }

  private build(indices: number[], epoch: number): Promise<Batch> {
    const specs = indices.map((i) => this.samples[i]);
    const workers = this.opts.workers ?? 0;
    if (workers <= 0) return buildBatch(specs, indices, epoch, this.batchOpts());
    if (this.workers.length === 0) this.startWorkers(workers);
    const w = this.workers[this.rr++ % this.workers.length];
    const id = this.nextId++;
    // Keep the process alive while a worker owes a batch; idle workers do not hold it open.
    this.busy.set(w, (this.busy.get(w) ?? 0) + 1);
    w.ref();
    const settle = (): void => {
      const left = (this.busy.get(w) ?? 1) - 1;
      this.busy.set(w, left);
      if (left === 0) w.unref();
    };
    return new Promise<Batch>((res, rej) => {
      this.pending.set(id, {
        resolve: (b) => {
          settle();
          res(b);
        },
        reject: (e) => {
          settle();
          rej(e);
        },
      });
      const req: WorkerRequest = { id, specs, indices, epoch, opts: this.batchOpts() };
      w.postMessage(req);
    });
  }

  private startWorkers(n: number): void {
    const fromSource = import.meta.url.endsWith('.ts');
    const url = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url);
    for (let i = 0; i < n; i++) {
      // From TypeScript sources (tests, tsx), the worker registers tsx before importing its entry.
      const w = fromSource
        ? new Worker(
            `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })` +
              `.catch((e) => require('node:worker_threads').parentPort.postMessage({ id: -1, error: String((e && e.stack) || e) }));`,
            { eval: true, execArgv: ['--conditions=@caddm/source'] },
          )
        : new Worker(url);
      w.on('message', (m: { id: number; batch?: Batch; error?: string }) => {
        if (m.id === -1) {
          for (const p of this.pending.values()) p.reject(new DatasetError(`loader worker could not start: ${m.error ?? ''}`));
          this.pending.clear();
          return;
        }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error || !m.batch) p.reject(new DatasetError(`loader worker failed: ${m.error ?? 'no batch'}`));
        else p.resolve(m.batch);
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(new DatasetError(`loader worker crashed: ${e.message}`));
        this.pending.clear();
      });
      w.unref();
      this.workers.push(w);
    }
  }

  /** Stops the worker threads (if any). */
  async close(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    for (const p of this.pending.values()) p.reject(new DatasetError('the loader was closed'));
    this.pending.clear();
    // terminate() of a worker stopped mid-batch may never settle (its exit event is lost once
    // nothing else keeps the event loop alive, and the process would just stop): wait for it
    // at most a moment, with a timer that keeps the loop alive meanwhile.
    await Promise.all(
      ws.map((w) => {
        let timer: NodeJS.Timeout | undefined;
        const waited = new Promise<void>((res) => {
          timer = setTimeout(res, 2000);
        });
        return Promise.race([w.terminate().then(() => undefined), waited]).finally(() => clearTimeout(timer));
      }),
    );
  }
}
