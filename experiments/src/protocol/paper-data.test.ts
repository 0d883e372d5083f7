import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '@caddm/trainer';
import type { ExperimentContext } from '../types.js';
import { pretrainedFor, weightsFileIn } from './train.js';
import { detectDataSource, paperExperimentData, paperInputProblems, PaperInputError, preparePaperCache, type PaperNeeds } from './paper-data.js';

const dir = mkdtempSync(join(tmpdir(), 'caddm-paper-data-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env.CADDM_CACHE;
});

const ctx = (over: Partial<ExperimentContext> = {}): ExperimentContext => ({ profile: 'paper', quick: false, seed: 1, data: {}, outDir: dir, log: () => {}, ...over });
const TABLE2_LIKE: PaperNeeds = { experiment: 'tableX', cross: ['celebdf', 'dfdc'], models: [{ ablation: { adm: false } }, { ablation: { adm: true } }] };

describe('detectDataSource', () => {
  it('tells a preprocessing cache (manifest.jsonl) from a raw dataset root, and names the --data key when it is neither', () => {
    const cache = join(dir, 'cache-a');
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, 'manifest.jsonl'), '');
    expect(detectDataSource('ffpp', cache)).toEqual({ kind: 'cache', path: cache });
    const ffpp = join(dir, 'FaceForensics++');
    mkdirSync(join(ffpp, 'original_sequences'), { recursive: true });
    expect(detectDataSource('ffpp', ffpp)).toEqual({ kind: 'raw', path: ffpp, layout: 'ffpp' });
    const celeb = join(dir, 'Celeb-DF-v2');
    mkdirSync(join(celeb, 'Celeb-real'), { recursive: true });
    expect(detectDataSource('celebdf', celeb)).toMatchObject({ kind: 'raw', layout: 'celebdf' });
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(() => detectDataSource('dfdc', empty)).toThrow(/--data dfdc=.*empty is neither a preprocessing cache \(no manifest\.jsonl\) nor a dataset root: cannot recognise/);
    expect(() => detectDataSource('celebdf', join(dir, 'nope'))).toThrow(/--data celebdf=.*nope: no such folder/);
  });
});

