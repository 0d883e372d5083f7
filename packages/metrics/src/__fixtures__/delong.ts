/**
 * Test-only: `delong.json`, the reference values of the statistics tests,
 * written by `tools/make_stats_fixtures.py` (naive O(m n) DeLong in numpy).
 */
import { readFileSync } from 'node:fs';

/** A number, or `"Infinity"` / `"-Infinity"` where JSON has no infinity. */
export type JsonNumber = number | 'Infinity' | '-Infinity';

/** One score vector's reference values. */
export interface SingleCase {
  readonly name: string;
  readonly note: string;
  readonly labels: number[];
  readonly scores: number[];
  readonly positives: number;
  readonly negatives: number;
  readonly auc: number;
  readonly s10: number;
  readonly s01: number;
  readonly variance: number;
  readonly se: number;
  readonly vs_chance: { readonly z: JsonNumber; readonly p: number; readonly ci: [number, number] };
}

/** Two score vectors on the same items. */
export interface PairedCase {
  readonly name: string;
  readonly note: string;
  readonly labels: number[];
  readonly scores_a: number[];
  readonly scores_b: number[];
  readonly auc_a: number;
  readonly auc_b: number;
  readonly s10: number[][];
  readonly s01: number[][];
  readonly variance_a: number;
  readonly variance_b: number;
  readonly diff: number;
  readonly se: number;
  readonly z: JsonNumber;
  readonly p: number;
  readonly ci: [number, number];
}

/** Shape of `delong.json`. */
export interface DelongFixture {
  readonly _about: string;
  readonly level: number;
  readonly single: SingleCase[];
  readonly paired: PairedCase[];
  readonly normal: { readonly z: number[]; readonly cdf: number[]; readonly p: number[]; readonly quantile: number[] };
}

/** Reads `delong.json` (committed beside this file; a missing file is an error). */
export function loadDelongFixture(): DelongFixture {
  return JSON.parse(readFileSync(new URL('./delong.json', import.meta.url), 'utf8')) as DelongFixture;
}

/** A fixture number as a JS number. */
export function num(v: JsonNumber): number {
  return typeof v === 'number' ? v : Number(v);
}
