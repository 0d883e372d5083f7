/**
 * FF++ official split files: `splits/{train,val,test}.json`, each a JSON list of
 * `[target, source]` pairs of 3-digit video names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SplitFileError } from '../errors.js';
import { SPLITS, type Split } from '../types.js';
import { isFile } from './fs-util.js';

/** The pairs of one split file. */
export type SplitPairs = Array<[string, string]>;

/**
 * Parses one FF++ split file.
 * @param path - the JSON file
 * @throws SplitFileError when it cannot be read, is not JSON, or is not a list of 2-string lists
 */
export function readSplitFile(path: string): SplitPairs {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SplitFileError(`cannot read split file ${path}: ${(e as Error).message}`, path);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SplitFileError(`split file ${path} is not valid JSON: ${(e as Error).message}`, path);
  }
  if (!Array.isArray(data)) {
    throw new SplitFileError(`split file ${path} must hold a JSON list of [target, source] pairs, got ${typeof data}`, path);
  }
  return data.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new SplitFileError(
        `split file ${path}: entry ${i} must be a pair of two video names like ["000", "003"], got ${JSON.stringify(pair)}`,
        path,
      );
    }
    return [pair[0], pair[1]] as [string, string];
  });
}

/** Where each video name of a split folder belongs. */
export interface SplitAssignment {
  /** Split of each original video name (`000` -> `train`). */
  originals: Map<string, Split>;
  /** Split of each fake name (`000_003` -> `train`); both directions of each pair. */
  fakes: Map<string, Split>;
  /** The split files read. */
  files: Partial<Record<Split, string>>;
}

/**
 * Reads every `<split>.json` present in a folder (`train`, `val`, `test`, `cross`).
 * @returns undefined when the folder holds none of them
 * @throws SplitFileError on a malformed file or a video listed in two splits
 */
export function readSplitFolder(dir: string): SplitAssignment | undefined {
  const originals = new Map<string, Split>();
  const fakes = new Map<string, Split>();
  const files: Partial<Record<Split, string>> = {};
  for (const split of SPLITS) {
    const path = join(dir, `${split}.json`);
    if (!isFile(path)) continue;
    files[split] = path;
    for (const [a, b] of readSplitFile(path)) {
      for (const name of [a, b]) {
        const prev = originals.get(name);
        if (prev !== undefined && prev !== split) {
          throw new SplitFileError(`video ${name} is listed in both ${prev}.json and ${split}.json (in ${dir}): splits would leak`, path);
        }
        originals.set(name, split);
      }
      fakes.set(`${a}_${b}`, split);
      fakes.set(`${b}_${a}`, split);
    }
  }
  return Object.keys(files).length === 0 ? undefined : { originals, fakes, files };
}
