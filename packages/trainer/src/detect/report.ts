import type { FaceResult } from './detect.js';

/** One face as `caddm detect --json` prints it (and the web app's `window.caddmResults`). */
export interface FaceReport {
  readonly box: FaceResult['box'];
  readonly detectorScore: number;
  readonly pFake: number;
  readonly artifacts: ReadonlyArray<{ x0: number; y0: number; x1: number; y1: number; score: number }>;
  readonly artifactQuads: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
}

/** One image (or video frame): its faces, or why there are none. */
export type ImageReport = { readonly file: string; readonly faces: readonly FaceReport[] } | { readonly file: string; readonly error: string };

/** One video: its sampled frames and the mean over frames with a face of each frame's highest P(fake). */
export interface VideoReport {
  readonly file: string;
  readonly frames: readonly ImageReport[];
  readonly framesWithFace: number;
  /** Null when no frame had a face. */
  readonly pFake: number | null;
}

/** The error of an image in which the detector found no face (a result, not a failure). */
export const NO_FACE = 'no face found';

/** Rounds to 4 decimals, as the reports print. */
export function roundReport(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** A detected face as the reports print it. */
export function faceReport(f: FaceResult): FaceReport {
  const r = roundReport;
  return {
    box: f.box,
    detectorScore: r(f.detectorScore),
    pFake: r(f.pFake),
    artifacts: f.artifacts.map((a) => ({ x0: r(a.x0), y0: r(a.y0), x1: r(a.x1), y1: r(a.y1), score: r(a.score) })),
    artifactQuads: f.artifactQuads.map((q) => q.map(([x, y]) => [r(x), r(y)] as const)),
  };
}

/** A video's report from its frames' reports: frames with a face count, each by its highest P(fake). */
export function videoReport(file: string, frames: readonly ImageReport[]): VideoReport {
  const scores = frames.flatMap((f) => ('faces' in f && f.faces.length ? [Math.max(...f.faces.map((x) => x.pFake))] : []));
  return {
    file,
    frames,
    framesWithFace: scores.length,
    pFake: scores.length ? roundReport(scores.reduce((a, b) => a + b, 0) / scores.length) : null,
  };
}
