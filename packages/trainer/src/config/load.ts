import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { PROFILES } from './profiles.js';
import { ConfigSchema, type CaddmConfig, type CaddmConfigInput } from './schema.js';

/** Thrown when a configuration does not validate; `problems` has one line per issue. */
export class ConfigError extends Error {
  constructor(
    /** The file (or `<object>`) that was validated. */
    readonly source: string,
    /** One human-readable line per problem, e.g. `train.batch_size: must be > 0, got -1`. */
    readonly problems: readonly string[],
  ) {
    super(`invalid config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Options of {@link loadConfig} and {@link resolveConfig}. */
export interface LoadConfigOptions {
  /** Profile to start from; overrides the file's own `profile:` key. */
  readonly profile?: string;
  /** Dotted overrides applied last, e.g. `{ 'train.batch_size': 8 }` (from `--set k=v`). */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge where `b` wins; arrays are replaced, not merged. */
export function deepMerge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as Obj, v) : v;
  return out;
}

/** Sets `path` (dotted) in `obj`, creating objects on the way. */
/**
 * Sets `path` (dotted) in `obj`, copying every object on the way instead of
 * writing into it: `obj` may share nested objects with the profiles, which
 * must stay as they are for the next `resolveConfig` call.
 */
function setPath(obj: Obj, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    cur[p] = isObj(cur[p]) ? { ...(cur[p] as Obj) } : {};
    cur = cur[p] as Obj;
  }
  cur[parts[parts.length - 1]] = value;
}

function describeValue(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function getPath(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur = obj;
  for (const p of path) cur = isObj(cur) || Array.isArray(cur) ? (cur as Obj)[p as string] : undefined;
  return cur;
}

function formatIssues(input: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    const where = i.path.length ? i.path.join('.') : '(top level)';
    if (i.code === 'unrecognized_keys') {
      return `${where}: unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`;
    }
    const got = getPath(input, i.path);
    const gotText = got === undefined ? '' : `, got ${describeValue(got)}`;
    return `${where}: ${i.message}${i.code === 'custom' ? '' : gotText}`;
  });
}

/**
 * Validates a configuration object on top of a profile and returns it with
 * every default filled in; throws {@link ConfigError} listing every problem
 * (unknown keys, wrong types, impossible values).
 */
export function resolveConfig(input: CaddmConfigInput | Obj, options: LoadConfigOptions = {}, source = '<object>'): CaddmConfig {
  if (!isObj(input)) throw new ConfigError(source, ['(top level): expected a mapping of sections']);
  const profileName = options.profile ?? (typeof input.profile === 'string' ? input.profile : undefined);
  let merged: Obj = {};
  if (profileName != null) {
    const profile = PROFILES[profileName];
    if (profile == null) {
      throw new ConfigError(source, [`profile: unknown profile '${profileName}' (known: ${Object.keys(PROFILES).join(', ')})`]);
    }
    merged = deepMerge(merged, profile as Obj);
  }
  merged = deepMerge(merged, input as Obj);
  if (profileName != null) merged.profile = profileName;
  for (const [k, v] of Object.entries(options.overrides ?? {})) setPath(merged, k, v);
  const r = ConfigSchema.safeParse(merged);
  if (!r.success) throw new ConfigError(source, formatIssues(merged, r.error.issues));
  return r.data;
}

/**
 * Reads a YAML config file (e.g. the reference's `caddm_train.cfg` or one of
 * ours), applies its profile and the overrides, and validates it. Syntax
 * errors name the file, line and column.
 */
export function loadConfig(file: string, options: LoadConfigOptions = {}): CaddmConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [`cannot read the file: ${(e as Error).message}`]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}, column ${e.linePos?.[0]?.col ?? '?'}: ${e.message.split('\n')[0]}`),
    );
  }
  const value = (doc.toJS() ?? {}) as Obj;
  return resolveConfig(value, options, file);
}

/**
 * Parses `--set` style overrides (`train.batch_size=8`, `ablation.adm=false`):
 * values are read as YAML scalars/flow collections (numbers, booleans, lists).
 */
export function parseOverrides(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new ConfigError('--set', [`expected KEY=VALUE, got '${p}'`]);
    const doc = parseDocument(p.slice(i + 1));
    if (doc.errors.length) throw new ConfigError('--set', [`${p}: ${doc.errors[0].message.split('\n')[0]}`]);
    out[p.slice(0, i)] = doc.toJS();
  }
  return out;
}

/** The learning rate at `epoch` under a piecewise-constant schedule. */
export function learningRateAt(config: CaddmConfig, epoch: number): number {
  let lr = config.train.lr_schedule[0].lr;
  for (const s of config.train.lr_schedule) if (epoch >= s.epoch) lr = s.lr;
  return lr;
}
