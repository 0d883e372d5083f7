import { align5p } from '@caddm/face';
import { detectFaces, type DetectOptions } from '@caddm/face-detect';
import { invert3x3, type Image, type ImageU8 } from '@caddm/image';
import { tf } from '@caddm/tf';
import { toNetInput } from '../input.js';
import type { LoadedRun } from '../run.js';
import { anchorProbabilities, artifactBoxes, type ArtifactBox, type ArtifactBoxOptions } from './artifact.js';

/** One face found and scored. */
export interface FaceResult {
  /** Detector box in the input image's pixels. */
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** Detector confidence. */
  readonly detectorScore: number;
  /** P(fake) from the model. */
  readonly pFake: number;
  /** Artifact boxes on the aligned face (canvas pixels), best first; empty without the ADM or below threshold. */
  readonly artifacts: readonly ArtifactBox[];
  /** The artifact boxes' corners mapped back into the input image (4 points each, clockwise from top-left). */
  readonly artifactQuads: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  /** The aligned face the model saw. */
  readonly aligned: ImageU8;
  /** Every anchor's P(artifact) on the aligned face, in prior order (the heat map); empty without the ADM. */
  readonly anchorScores: Float32Array;
}

/** Options of {@link detectImage}. */
export interface DetectImageOptions extends ArtifactBoxOptions {
  /** Face detector settings (face-api). */
  readonly detector?: DetectOptions;
}

/** Thrown when an image has no face (so callers can report it per file). */
export class NoFaceError extends Error {
  constructor(readonly source: string) {
    super(`${source}: no face found`);
    this.name = 'NoFaceError';
  }
}

/** What {@link scoreAligned} and {@link detectImage} need of a loaded model: a run, or a web export loaded in a page. */
export type ScoringModel = Pick<LoadedRun, 'net' | 'priors' | 'config'>;

/** One aligned face scored. */
export interface AlignedScore {
  /** P(fake). */
  readonly pFake: number;
  /** Artifact boxes after NMS, best first. */
  readonly artifacts: ArtifactBox[];
  /** Every anchor's P(artifact) (softmax of its two logits), in prior order; empty without the ADM. */
  readonly anchorScores: Float32Array;
}

/** Scores already-aligned faces (canvas-sized uint8 RGB); returns P(fake) and artifact boxes per face. */
export function scoreAligned(run: ScoringModel, faces: readonly Image[], options: ArtifactBoxOptions = {}): AlignedScore[] {
  const size = run.config.crop_face.output_size;
  const n = faces.length;
  if (n === 0) return [];
  const buf = new Float32Array(n * size * size * 3);
  faces.forEach((f, i) => {
    if (f.shape[0] !== size || f.shape[1] !== size || f.shape[2] !== 3) throw new Error(`aligned face ${i} is [${f.shape}], expected [${size},${size},3]`);
    toNetInput(f.data, run.config.model.input_norm, buf, i * size * size * 3);
  });
  const out = tf.tidy(() => {
    const o = run.net.forward(tf.tensor4d(buf, [n, size, size, 3]), false);
    return { p: tf.softmax(o.logits).slice([0, 1], [-1, 1]).reshape([-1]), loc: o.loc, conf: o.conf };
  });
  const p = out.p.dataSync();
  const loc = out.loc?.dataSync();
  const conf = out.conf?.dataSync();
  tf.dispose([out.p, out.loc, out.conf].filter((t): t is tf.Tensor => t != null));
  const A = run.priors?.count ?? 0;
  return Array.from({ length: n }, (_, i) => ({
    pFake: p[i],
    anchorScores: conf != null ? anchorProbabilities(conf.subarray(i * A * 2, (i + 1) * A * 2)) : new Float32Array(0),
    artifacts:
      loc != null && conf != null && run.priors != null
        ? artifactBoxes(loc.subarray(i * A * 4, (i + 1) * A * 4), conf.subarray(i * A * 2, (i + 1) * A * 2), run.priors, size, {
            variances: run.config.adm_det.variances,
            ...options,
          })
        : [],
  }));
}

/**
 * Finds every face in `image` (face-api, 68 landmarks), aligns it as in
 * training (5-point similarity, no jitter), and scores it: P(fake) and the
 * artifact boxes after NMS (paper Fig. 6). Throws {@link NoFaceError} when
 * no face is found.
 */
export async function detectImage(run: ScoringModel, image: ImageU8, source: string, options: DetectImageOptions = {}): Promise<FaceResult[]> {
  const faces = await detectFaces(image, options.detector);
  if (faces.length === 0) throw new NoFaceError(source);
  const c = run.config.crop_face;
  const aligned = faces.map((f) =>
    align5p(image, f.landmarks68, { faceWidth: c.face_width, canvasSize: c.output_size, scale: c.scale }),
  );
  const scored = scoreAligned(run, aligned.map((a) => a.image), options);
  return faces.map((f, i) => {
    const inv = invert3x3(aligned[i].matrix);
    const back = (x: number, y: number): [number, number] => {
      const w = inv[6] * x + inv[7] * y + inv[8];
      return [(inv[0] * x + inv[1] * y + inv[2]) / w, (inv[3] * x + inv[4] * y + inv[5]) / w];
    };
    return {
      box: f.box,
      detectorScore: f.score,
      pFake: scored[i].pFake,
      artifacts: scored[i].artifacts,
      anchorScores: scored[i].anchorScores,
      artifactQuads: scored[i].artifacts.map((b) => [back(b.x0, b.y0), back(b.x1, b.y0), back(b.x1, b.y1), back(b.x0, b.y1)]),
      aligned: aligned[i].image as ImageU8,
    };
  });
}
