import { engine, getBackend, getGradient, registerGradient, Relu, type GradConfig, type Tensor } from '@tensorflow/tfjs';
import { BACKEND_NAME } from './kernels/define.js';
import { RELU_GRAD_KERNEL } from './kernels/train.js';

let registered = false;

/**
 * Replaces relu's gradient, on the torch backend only, by one native kernel
 * ({@link RELU_GRAD_KERNEL}) instead of tfjs' step, cast and multiply, three
 * passes over each activation. The gradient registry is global, so other
 * backends keep tfjs' own gradient. Idempotent.
 */
export function registerTorchGradients(): void {
  if (registered) return;
  const stock = getGradient(Relu);
  const config: GradConfig = {
    kernelName: Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      if (getBackend() !== BACKEND_NAME && stock?.gradFunc != null) return stock.gradFunc(dy, saved, attrs);
      const [x] = saved;
      return { x: () => engine().runKernel(RELU_GRAD_KERNEL, { dy: dy as Tensor, x }) as Tensor };
    },
  };
  registerGradient(config);
  registered = true;
}
