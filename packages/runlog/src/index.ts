/**
 * `@caddm/runlog`: progress bars with ETA and append-only JSONL logs that
 * survive a killed process, for every long job in the project.
 *
 * @packageDocumentation
 */
export { Progress, formatDuration, type ProgressOptions } from './progress.js';
export { JsonlWriter, readJsonl, JsonlError, type JsonlRecord } from './jsonl.js';
export { writeFileAtomic } from './atomic.js';
