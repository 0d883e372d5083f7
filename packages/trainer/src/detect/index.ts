export { artifactBoxes, anchorProbabilities, type ArtifactBox, type ArtifactBoxOptions } from './artifact.js';
export { detectImage, scoreAligned, NoFaceError, type AlignedScore, type FaceResult, type DetectImageOptions, type ScoringModel } from './detect.js';
export { faceReport, videoReport, roundReport, NO_FACE, type FaceReport, type ImageReport, type VideoReport } from './report.js';
