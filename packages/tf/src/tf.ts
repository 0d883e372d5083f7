/**
 * The one TensorFlow.js instance every `@caddm/*` package uses.
 *
 * Importing tfjs through this module (instead of `@tensorflow/tfjs` directly)
 * guarantees that kernels, backends and tensors registered by one package are
 * seen by all the others.
 *
 * @packageDocumentation
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
