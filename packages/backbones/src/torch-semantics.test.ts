import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@caddm/tf';
import { createBackbone, parseSafetensors, type BackboneOptions } from './index.js';
import { initTestBackend } from './testing/shared.js';

beforeAll(initTestBackend);

/**
 * Fixtures written by tools/make_torch_semantics_fixtures.py: tiny networks
 * with random F16 weights in the source libraries' key layouts, and logits
 * computed by an independent numpy implementation of the PyTorch forward
 * passes (asymmetric static padding, grouped convs, -inf max-pool padding).
 */
const FIXTURES = ['efficientnet-b0-tiny', 'xception-tiny', 'resnet50-tiny'];

function fixture(name: string, ext: string): string {
  return fileURLToPath(new URL(`./__fixtures__/${name}.${ext}`, import.meta.url));
}

describe('imported weights reproduce PyTorch-semantics logits (numpy reference)', () => {
  it.each(FIXTURES.map((f) => [f]))('%s', (name) => {
    const before = tf.memory().numTensors;
    const meta = JSON.parse(readFileSync(fixture(name, 'json'), 'utf8')) as {
      options: BackboneOptions & { inputSize: [number, number] };
      logits: number[][];
    };
    const file = parseSafetensors(readFileSync(fixture(name, 'safetensors')));
    expect([...file.tensors.values()].some((t) => t.dtype === 'F16')).toBe(true);
    const b = createBackbone(meta.options, { init: 'zeros' });
    b.loadStateDict(file.tensors);
    const [h, w] = meta.options.inputSize;
    const x = tf.tidy(() => {
      // x[n,c,h,w] = ((7n + 13c + 31h + 17w) mod 97) / 97, built directly in NHWC.
      const data = new Float32Array(2 * h * w * 3);
      for (let n = 0; n < 2; n++)
        for (let i = 0; i < h; i++)
          for (let j = 0; j < w; j++)
            for (let c = 0; c < 3; c++) data[((n * h + i) * w + j) * 3 + c] = ((7 * n + 13 * c + 31 * i + 17 * j) % 97) / 97;
      return tf.tensor4d(data, [2, h, w, 3]);
    });
    const out = b.apply(x);
    const got = out.logits!.arraySync();
    const scale = Math.max(...meta.logits.flat().map(Math.abs));
    let maxDiff = 0;
    got.forEach((row, i) => row.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - meta.logits[i][j])))));
    expect(maxDiff / scale).toBeLessThan(1e-4);
    tf.dispose([x, out.features, out.pooled, out.logits!]);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
