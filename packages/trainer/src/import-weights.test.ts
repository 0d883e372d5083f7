import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSafetensors, TorchCheckpointError } from '@caddm/backbones';
import { requireShared } from '@caddm/testkit';
import { countTensors, initBackend, tf } from '@caddm/tf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_PROVENANCE, importWeights, ImportWeightsError } from './import-weights.js';
import { toNetInput } from './input.js';
import { loadRun } from './run.js';
import { runCliCaptured } from './cli/__fixtures__/run-cli.js';

/** Made by tools/make_reference_checkpoint_fixture.py: the reference's CADDM (ResNet-34 at 1/32 width), saved as the authors' train.py saves it. */
const fixtures = fileURLToPath(new URL('./__fixtures__/reference-caddm/', import.meta.url));
const checkpoint = join(fixtures, 'epoch_0.pkl');
const NARROW = { 'model.width': 0.03125 };
const lfwImage = requireShared('faces/lfw/Bill_Gates/Bill_Gates_0001.jpg');
const root = mkdtempSync(join(tmpdir(), 'caddm-import-'));

beforeAll(async () => {
  await initBackend({ quiet: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The fixture's tensors as float32 arrays (uint8 for the image). */
function reference(): { image: Uint8Array; loc: Float32Array; conf: Float32Array; logits: Float32Array } {
  const t = parseSafetensors(readFileSync(join(fixtures, 'outputs.safetensors'))).tensors;
  const f32 = (k: string) => {
    const d = t.get(k)!.data;
    return new Float32Array(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength));
  };
  const img = t.get('image_bgr')!.data;
  return { image: new Uint8Array(img.buffer, img.byteOffset, img.byteLength), loc: f32('loc'), conf: f32('conf'), logits: f32('logits') };
}

/** Largest |a - b| over the largest |b|. */
function relError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}


describe("importWeights: the authors' checkpoint layout", () => {
  it("gives the reference's outputs to 1e-4 relative, fed as its test code feeds it (raw BGR 0-255)", async () => {
    const before = countTensors();
    const out = join(root, 'api');
    const lines: string[] = [];
    const r = await importWeights({ file: checkpoint, arch: 'resnet34', out, overrides: NARROW, log: (l) => lines.push(l) });
    expect(r.entry).toBe('network');
    expect(r.skipped).toEqual(expect.arrayContaining(['base_model.fc.weight', 'base_model.fc.bias']));
    expect(r.skipped.filter((k) => !k.endsWith('.num_batches_tracked'))).toEqual(['base_model.fc.weight', 'base_model.fc.bias']);
    expect(lines[0]).toBe(`${checkpoint}: torch.save checkpoint, state dict from 'network' (${r.loaded + r.skipped.length} tensors; also holds 'opt_state', 'epoch')`);
    expect(lines[1]).toMatch(/skipped \d+: base_model\.fc\.weight, base_model\.fc\.bias, \d+ num_batches_tracked$/);
    const prov = JSON.parse(readFileSync(join(out, IMPORT_PROVENANCE), 'utf8'));
    expect(prov).toMatchObject({ source: checkpoint, sha256: r.sha256, arch: 'resnet34', entry: 'network', inputNorm: 'reference', bytes: readFileSync(checkpoint).length });
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);

    const run = loadRun(out);
    try {
      expect(run.config.model.input_norm).toBe('reference');
      expect(run.config.crop_face.output_size).toBe(224);
      expect(run.config.ablation.adm).toBe(true);
      const ref = reference();
      // The image as our pipeline holds it (RGB); toNetInput with the run's normalisation must give the reference's input back.
      const rgb = new Uint8Array(ref.image.length);
      for (let i = 0; i < rgb.length; i += 3) [rgb[i], rgb[i + 1], rgb[i + 2]] = [ref.image[i + 2], ref.image[i + 1], ref.image[i]];
      const input = toNetInput(rgb, run.config.model.input_norm);
      expect(Array.from(input.subarray(0, 6))).toEqual(Array.from(ref.image.subarray(0, 6)));
      const x = tf.tensor4d(input, [1, 224, 224, 3]);
      const o = run.net.forward(x, false);
      const [loc, conf, logits] = [await o.loc!.data(), await o.conf!.data(), await o.logits.data()] as Float32Array[];
      tf.dispose([x, o.loc!, o.conf!, o.logits]);
      expect(relError(loc, ref.loc)).toBeLessThan(1e-4);
      expect(relError(conf, ref.conf)).toBeLessThan(1e-4);
      expect(relError(logits, ref.logits)).toBeLessThan(1e-4);
    } finally {
      run.net.dispose();
    }
    expect(countTensors()).toBe(before);
  });

  it('refuses to write over a run, and names the file when its weights do not fit the backbone', async () => {
    const used = join(root, 'used');
    mkdirSync(used);
    writeFileSync(join(used, 'notes.txt'), 'mine');
    await expect(importWeights({ file: checkpoint, arch: 'resnet34', out: used, overrides: NARROW })).rejects.toThrow(/already exists and is not an empty folder; choose a new --out/);
    expect(readFileSync(join(used, 'notes.txt'), 'utf8')).toBe('mine');
    // The narrow checkpoint against the full-width ResNet-34.
    const wrong = await importWeights({ file: checkpoint, arch: 'resnet34', out: join(root, 'wide') }).catch((e: Error) => e);
    expect(wrong).toBeInstanceOf(ImportWeightsError);
    expect((wrong as Error).message).toMatch(
      /epoch_0\.pkl: not a CADDM resnet34 checkpoint in the reference's key names; weights do not fit the model .*\n {2}key 'base_model\.conv1\.weight': shape \[2, 3, 7, 7\] but the model needs \[64, 3, 7, 7\]/,
    );
    expect(existsSync(join(root, 'wide'))).toBe(false);
    const hostile = fileURLToPath(new URL('../../backbones/src/__fixtures__/torch/hostile/os-system.pt', import.meta.url));
    await expect(importWeights({ file: hostile, arch: 'resnet34', out: join(root, 'hostile') })).rejects.toThrow(TorchCheckpointError);
    expect(existsSync(join(root, 'hostile'))).toBe(false);
  });
});

describe('caddm import-weights', () => {
  const out = join(root, 'cli');

  it('writes a run that detect loads', async () => {
    const r = await runCliCaptured(['import-weights', checkpoint, '--arch', 'resnet34', '--set', 'model.width=0.03125', '--out', out]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`${out}\n`);
    const { createImage, writeImage } = await import('@caddm/image');
    const blank = join(root, 'blank.png');
    await writeImage(blank, createImage(64, 64, 3));
    const d = await runCliCaptured(['detect', blank, '--run', out]);
    expect(d.code, d.out).toBe(0);
    expect(d.out).toMatch(/blank\.png: no face found/);
  });

  it.skipIf(lfwImage == null)('detect scores a real face with the imported run', async () => {
    const d = await runCliCaptured(['detect', lfwImage as string, '--run', out, '--json']);
    expect(d.code, d.out).toBe(0);
    const face = JSON.parse(d.out.slice(d.out.indexOf('{'))).results[0].faces[0];
    expect(face.pFake).toBeGreaterThanOrEqual(0);
    expect(face.pFake).toBeLessThanOrEqual(1);
  });

  it('says in one line what is wrong with the arguments', async () => {
    const r = await runCliCaptured(['import-weights', checkpoint, '--arch', 'vgg16', '--out', join(root, 'x')]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('caddm: --arch must be one of resnet34, efficientnet-b3, efficientnet-b4, got \'vgg16\'\n');
    const missing = await runCliCaptured(['import-weights', join(root, 'nope.pkl'), '--arch', 'resnet34', '--out', join(root, 'y')]);
    expect(missing.code).toBe(2);
    expect(missing.out.trim().split('\n')).toHaveLength(1);
    expect(missing.out).toMatch(/nope\.pkl.*does not exist/);
  });
});
