import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One parsed JSONL record and its line number (1-based). */
export interface JsonlRecord<T> {
  readonly line: number;
  readonly value: T;
}

/** Thrown by {@link readJsonl} for a malformed line that is not the last one. */
export class JsonlError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'JsonlError';
  }
}

/**
 * An append-only JSON-lines log. Each `write` appends one complete line with
 * a single `appendFileSync` call, so a killed process leaves at most one
 * partial line at the end, which {@link readJsonl} tolerates.
 */
export class JsonlWriter {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  /** Appends one record (a `time` field with the ISO timestamp is added unless present). */
  write(record: Record<string, unknown>): void {
    const r = 'time' in record ? record : { time: new Date().toISOString(), ...record };
    appendFileSync(this.file, JSON.stringify(r) + '\n');
  }
}

/**
 * Reads a JSONL file. A malformed LAST line (a write cut short by a crash)
 * is dropped and reported through `onTruncated`; a malformed line anywhere
 * else throws {@link JsonlError} naming the file and line. A missing file
 * reads as empty.
 */
export function readJsonl<T = unknown>(file: string, onTruncated?: (line: number, text: string) => void): JsonlRecord<T>[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: JsonlRecord<T>[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    if (text.trim() === '') continue;
    try {
      out.push({ line: i + 1, value: JSON.parse(text) as T });
    } catch (e) {
      if (i === lines.length - 1) {
        onTruncated?.(i + 1, text);
      } else {
        throw new JsonlError(file, i + 1, `not valid JSON (${(e as Error).message})`);
      }
    }
  }
  return out;
}
