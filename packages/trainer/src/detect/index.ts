export { artifactBoxes, type ArtifactBox, type ArtifactBoxOptions } from './artifact.js';
export { detectImage, scoreAligned, NoFaceError, type FaceResult, type DetectImageOptions } from './detect.js';
