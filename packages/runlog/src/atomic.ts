import { renameSync, writeFileSync } from 'node:fs';

/**
 * Writes a file atomically: a temporary file in the same directory, then a
 * rename over the target, so readers (and a crash) see either the old file
 * or the complete new one, never a partial write.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
