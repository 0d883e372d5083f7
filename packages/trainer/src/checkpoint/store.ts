import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** Bookkeeping saved with every checkpoint. */
export interface CheckpointMeta {
  /** Global optimisation step (batches seen). */
  readonly step: number;
  /** Epoch the step belongs to. */
  readonly epoch: number;
  /** Anything else the trainer needs to resume (RNG state, config, metrics). */
  readonly [key: string]: unknown;
}

/** A checkpoint read back and verified. */
export interface Checkpoint {
  /** Its directory. */
  readonly path: string;
  readonly meta: CheckpointMeta;
  /** File name -> bytes, each verified against its SHA-256. */
  readonly files: Readonly<Record<string, Uint8Array>>;
}

/** Thrown when a checkpoint is partial or does not match its checksums. */
export class CheckpointError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`checkpoint ${path}: ${detail}`);
    this.name = 'CheckpointError';
  }
}

interface Manifest {
  readonly format: 'caddm-checkpoint/1';
  readonly meta: CheckpointMeta;
  readonly files: Record<string, { sha256: string; bytes: number }>;
}

const MANIFEST = 'manifest.json';
const PREFIX = 'step-';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function writeDurable(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, 'w');
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse to fsync directories; the rename is still atomic.
  }
}

/** Options of {@link CheckpointStore}. */
export interface CheckpointStoreOptions {
  /** How many checkpoints to keep (oldest removed after each save). Default 3. */
  readonly keep?: number;
  /** Where warnings about skipped (corrupt, partial) checkpoints go. Default: stderr. */
  readonly warn?: (message: string) => void;
}

/**
 * Checkpoints that survive a crash: each is a directory `step-<N>` holding
 * the trainer's files (weights, optimiser state) and a `manifest.json` with
 * the metadata and every file's SHA-256 and size. A checkpoint is written
 * into a temporary directory, every file fsync'd, the manifest written last,
 * then the directory renamed into place (atomic), so a killed process leaves
 * either a complete checkpoint or a `.tmp-*` directory that is ignored and
 * cleaned up. {@link latest} verifies checksums and skips, with a warning,
 * anything partial or corrupt.
 */
export class CheckpointStore {
  private readonly keep: number;
  private readonly warn: (message: string) => void;

  constructor(
    /** The directory holding the checkpoints. */
    readonly dir: string,
    options: CheckpointStoreOptions = {},
  ) {
    this.keep = options.keep ?? 3;
    if (!Number.isInteger(this.keep) || this.keep < 1) throw new RangeError(`keep must be an integer >= 1, got ${options.keep}`);
    this.warn = options.warn ?? ((m) => process.stderr.write(`warning: ${m}\n`));
  }

  /** Writes a checkpoint atomically and prunes old ones; returns its directory. */
  save(meta: CheckpointMeta, files: Readonly<Record<string, Uint8Array>>): string {
    if (!Number.isInteger(meta.step) || meta.step < 0) throw new RangeError(`checkpoint step must be an integer >= 0, got ${meta.step}`);
    for (const name of Object.keys(files)) {
      if (name === MANIFEST || name.includes('/') || name.includes('\\') || name.startsWith('.')) {
        throw new Error(`invalid checkpoint file name '${name}'`);
      }
    }
    mkdirSync(this.dir, { recursive: true });
    this.removeTemporaries();
    const finalPath = join(this.dir, `${PREFIX}${String(meta.step).padStart(9, '0')}`);
    const tmp = join(this.dir, `.tmp-${PREFIX}${meta.step}-${process.pid}-${Date.now()}`);
    mkdirSync(tmp);
    const manifest: Manifest = { format: 'caddm-checkpoint/1', meta, files: {} };
    for (const [name, bytes] of Object.entries(files)) {
      writeDurable(join(tmp, name), bytes);
      manifest.files[name] = { sha256: sha256(bytes), bytes: bytes.length };
    }
    writeDurable(join(tmp, MANIFEST), JSON.stringify(manifest, null, 2));
    fsyncDir(tmp);
    if (existsSync(finalPath)) rmSync(finalPath, { recursive: true, force: true });
    renameSync(tmp, finalPath);
    fsyncDir(this.dir);
    this.prune();
    return finalPath;
  }

  /** Checkpoint directories, oldest first (not verified). */
  list(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((d) => d.startsWith(PREFIX))
      .sort()
      .map((d) => join(this.dir, d));
  }

  /** Reads and verifies one checkpoint; throws {@link CheckpointError} if partial or corrupt. */
  load(path: string): Checkpoint {
    const mpath = join(path, MANIFEST);
    if (!existsSync(mpath)) throw new CheckpointError(path, `no ${MANIFEST} (partial write)`);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(mpath, 'utf8')) as Manifest;
    } catch (e) {
      throw new CheckpointError(path, `${MANIFEST} is not valid JSON (${(e as Error).message})`);
    }
    if (manifest.format !== 'caddm-checkpoint/1') throw new CheckpointError(path, `unknown format '${String(manifest.format)}'`);
    const files: Record<string, Uint8Array> = {};
    for (const [name, want] of Object.entries(manifest.files)) {
      const p = join(path, name);
      if (!existsSync(p)) throw new CheckpointError(path, `missing file ${name}`);
      const bytes = readFileSync(p);
      if (bytes.length !== want.bytes) throw new CheckpointError(path, `${name} has ${bytes.length} bytes, expected ${want.bytes}`);
      if (sha256(bytes) !== want.sha256) throw new CheckpointError(path, `${name} does not match its SHA-256`);
      files[name] = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    return { path, meta: manifest.meta, files };
  }

  /**
   * The newest checkpoint that verifies, or `undefined` if none does. Corrupt
   * or partial ones are skipped with a warning naming the problem.
   */
  latest(): Checkpoint | undefined {
    for (const path of this.list().reverse()) {
      try {
        return this.load(path);
      } catch (e) {
        if (!(e instanceof CheckpointError)) throw e;
        this.warn(`${e.message}; skipped`);
      }
    }
    return undefined;
  }

  private removeTemporaries(): void {
    for (const d of readdirSync(this.dir)) if (d.startsWith('.tmp-')) rmSync(join(this.dir, d), { recursive: true, force: true });
  }

  private prune(): void {
    const all = this.list();
    for (const p of all.slice(0, Math.max(0, all.length - this.keep))) rmSync(p, { recursive: true, force: true });
  }
}
