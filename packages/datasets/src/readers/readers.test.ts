import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createImage } from '@caddm/image';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetRootError, SplitFileError } from '../errors.js';
import { writePngFile } from '../io/read-image.js';
import { copyTo, ffmpegForTests, tempDir, writeText, writeTinyMp4 } from '../testing/fixtures.js';
import { entriesOf } from '../types.js';
import { readCelebDF } from './celebdf.js';
import { readDFDC } from './dfdc.js';
import { readFFpp } from './ffpp.js';
import { readIdentityFolders } from './identity.js';
import { detectDatasetKind, openDataset } from './open.js';

const tools = ffmpegForTests();
let template = '';
const base = tempDir('caddm-readers-');

beforeAll(async () => {
  if (!tools) return;
  template = join(base, 'template.mp4');
  await writeTinyMp4(template, 4);
});

function ffppTree(): string {
  const root = tempDir('caddm-ffpp-');
  const o = (n: string) => join(root, 'original_sequences/youtube/c23/videos', `${n}.mp4`);
  const m = (meth: string, n: string) => join(root, 'manipulated_sequences', meth, 'c23/videos', `${n}.mp4`);
  copyTo(template, [o('000'), o('001'), o('002'), o('003'), m('Deepfakes', '000_003'), m('Deepfakes', '003_000'), m('Face2Face', '001_002'), m('Face2Face', '009_001')]);
  copyTo(template, [m('Face2Face', 'badname')]);
  writeText(join(root, 'manipulated_sequences/Face2Face/c23/videos/notes.txt'), 'x');
  writeText(join(root, 'splits/train.json'), JSON.stringify([['000', '003']]));
  writeText(join(root, 'splits/val.json'), JSON.stringify([['001', '002']]));
  writeText(join(root, 'splits/test.json'), JSON.stringify([['004', '005']]));
  return root;
}

describe.skipIf(!tools)('readFFpp', () => {
  it('reads originals and fakes with stable ids, labels, sources and splits', () => {
    const ds = readFFpp(ffppTree());
    const byId = new Map(ds.entries.map((e) => [e.id, e]));
    expect([...byId.keys()]).toEqual([
      'ffpp/Deepfakes/000_003', 'ffpp/Deepfakes/003_000', 'ffpp/Face2Face/001_002', 'ffpp/Face2Face/009_001',
      'ffpp/original/000', 'ffpp/original/001', 'ffpp/original/002', 'ffpp/original/003',
    ]);
    const f = byId.get('ffpp/Deepfakes/000_003')!;
    expect(f).toMatchObject({ label: 1, method: 'Deepfakes', sourceId: 'ffpp/original/000', split: 'train', compression: 'c23', format: 'video' });
    expect(byId.get('ffpp/Deepfakes/003_000')!.sourceId).toBe('ffpp/original/003');
    expect(byId.get('ffpp/original/002')).toMatchObject({ label: 0, split: 'val' });
    expect(byId.get('ffpp/Face2Face/001_002')!.split).toBe('val');
    // 009 has no original: kept, without a source, and reported.
    expect(byId.get('ffpp/Face2Face/009_001')!.sourceId).toBeUndefined();
    expect(ds.warnings.some((w) => w.id === 'ffpp/Face2Face/009_001' && /source video 009/.test(w.reason))).toBe(true);
    expect(ds.warnings.some((w) => w.id === 'ffpp/Face2Face/009_001' && /no split/.test(w.reason))).toBe(true);
    // Bad names and stray files are reported by path.
    expect(ds.skipped.some((s) => s.path.endsWith('badname.mp4') && /<target>_<source>/.test(s.reason))).toBe(true);
    expect(ds.skipped.some((s) => s.path.endsWith('notes.txt'))).toBe(true);
    // Videos listed in test.json but absent: originals 004, 005 and fakes 004_005, 005_004 of each method.
    const listedMissing = ds.skipped.filter((s) => /listed in .*test\.json but missing/.test(s.reason)).map((s) => s.path.split('/').pop());
    expect(listedMissing.sort()).toEqual(['004.mp4', '004_005.mp4', '004_005.mp4', '005.mp4', '005_004.mp4', '005_004.mp4']);
    expect(entriesOf(ds, 'train').map((e) => e.id)).toEqual(['ffpp/Deepfakes/000_003', 'ffpp/Deepfakes/003_000', 'ffpp/original/000', 'ffpp/original/003']);
  });

  it('accepts frames folders in place of mp4 files', () => {
    const root = ffppTree();
    const dir = join(root, 'manipulated_sequences/NeuralTextures/c23/videos/000_003');
    mkdirSync(dir, { recursive: true });
    writePngFile(join(dir, '000.png'), createImage(8, 8, 3));
    const ds = readFFpp(root, { methods: ['NeuralTextures', 'FaceShifter'] });
    const nt = ds.entries.find((e) => e.id === 'ffpp/NeuralTextures/000_003')!;
    expect(nt).toMatchObject({ format: 'frames', sourceId: 'ffpp/original/000', split: 'train' });
    expect(ds.skipped.some((s) => /FaceShifter\/c23\/videos missing/.test(s.reason))).toBe(true);
  });

  it('rejects wrong roots and malformed split files with the file named', () => {
    expect(() => readFFpp(join(base, 'nope'))).toThrow(DatasetRootError);
    expect(() => readFFpp(join(base, 'nope'))).toThrow(/does not exist/);
    const empty = tempDir();
    expect(() => readFFpp(empty)).toThrow(/not an FF\+\+ root/);
    const root = ffppTree();
    writeText(join(root, 'splits/val.json'), '{not json');
    expect(() => readFFpp(root)).toThrow(SplitFileError);
    expect(() => readFFpp(root)).toThrow(/val\.json is not valid JSON/);
    writeText(join(root, 'splits/val.json'), JSON.stringify([['001', '002', '003']]));
    expect(() => readFFpp(root)).toThrow(/entry 0 must be a pair/);
    writeText(join(root, 'splits/val.json'), JSON.stringify([['000', '002']]));
    expect(() => readFFpp(root)).toThrow(/000 is listed in both train\.json and val\.json/);
    expect(() => readFFpp(ffppTree(), { compression: 'c99' })).toThrow(/compression/);
    expect(() => readFFpp(ffppTree(), { compression: 'c40' })).toThrow(/no FF\+\+ video found/);
  });
});

