import { backendInfo, describeBackend, initBackend, tf } from '@caddm/tf';
import type { Experiment } from '../types.js';

/**
 * Proves the wiring: backend selection, a timed tfjs computation, and the
 * report writer. Not a paper experiment.
 */
export const hello: Experiment = {
  name: 'hello',
  title: 'Wiring check: backend selection, a small convolution, a report',
  paperRef: '-',
  async run(ctx) {
    await initBackend();
    const size = ctx.quick ? 32 : 64;
    const t0 = performance.now();
    const value = tf.tidy(() => {
      const x = tf.randomNormal([2, size, size, 3], 0, 1, 'float32', ctx.seed) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, 3, 8], 0, 0.1, 'float32', ctx.seed + 1) as tf.Tensor4D;
      return tf.conv2d(x, w, 1, 'same').square().mean().dataSync()[0];
    });
    const ms = performance.now() - t0;
    ctx.log(`conv2d on ${size}x${size}: mean square ${value.toFixed(4)} in ${ms.toFixed(1)} ms`);
    const info = backendInfo();
    return {
      markdown: [
        '| check | value |',
        '|---|---|',
        `| backend | ${info ? describeBackend(info) : 'none'} |`,
        `| conv2d 3x3, 2x${size}x${size}x3 -> 8, mean square | ${value.toFixed(4)} |`,
        `| time | ${ms.toFixed(1)} ms |`,
        '',
        'No paper numbers: this experiment only checks that the toolchain works.',
      ].join('\n'),
      raw: { backend: info?.choice, size, value, ms },
    };
  },
};
