/**
 * Deterministic sharding of a dataset's videos across processes or machines
 * (SLURM job arrays, Kubernetes Indexed Jobs): a video belongs to shard
 * `hash(key) mod N`, with a stable 32-bit FNV-1a hash of its key, so the
 * partition depends neither on listing order nor on the machine.
 *
 * @packageDocumentation
 */
import { join } from 'node:path';
import { DatasetOptionError } from '../errors.js';

/** One part of N: `index` in `0..count-1`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** FNV-1a (32-bit) of a string's UTF-16 code units: stable across runs, machines and Node versions. */
export function stableHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The shard (`0..count-1`) a key belongs to. */
export function shardOf(key: string, count: number): number {
  return stableHash(key) % count;
}

/** Whether a key belongs to `shard`. */
export function inShard(key: string, shard: Shard): boolean {
  return shardOf(key, shard.count) === shard.index;
}

/** Where a shard writes under a shared output folder: `<out>/shards/<index>-of-<count>`. */
export function shardDir(out: string, shard: Shard): string {
  return join(out, 'shards', `${shard.index}-of-${shard.count}`);
}

/** The shard a `shards/<index>-of-<count>` folder name stands for, or undefined. */
export function parseShardDirName(name: string): Shard | undefined {
  const m = /^(\d+)-of-(\d+)$/.exec(name);
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index < count ? { index, count } : undefined;
}

function checked(index: number, count: number, spec: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1) throw new DatasetOptionError(`--shard ${spec}: the shard count must be a positive integer`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw new DatasetOptionError(`--shard ${spec}: the index must be an integer from 0 to ${count - 1}`);
  return { index, count };
}

/**
 * Reads `--shard`: `I/N` (shard I of N, from 0), `auto` (SLURM job array:
 * `SLURM_ARRAY_TASK_ID` counted from `SLURM_ARRAY_TASK_MIN`, and
 * `SLURM_ARRAY_TASK_COUNT`), or `auto/N` (the index from SLURM or from a
 * Kubernetes Indexed Job's `JOB_COMPLETION_INDEX`, with N shards).
 *
 * @throws DatasetOptionError (one line) naming what is wrong or missing
 */
export function parseShard(spec: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const explicit = /^(\d+)\/(\d+)$/.exec(spec);
  if (explicit) return checked(Number(explicit[1]), Number(explicit[2]), spec);
  const auto = /^auto(?:\/(\d+))?$/.exec(spec);
  if (!auto) throw new DatasetOptionError(`--shard ${spec}: expected I/N (e.g. 0/4), auto (SLURM job array) or auto/N (SLURM or Kubernetes Indexed Job)`);
  const num = (name: string): number | undefined => (env[name] != null && env[name] !== '' ? Number(env[name]) : undefined);
  const slurmId = num('SLURM_ARRAY_TASK_ID');
  const index = slurmId != null ? slurmId - (num('SLURM_ARRAY_TASK_MIN') ?? 0) : num('JOB_COMPLETION_INDEX');
  if (index == null) {
    throw new DatasetOptionError(`--shard ${spec}: neither SLURM_ARRAY_TASK_ID (SLURM job array) nor JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set; give --shard I/N`);
  }
  const count = auto[1] != null ? Number(auto[1]) : num('SLURM_ARRAY_TASK_COUNT');
  if (count == null) throw new DatasetOptionError(`--shard ${spec}: the shard count is unknown (SLURM_ARRAY_TASK_COUNT is not set); give --shard auto/N`);
  return checked(index, count, spec);
}