describe.skipIf(!tools)('readCelebDF', () => {
  it('reads the three folders, pairs fakes with Celeb-real sources, and uses the test list (1 = real)', () => {
    const root = tempDir('caddm-celeb-');
    copyTo(template, [
      join(root, 'Celeb-real/id0_0000.mp4'), join(root, 'Celeb-real/id1_0000.mp4'),
      join(root, 'Celeb-synthesis/id0_id1_0000.mp4'), join(root, 'Celeb-synthesis/id7_id1_0003.mp4'),
      join(root, 'YouTube-real/00001.mp4'),
    ]);
    writeText(join(root, 'List_of_testing_videos.txt'), '1 YouTube-real/00001.mp4\n0 Celeb-synthesis/id0_id1_0000.mp4\n1 Celeb-real/id9_0001.mp4\n');
    const ds = readCelebDF(root);
    const byId = new Map(ds.entries.map((e) => [e.id, e]));
    expect(byId.get('celebdf/Celeb-synthesis/id0_id1_0000')).toMatchObject({ label: 1, sourceId: 'celebdf/Celeb-real/id0_0000', split: 'test' });
    expect(byId.get('celebdf/YouTube-real/00001')).toMatchObject({ label: 0, split: 'test' });
    expect(byId.get('celebdf/Celeb-real/id1_0000')!.split).toBe('train');
    expect(byId.get('celebdf/Celeb-synthesis/id7_id1_0003')!.sourceId).toBeUndefined();
    expect(ds.warnings.some((w) => /id7_0003 not found/.test(w.reason))).toBe(true);
    expect(ds.skipped.some((s) => s.path.endsWith('Celeb-real/id9_0001.mp4') && /listed in/.test(s.reason))).toBe(true);
    writeText(join(root, 'List_of_testing_videos.txt'), '1 YouTube-real/00001.mp4\nfoo\n');
    expect(() => readCelebDF(root)).toThrow(/List_of_testing_videos\.txt:2/);
    expect(() => readCelebDF(tempDir())).toThrow(/not a Celeb-DF root/);
  });
});

describe.skipIf(!tools)('readDFDC', () => {
  it('reads parts, maps FAKE/REAL, pairs fakes with their original across parts, reports gaps', () => {
    const root = tempDir('caddm-dfdc-');
    copyTo(template, [join(root, 'dfdc_train_part_0/aaa.mp4'), join(root, 'dfdc_train_part_0/bbb.mp4'), join(root, 'dfdc_train_part_1/ccc.mp4'), join(root, 'dfdc_train_part_1/stray.mp4')]);
    writeText(join(root, 'dfdc_train_part_0/metadata.json'), JSON.stringify({
      'aaa.mp4': { label: 'FAKE', split: 'train', original: 'ccc.mp4' },
      'bbb.mp4': { label: 'FAKE', split: 'train', original: 'zzz.mp4' },
      'gone.mp4': { label: 'REAL', split: 'train' },
    }));
    writeText(join(root, 'dfdc_train_part_1/metadata.json'), JSON.stringify({ 'ccc.mp4': { label: 'REAL', split: 'train' } }));
    const ds = readDFDC(root);
    const byId = new Map(ds.entries.map((e) => [e.id, e]));
    expect(byId.get('dfdc/fake/aaa')).toMatchObject({ label: 1, sourceId: 'dfdc/real/ccc', split: 'train' });
    expect(byId.get('dfdc/real/ccc')!.label).toBe(0);
    expect(byId.get('dfdc/fake/bbb')!.sourceId).toBeUndefined();
    expect(ds.warnings.some((w) => /zzz\.mp4 not found/.test(w.reason))).toBe(true);
    expect(ds.skipped.map((s) => s.path.split('/').pop()).sort()).toEqual(['gone.mp4', 'stray.mp4']);
    writeText(join(root, 'dfdc_train_part_1/metadata.json'), JSON.stringify({ 'ccc.mp4': { label: 'MAYBE' } }));
    expect(() => readDFDC(root)).toThrow(/ccc\.mp4 needs label "FAKE" or "REAL"/);
    expect(() => readDFDC(tempDir())).toThrow(/not a DFDC root/);
  });
});