describe('paperInputProblems', () => {
  it('lists every missing --data key with what it must hold, and the ImageNet weights of every backbone', () => {
    const p = paperInputProblems(ctx(), { ...TABLE2_LIKE, models: [...TABLE2_LIKE.models, { model: { backbone: 'efficientnet-b4' } }] });
    expect(p).toHaveLength(4);
    expect(p[0]).toMatch(/^--data ffpp=<path>: FaceForensics\+\+ \(c23\): its root \(original_sequences\/.*or a cache written by 'caddm preprocess/);
    expect(p[1]).toMatch(/^--data celebdf=<path>: Celeb-DF v2/);
    expect(p[2]).toMatch(/^--data dfdc=<path>: DFDC/);
    expect(p[3]).toMatch(/^--weights <dir> holding the ImageNet weights resnet34\.safetensors, efficientnet-b4\.safetensors .*packages\/backbones\/README\.md.*or --weights none/);
  });

  it('asks for an identity folder only when needed, and accepts --faces for it', () => {
    const needs: PaperNeeds = { experiment: 'f', cross: ['celebdf'], identity: { identities: 2, perIdentity: 2 }, models: [] };
    expect(paperInputProblems(ctx({ data: { ffpp: dir, celebdf: dir } }), needs)).toEqual([expect.stringMatching(/^--data lfw=<path>: an identity folder/)]);
    expect(paperInputProblems(ctx({ data: { ffpp: dir, celebdf: dir }, faces: dir }), needs)).toEqual([]);
    expect(paperInputProblems(ctx({ data: { ffpp: dir, celebdf: dir, lfw: dir } }), needs)).toEqual([]);
    expect(paperInputProblems(ctx({ data: { ffpp: dir, celebdf: dir }, faces: '/no/lfw' }), needs)).toEqual([expect.stringMatching(/^--data lfw=\/no\/lfw does not exist; it must be an identity folder/)]);
  });

  it('checks the files of --weights, skips the check with --weights none or --set model.pretrained, and refuses ImageNet weights on a narrowed net', () => {
    const w = join(dir, 'weights');
    mkdirSync(w);
    writeFileSync(join(w, 'resnet34.safetensors'), '');
    const data = { ffpp: dir, celebdf: dir, dfdc: dir };
    const needs: PaperNeeds = { ...TABLE2_LIKE, models: [{}, { model: { backbone: 'efficientnet-b3' } }] };
    expect(paperInputProblems(ctx({ data, weights: w }), needs)).toEqual([expect.stringMatching(/^efficientnet-b3\.safetensors \(or \.pth\) in --weights .*weights \(the files torchvision/)]);
    // The file as efficientnet_pytorch downloads it will do; another backbone's will not.
    writeFileSync(join(w, 'efficientnet-b4-6ed6700e.pth'), '');
    expect(paperInputProblems(ctx({ data, weights: w }), needs)).toHaveLength(1);
    writeFileSync(join(w, 'efficientnet-b3-5fb5a3c3.pth'), '');
    expect(paperInputProblems(ctx({ data, weights: w }), needs)).toEqual([]);
    expect(pretrainedFor({ profile: 'paper', weights: w }, resolveConfig({ dataset: { root: dir }, model: { backbone: 'efficientnet-b3' } }, { profile: 'paper' }))).toBe(join(w, 'efficientnet-b3-5fb5a3c3.pth'));
    writeFileSync(join(w, 'efficientnet-b3.pth'), '');
    expect(weightsFileIn(w, 'efficientnet-b3')).toBe(join(w, 'efficientnet-b3.pth'));
    expect(weightsFileIn(w, 'resnet34')).toBe(join(w, 'resnet34.safetensors'));
    expect(weightsFileIn(w, 'xception')).toBeUndefined();
    expect(paperInputProblems(ctx({ data, weights: 'none' }), needs)).toEqual([]);
    expect(paperInputProblems(ctx({ data, overrides: { 'model.pretrained': '/x.safetensors' } }), needs)).toEqual([]);
    expect(paperInputProblems(ctx({ data, weights: w, overrides: { 'model.width': 0.5 } }), needs)).toEqual([
      expect.stringMatching(/^--weights none: ImageNet weights fit width 1 only, but resnet34 x0\.5, efficientnet-b3 x0\.5 is trained/),
    ]);
  });

  it('is thrown as one error before any data is touched', async () => {
    const e = await paperExperimentData(ctx({ data: { celebdf: dir, dfdc: '/no/dfdc' } }), TABLE2_LIKE).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PaperInputError);
    expect((e as Error).message).toMatch(/^tableX --profile paper cannot run; supply:\n {2}- --data ffpp=<path>: .*\n {2}- --data dfdc=\/no\/dfdc does not exist; it must be DFDC: .*\n {2}- --weights <dir>/);
    expect((e as Error).message).not.toContain('--data celebdf');
  });
});

describe('preparePaperCache', () => {
  it('refuses a cache folder made from another root or with another frame count, naming both', async () => {
    process.env.CADDM_CACHE = join(dir, 'c');
    const out = join(dir, 'c', 'paper', 'celebdf');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'experiments-preprocess.json'), JSON.stringify({ root: '/other/root', frames: 32, splits: 'test', complete: true }));
    await expect(preparePaperCache(ctx(), 'celebdf', '/my/root', 'test')).rejects.toThrow(/holds a cache of \/other\/root with 32 frames per video, but --data celebdf=\/my\/root with 32 frames was asked for/);
    writeFileSync(join(out, 'experiments-preprocess.json'), JSON.stringify({ root: '/my/root', frames: 32, splits: 'all', complete: true }));
    await expect(preparePaperCache(ctx({ overrides: { 'dataset.test_frames': 40 } }), 'celebdf', '/my/root', 'test')).rejects.toThrow(/with 32 frames per video, but .* with 40 frames/);
    // Done once: a complete marker for the same root and frames is reused without reading the root.
    await expect(preparePaperCache(ctx(), 'celebdf', '/my/root', 'test')).resolves.toBe(out);
  });
});