describe('readIdentityFolders', () => {
  it('reads <identity>/<image> with identity labels and reports small identities', () => {
    const root = tempDir('caddm-ids-');
    for (const [id, n] of [['alice', 3], ['bob', 2], ['carol', 1]] as const) {
      for (let i = 0; i < n; i++) writePngFile(join(root, id, `${id}_${i}.png`), createImage(4, 4, 3));
    }
    writeFileSync(join(root, 'README.txt'), 'x');
    const ds = readIdentityFolders(root, { minImages: 2, name: 'people' });
    expect(ds.entries.map((e) => e.id)).toEqual(['people/alice/alice_0', 'people/alice/alice_1', 'people/alice/alice_2', 'people/bob/bob_0', 'people/bob/bob_1']);
    expect(ds.entries.every((e) => e.label === 0 && e.format === 'image')).toBe(true);
    expect(ds.entries[3].identity).toBe('bob');
    expect(ds.skipped.some((s) => s.path.endsWith('carol') && /fewer than minImages 2/.test(s.reason))).toBe(true);
    expect(ds.skipped.some((s) => s.path.endsWith('README.txt'))).toBe(true);
    expect(detectDatasetKind(root)).toBe('identity');
    expect(openDataset(root).entries.length).toBe(6);
  });
});

describe.skipIf(!tools)('openDataset', () => {
  it('recognises each layout', () => {
    expect(detectDatasetKind(ffppTree())).toBe('ffpp');
    const c = tempDir();
    mkdirSync(join(c, 'Celeb-real'));
    expect(detectDatasetKind(c)).toBe('celebdf');
    const d = tempDir();
    writeText(join(d, 'dfdc_train_part_3/metadata.json'), '{}');
    expect(detectDatasetKind(d)).toBe('dfdc');
    expect(() => detectDatasetKind(tempDir())).toThrow(/cannot recognise/);
  });
});

describe('reads stay inside the dataset root', () => {
  it('skips a video reached through a symbolic link or a ../ metadata key, naming where it leads, unless followSymlinks', async () => {
    const { symlinkSync } = await import('node:fs');
    const { openDataset } = await import('./open.js');
    const outside = tempDir('caddm-outside-');
    writeFileSync(join(outside, 'secret.mp4'), 'x');
    const root = tempDir('caddm-confined-');
    mkdirSync(join(root, 'part'));
    writeFileSync(join(root, 'part', 'a.mp4'), 'x');
    symlinkSync(join(outside, 'secret.mp4'), join(root, 'part', 'b.mp4'));
    mkdirSync(join(outside, 'x'), { recursive: true });
    writeFileSync(join(outside, 'x', 'c.mp4'), 'x');
    // The metadata key ../../x/c.mp4 from root/part reaches outside/.. only when outside sits beside root; point it there.
    const relKey = join('..', '..', outside.split('/').pop()!, 'x', 'c.mp4');
    writeFileSync(join(root, 'part', 'metadata.json'), JSON.stringify({ 'a.mp4': { label: 'REAL' }, 'b.mp4': { label: 'REAL' }, [relKey]: { label: 'FAKE', original: 'a.mp4' } }));
    const ds = openDataset(root, { kind: 'dfdc' });
    expect(ds.entries.map((e) => e.path)).toEqual([join(root, 'part', 'a.mp4')]);
    const why = ds.skipped.filter((k) => k.reason.startsWith('leads outside the dataset root'));
    expect(why.map((k) => k.reason)).toEqual(
      expect.arrayContaining([
        `leads outside the dataset root, to ${join(outside, 'secret.mp4')}; copy the file into the root, or pass --follow-symlinks to read it there`,
        expect.stringContaining(`to ${join(outside, 'x', 'c.mp4')};`),
      ]),
    );
    expect(openDataset(root, { kind: 'dfdc', followSymlinks: true }).entries).toHaveLength(3);
  });
});
