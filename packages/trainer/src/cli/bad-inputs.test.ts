/**
 * The bad-input corpus: well over 100 inputs a new user could feed the `caddm` CLI, made at test
 * time. For each: the exit code, one clear message naming the input and no stack trace, a time
 * limit, a memory limit for the decompression bombs, and nothing written outside the output folder.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { encodeMp4, writePngFile } from '@caddm/datasets';
import { ffmpegFile, requireFfmpeg, runTool } from '@caddm/ffmpeg';
import { createImage, writeImage } from '@caddm/image';
import { templateLandmarks } from '@caddm/face';
import { initBackend } from '@caddm/tf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importWeights } from '../import-weights.js';
import { runCliCaptured } from './__fixtures__/run-cli.js';

const S = mkdtempSync(join(tmpdir(), 'caddm-corpus-'));
const IN = join(S, 'in');
const OUT = join(S, 'out');
const fixtures = fileURLToPath(new URL('../__fixtures__/', import.meta.url));
const hostile = fileURLToPath(new URL('../../../backbones/src/__fixtures__/torch/hostile/', import.meta.url));
const p = (...parts: string[]) => join(IN, ...parts);
let run = '';
let cache = '';
let scored = '';

/** A well-formed PNG (valid CRCs) whose header says `w` x `h` but whose data is `data` (maybe far too little). */
function png(w: number, h: number, data = Buffer.alloc(0), colorType = 2, depth = 8): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), body])));
    return Buffer.concat([len, Buffer.from(type, 'latin1'), body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = depth;
  ihdr[9] = colorType;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(data)), chunk('IEND', Buffer.alloc(0))]);
}

/** A manifest line of a one-video cache. */
const manifestLine = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ v: 1, id: 'ds/original/000', dataset: 'ds', method: 'original', label: 0, split: 'test', input: 'x.mp4', status: 'ok', frameCount: 1, width: 8, height: 8, scale: 1, frames: [], ...over });

beforeAll(async () => {
  await initBackend({ quiet: true });
  mkdirSync(IN, { recursive: true });
  mkdirSync(OUT, { recursive: true });
  process.env.CADDM_CACHE = join(OUT, 'cache');
  // A tiny imported model for the commands that need a run.
  run = join(S, 'run');
  await importWeights({ file: join(fixtures, 'reference-caddm/epoch_0.pkl'), arch: 'resnet34', out: run, overrides: { 'model.width': 0.03125 } });
  // Images.
  const good = createImage(40, 40, 3);
  good.data.fill(90);
  await writeImage(p('good.png'), good);
  await writeImage(p('good.jpg'), good);
  const goodPng = readFileSync(p('good.png'));
  const goodJpg = readFileSync(p('good.jpg'));
  writeFileSync(p('empty.jpg'), '');
  writeFileSync(p('empty.png'), '');
  writeFileSync(p('text.jpg'), 'this is not an image\n');
  writeFileSync(p('text.png'), 'not a png either');
  for (const f of [0.1, 0.3, 0.5, 0.7, 0.9]) {
    writeFileSync(p(`cut-${f}.png`), goodPng.subarray(0, Math.floor(goodPng.length * f)));
    writeFileSync(p(`cut-${f}.jpg`), goodJpg.subarray(0, Math.floor(goodJpg.length * f)));
  }
  writeFileSync(p('bomb-20000.png'), png(20000, 20000));
  writeFileSync(p('bomb-100000x1.png'), png(100000, 1100));
  writeFileSync(p('short-data.png'), png(64, 64, Buffer.alloc(100)));
  writeFileSync(p('zero-size.png'), png(0, 0));
  writeFileSync(p('bad-depth.png'), png(8, 8, Buffer.alloc(8 * 25), 2, 3));
  writeFileSync(p('bad-colortype.png'), png(8, 8, Buffer.alloc(8 * 25), 7));
  const jpgHuge = Buffer.from(goodJpg);
  const sof = jpgHuge.indexOf(Buffer.from([0xff, 0xc0]));
  if (sof > 0) {
    jpgHuge.writeUInt16BE(60000, sof + 5);
    jpgHuge.writeUInt16BE(60000, sof + 7);
  }
  writeFileSync(p('bomb-header.jpg'), jpgHuge);
  writeFileSync(p('random.bin.jpg'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  mkdirSync(p('folder.jpg'));
  mkdirSync(p('empty-dir'));
  execFileSync('mkfifo', [p('fifo.jpg')]);
  symlinkSync(p('loop-a.jpg'), p('loop-b.jpg'));
  symlinkSync(p('loop-b.jpg'), p('loop-a.jpg'));
  symlinkSync(p('nowhere.jpg'), p('dangling.jpg'));
  await writeImage(p('one-pixel.png'), createImage(1, 1, 3));
  await writeImage(p('thin.png'), createImage(1, 3000, 3));
  await writeImage(p('gray.png'), createImage(32, 32, 1));
  // Videos.
  const frames = Array.from({ length: 12 }, (_, i) => {
    const f = createImage(32, 32, 3);
    f.data.fill(i * 15);
    return f;
  });
  await encodeMp4(frames, p('good.mp4'), { fps: 10 });
  const mp4 = readFileSync(p('good.mp4'));
  writeFileSync(p('empty.mp4'), '');
  writeFileSync(p('text.mp4'), 'no video here');
  for (const f of [0.05, 0.2, 0.5, 0.8]) writeFileSync(p(`cut-${f}.mp4`), mp4.subarray(0, Math.floor(mp4.length * f)));
  const zeroed = Buffer.from(mp4);
  zeroed.fill(0, Math.floor(zeroed.length / 2));
  writeFileSync(p('zeroed-half.mp4'), zeroed);
  writeFileSync(p('header-only.mp4'), mp4.subarray(0, 32));
  // An MP4 whose video track has no frame, and one with sound only.
  const ff = requireFfmpeg();
  await runTool(ff, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=32x32:d=1', '-frames:v', '0', '-c:v', 'libx264', ffmpegFile(p('zero-frames.mp4'))]);
  await runTool(ff, ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono', '-t', '0.3', '-c:a', 'aac', ffmpegFile(p('audio-only.mp4'))]);
  // A cache with one video and no frame, for eval and train.
  cache = join(S, 'cache');
  mkdirSync(cache);
  writeFileSync(join(cache, 'manifest.jsonl'), manifestLine() + '\n');
  // A cache with a genuine and a fake video of one aligned frame each.
  scored = join(S, 'scored-cache');
  const face = createImage(96, 96, 3);
  face.data.fill(120);
  const lm = Array.from(templateLandmarks(48, 46, 60, 0));
  const lines = ['000', '001'].map((n, k) => {
    writePngFile(join(scored, `frames/${n}/000000.png`), face);
    return manifestLine({ id: `ds/${k ? 'fake' : 'original'}/${n}`, method: k ? 'fake' : 'original', label: k, frames: [{ index: 0, file: `frames/${n}/000000.png`, landmarks: lm }] });
  });
  writeFileSync(join(scored, 'manifest.jsonl'), lines.join('\n') + '\n');
  // An identity folder of one person.
  mkdirSync(p('people/alice'), { recursive: true });
  await writeImage(p('people/alice/a.png'), good);
});
afterAll(() => {
  delete process.env.CADDM_CACHE;
  rmSync(S, { recursive: true, force: true });
});

/** Every file and folder under the sandbox outside OUT (and the run, which eval may write into). */
function snapshot(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const f = join(d, n);
      const rel = relative(S, f);
      if (rel === 'out' || rel.startsWith('out/')) continue;
      let st;
      try {
        st = statSync(f);
      } catch {
        out.push(`${rel} (link)`);
        continue;
      }
      if (st.isDirectory()) walk(f);
      else out.push(`${rel} ${st.size}`);
      if (st.isDirectory()) out.push(`${rel}/`);
    }
  };
  walk(S);
  return out.sort();
}

interface Case {
  readonly name: string;
  readonly args: () => string[];
  /** Expected exit code. */
  readonly code: number;
  /** What the output must say (it must also name no stack frame). */
  readonly says: RegExp;
  /** Largest growth of the process's external memory allowed, in MB (decompression bombs). */
  readonly memoryMb?: number;
}

const detect = (file: string, code: number, says: RegExp, memoryMb?: number): Case => ({ name: `detect ${file}`, args: () => ['detect', p(file), '--run', run], code, says, memoryMb });

const CASES: Case[] = [
  // detect: files that are no image or video, or cannot be read (exit 2: nothing was read)
  ...['empty.jpg', 'empty.png', 'text.jpg', 'text.png', 'random.bin.jpg', 'bad-depth.png', 'bad-colortype.png', 'zero-size.png', 'short-data.png'].map((f) => detect(f, 2, new RegExp(`${f.replace(/\./g, '\\.')}.*(cannot|not|no |invalid|unsupported|corrupt)`, 'i'))),
  // A PNG cut inside its pixel data is refused (cut after them, only its end marker is lost: it reads, no face);
  // a truncated JPEG may still give its top rows (then: no face), or nothing (exit 2).
  ...[0.1, 0.3, 0.5, 0.7].map((f) => detect(`cut-${f}.png`, 2, new RegExp(`cut-${f}\\.png: cannot read this image`))),
  detect('cut-0.9.png', 0, /cut-0\.9\.png: no face found/),
  ...[0.1, 0.3, 0.5, 0.7, 0.9].map((f) => detect(`cut-${f}.jpg`, -1, new RegExp(`cut-${f}\\.jpg`))),
  detect('bomb-20000.png', 2, /bomb-20000\.png: cannot read this image \(its header claims 20000x20000 pixels, above the 100 megapixel limit/, 256),
  detect('bomb-100000x1.png', 2, /bomb-100000x1\.png: cannot read this image \(its header claims 100000x1100 pixels/, 256),
  detect('bomb-header.jpg', 2, /bomb-header\.jpg/, 256),
  detect('folder.jpg', 2, /folder\.jpg/),
  detect('empty-dir', 2, /empty-dir/),
  detect('fifo.jpg', 2, /fifo\.jpg: not a regular file/),
  detect('loop-a.jpg', 2, /loop-a\.jpg/),
  detect('dangling.jpg', 2, /dangling\.jpg/),
  detect('missing.jpg', 2, /missing\.jpg.*(does not exist|no such)/i),
  // detect: images that are read but have no face (exit 0, said per file)
  ...['good.png', 'good.jpg', 'one-pixel.png', 'thin.png', 'gray.png'].map((f) => detect(f, 0, new RegExp(`${f.replace(/\./g, '\\.')}: no face found`))),
  // detect: videos
  detect('empty.mp4', 2, /empty\.mp4/),
  detect('text.mp4', 2, /text\.mp4: cannot read video/),
  detect('header-only.mp4', 2, /header-only\.mp4/),
  detect('zero-frames.mp4', 2, /zero-frames\.mp4: cannot read video .*: no video stream; check that it plays/),
  detect('audio-only.mp4', 2, /audio-only\.mp4: cannot read video .*: no video stream; check that it plays/),
  detect('zeroed-half.mp4', -1, /zeroed-half\.mp4/),
  ...[0.05, 0.2, 0.5, 0.8].map((f) => detect(`cut-${f}.mp4`, -1, new RegExp(`cut-${f}\\.mp4`))),
  detect('good.mp4', 0, /good\.mp4: video P\(fake\) n\/a over 0 frame\(s\) with a face/),
  // detect: bad options and runs
  { name: 'detect --frames 0', args: () => ['detect', p('good.png'), '--run', run, '--frames', '0'], code: 2, says: /--frames must be a positive integer, got '0'/ },
  { name: 'detect --frames abc', args: () => ['detect', p('good.png'), '--run', run, '--frames', 'abc'], code: 2, says: /--frames must be a positive integer, got 'abc'/ },
  { name: 'detect --threshold 2', args: () => ['detect', p('good.png'), '--run', run, '--threshold', '2'], code: 2, says: /--threshold must be a number in \[0, 1\], got '2'/ },
  { name: 'detect --top-k -1', args: () => ['detect', p('good.png'), '--run', run, '--top-k', '-1'], code: 2, says: /--top-k must be a positive integer/ },
  { name: 'detect without --run', args: () => ['detect', p('good.png')], code: 2, says: /required option '-r, --run <dir>' not specified/ },
  { name: 'detect --run missing', args: () => ['detect', p('good.png'), '--run', join(S, 'no-run')], code: 2, says: /no-run: not a run or checkpoint directory/ },
  { name: 'detect --run a file', args: () => ['detect', p('good.png'), '--run', p('good.png')], code: 2, says: /good\.png: not a run or checkpoint directory/ },
  { name: 'detect --run without config', args: () => ['detect', p('good.png'), '--run', p('empty-dir')], code: 2, says: /empty-dir: no config\.json/ },
  { name: 'detect --out is a file', args: () => ['detect', p('good.png'), '--run', run, '--out', p('good.jpg')], code: -1, says: /good\.(jpg|png)/ },
  { name: 'detect no input', args: () => ['detect', '--run', run], code: 2, says: /missing required argument 'inputs'/ },
  // preprocess
  ...(
    [
      ['--data missing', () => ['preprocess', '--data', join(S, 'nope'), '--out', join(OUT, 'pp1')], /nope.*(does not exist|not a folder|no such)/i],
      ['--data a file', () => ['preprocess', '--data', p('good.png'), '--out', join(OUT, 'pp2')], /good\.png/],
      ['--data an empty folder', () => ['preprocess', '--data', p('empty-dir'), '--out', join(OUT, 'pp3')], /empty-dir/],
      ['--frames 0', () => ['preprocess', '--data', IN, '--out', join(OUT, 'pp4'), '--frames', '0'], /--frames must be a positive integer/],
      ['--split bogus', () => ['preprocess', '--data', IN, '--out', join(OUT, 'pp5'), '--split', 'bogus'], /--split must be train, val, test or cross, got 'bogus'/],
      ['--kind bogus', () => ['preprocess', '--data', IN, '--out', join(OUT, 'pp6'), '--kind', 'bogus'], /unknown dataset kind "bogus"/],
      ['--shard 5/4', () => ['preprocess', '--data', IN, '--out', join(OUT, 'pp7'), '--shard', '5/4'], /--shard 5\/4: the index must be an integer from 0 to 3/],
      ['--shard x', () => ['preprocess', '--data', IN, '--out', join(OUT, 'pp8'), '--shard', 'x'], /--shard x: expected I\/N/],
      ['--shard auto without a scheduler', () => ['preprocess', '--data', IN, '--out', join(OUT, 'pp9'), '--shard', 'auto'], /neither SLURM_ARRAY_TASK_ID .* nor JOB_COMPLETION_INDEX/],
      ['--max-side 0', () => ['preprocess', '--data', IN, '--out', join(OUT, 'pp10'), '--max-side', '0'], /--max-side must be a positive integer/],
    ] as const
  ).map(([name, args, says]): Case => ({ name: `preprocess ${name}`, args: args as () => string[], code: 2, says })),
  // train: configs and data that cannot train
  ...(
    [
      ['train.batch_size=0', /train\.batch_size/],
      ['train.batch_size=-3', /train\.batch_size/],
      ['train.batch_size=abc', /train\.batch_size/],
      ['train.epoch_num=0', /train\.epoch_num/],
      ['model.backbone=vgg16', /model\.backbone/],
      ['model.width=0', /model\.width/],
      ['model.width=100', /model\.width/],
      ['crop_face.output_size=100', /anchors are laid out for \d+ px but crop_face\.output_size is 100|crop_face/],
      ['nonsense.key=1', /nonsense/],
      ['train.optimizer=sgdx', /train\.optimizer/],
      ['ablation.adm=maybe', /ablation\.adm/],
      ['dataset.test_frames=-1', /dataset\.test_frames/],
      ['augment.jpeg=2', /augment\.jpeg/],
      ['train.lr_schedule=5', /train\.lr_schedule/],
    ] as const
  ).map(([set, says]): Case => ({ name: `train --set ${set}`, args: () => ['train', '--cache', cache, '--run-dir', join(OUT, 'tr'), '--set', set], code: 2, says })),
  { name: 'train --set with no =', args: () => ['train', '--cache', cache, '--run-dir', join(OUT, 'tr2'), '--set', 'train.batch_size'], code: 2, says: /train\.batch_size/ },
  { name: 'train --config missing', args: () => ['train', '--config', join(S, 'no.yaml'), '--run-dir', join(OUT, 'tr3')], code: 2, says: /no\.yaml/ },
  { name: 'train --config bad YAML', args: () => (writeFileSync(p('bad.yaml'), 'train: [unclosed\n  batch_size: 3'), ['train', '--config', p('bad.yaml'), '--run-dir', join(OUT, 'tr4')]), code: 2, says: /bad\.yaml/ },
  { name: 'train --config wrong types', args: () => (writeFileSync(p('types.yaml'), 'train:\n  batch_size: "many"\n'), ['train', '--config', p('types.yaml'), '--run-dir', join(OUT, 'tr5')]), code: 2, says: /types\.yaml.*train\.batch_size/s },
  { name: 'train --config a list', args: () => (writeFileSync(p('list.yaml'), '- 1\n- 2\n'), ['train', '--config', p('list.yaml'), '--run-dir', join(OUT, 'tr6')]), code: 2, says: /list\.yaml/ },
  { name: 'train --profile bogus', args: () => ['train', '--cache', cache, '--run-dir', join(OUT, 'tr7'), '--profile', 'bogus'], code: 2, says: /bogus/ },
  { name: 'train --cache missing', args: () => ['train', '--cache', join(S, 'no-cache'), '--run-dir', join(OUT, 'tr8')], code: 2, says: /no-cache/ },
  { name: 'train --cache not a cache', args: () => ['train', '--cache', p('empty-dir'), '--run-dir', join(OUT, 'tr9')], code: 2, says: /empty-dir/ },
  { name: 'train on a one-class cache', args: () => ['train', '--cache', cache, '--run-dir', join(OUT, 'tr10'), '--set', 'model.width=0.0625'], code: 2, says: /no usable frame in .*cache for split train|the train split has (no usable video at all|only genuine)/ },
  { name: 'train --run-dir is a file', args: () => ['train', '--cache', cache, '--run-dir', p('good.png')], code: 2, says: /good\.png/ },
  { name: 'train --max-steps 0', args: () => ['train', '--cache', cache, '--run-dir', join(OUT, 'tr11'), '--max-steps', '0'], code: 2, says: /--max-steps must be a positive integer/ },
  { name: 'train pretrained missing', args: () => ['train', '--cache', cache, '--run-dir', join(OUT, 'tr12'), '--set', `model.pretrained=${join(S, 'none.safetensors')}`], code: 2, says: /none\.safetensors/ },
  { name: 'train pretrained hostile', args: () => ['train', '--cache', cache, '--run-dir', join(OUT, 'tr13'), '--set', `model.pretrained=${join(hostile, 'os-system.pt')}`], code: 2, says: /os\.system, which is not allowed/ },
  // eval
  { name: 'eval --run missing', args: () => ['eval', '--run', join(S, 'nope'), '--cache', cache], code: 2, says: /nope: not a run or checkpoint directory/ },
  { name: 'eval --cache missing', args: () => ['eval', '--run', run, '--cache', join(S, 'nope-cache'), '--out', join(OUT, 'ev1')], code: 2, says: /nope-cache: no manifest\.jsonl/ },
  { name: 'eval --cache empty manifest', args: () => (mkdirSync(join(S, 'empty-cache'), { recursive: true }), writeFileSync(join(S, 'empty-cache', 'manifest.jsonl'), ''), ['eval', '--run', run, '--cache', join(S, 'empty-cache'), '--out', join(OUT, 'ev2')]), code: 2, says: /empty-cache has no usable video/ },
  { name: 'eval --cache bad JSON manifest', args: () => (mkdirSync(join(S, 'json-cache'), { recursive: true }), writeFileSync(join(S, 'json-cache', 'manifest.jsonl'), '{oops\n{}\n'), ['eval', '--run', run, '--cache', join(S, 'json-cache'), '--out', join(OUT, 'ev3')]), code: 2, says: /manifest\.jsonl:1: not valid JSON/ },
  { name: 'eval --cache crafted frame path', args: () => (mkdirSync(join(S, 'evil-cache'), { recursive: true }), writeFileSync(join(S, 'evil-cache', 'manifest.jsonl'), manifestLine({ frames: [{ index: 0, file: '../../../etc/passwd', landmarks: null }] }) + '\n'), ['eval', '--run', run, '--cache', join(S, 'evil-cache'), '--out', join(OUT, 'ev4')]), code: 2, says: /frame file "\.\.\/\.\.\/\.\.\/etc\/passwd" .* is not a relative \.png path/ },
  { name: 'eval --split bogus', args: () => ['eval', '--run', run, '--cache', cache, '--split', 'bogus'], code: 2, says: /--split must be train, val, test or cross/ },
  { name: 'eval --split with no video', args: () => ['eval', '--run', run, '--cache', cache, '--split', 'val', '--out', join(OUT, 'ev5')], code: 2, says: /has no usable video in split 'val'/ },
  { name: 'eval --frames 0', args: () => ['eval', '--run', run, '--cache', cache, '--frames', '0'], code: 2, says: /--frames must be a positive integer/ },
  { name: 'eval --shard 1/0', args: () => ['eval', '--run', run, '--cache', cache, '--shard', '1/0', '--out', join(OUT, 'ev6')], code: 2, says: /--shard 1\/0: the shard count must be a positive integer/ },
  { name: 'eval run with a broken config.json', args: () => (copyRun('broken-config'), writeFileSync(join(S, 'broken-config', 'config.json'), '{"model": '), ['eval', '--run', join(S, 'broken-config'), '--cache', cache, '--out', join(OUT, 'ev7')]), code: 2, says: /config\.json: not valid JSON/ },
  { name: 'eval run with an invalid config', args: () => (copyRun('invalid-config'), writeFileSync(join(S, 'invalid-config', 'config.json'), '{"train": {"batch_size": -1}}'), ['eval', '--run', join(S, 'invalid-config'), '--cache', cache, '--out', join(OUT, 'ev8')]), code: 2, says: /config\.json.*train\.batch_size/s },
  // import-weights: hostile and wrong files
  ...['os-system.pt', 'stack-global-eval.pt', 'whole-module.pt', 'reduce-string.pt', 'inst-opcode.pt', 'huge-string.pt', 'huge-storage.pt', 'huge-view.pt', 'missing-storage.pt', 'truncated.pt', 'dotdot.pt', 'zip-bomb.pt', 'legacy-truncated.pt', 'legacy-huge-count.pt', 'legacy-os-system.pt'].map(
    (f, i): Case => ({ name: `import-weights ${f}`, args: () => ['import-weights', join(hostile, f), '--arch', 'resnet34', '--out', join(OUT, `iw${i}`)], code: 2, says: new RegExp(f.replace(/\./g, '\\.')), memoryMb: 256 }),
  ),
  { name: 'import-weights a PNG', args: () => ['import-weights', p('good.png'), '--arch', 'resnet34', '--out', join(OUT, 'iwp')], code: 2, says: /good\.png: neither a \.safetensors file nor a torch\.save zip/ },
  { name: 'import-weights empty file', args: () => ['import-weights', p('empty.png'), '--arch', 'resnet34', '--out', join(OUT, 'iwe')], code: 2, says: /empty\.png/ },
  { name: 'import-weights wrong arch', args: () => ['import-weights', join(fixtures, 'reference-caddm/epoch_0.pkl'), '--arch', 'efficientnet-b3', '--out', join(OUT, 'iwa')], code: 2, says: /epoch_0\.pkl: not a CADDM efficientnet-b3 checkpoint/ },
  { name: 'import-weights unknown arch', args: () => ['import-weights', join(fixtures, 'reference-caddm/epoch_0.pkl'), '--arch', 'vgg', '--out', join(OUT, 'iwb')], code: 2, says: /--arch must be one of/ },
  { name: 'import-weights over a run', args: () => ['import-weights', join(fixtures, 'reference-caddm/epoch_0.pkl'), '--arch', 'resnet34', '--out', run], code: 2, says: /already exists and is not an empty folder/ },
  { name: 'import-weights --entry missing', args: () => ['import-weights', join(fixtures, 'reference-caddm/epoch_0.pkl'), '--arch', 'resnet34', '--entry', 'weights', '--out', join(OUT, 'iwc')], code: 2, says: /no state dict .* under 'weights'/ },
  // export
  { name: 'export without a format', args: () => ['export', run, join(OUT, 'ex1')], code: 2, says: /say which format: 'caddm export --web RUN OUT'/ },
  { name: 'export a missing run', args: () => ['export', '--web', join(S, 'nothing'), join(OUT, 'ex2')], code: 2, says: /nothing: not a run or checkpoint directory/ },
  { name: 'export into a file', args: () => ['export', '--web', run, p('good.png')], code: 2, says: /good\.png/ },
  {
    name: 'detect with a web model missing its weights',
    args: () => {
      const dir = join(OUT, 'ex3');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }] }));
      writeFileSync(join(dir, 'config.json'), readFileSync(join(run, 'config.json')));
      return ['detect', p('good.png'), '--run', dir];
    },
    code: 2,
    says: /ex3\/group1-shard1of1\.bin: weight shard listed in model\.json is missing; copy the whole exported folder/,
  },
  // merge
  { name: 'merge without shards', args: () => ['merge', OUT], code: 2, says: /no shards\/ folder to merge/ },
  { name: 'merge a missing folder', args: () => ['merge', join(S, 'nothing')], code: 2, says: /nothing: no shards\/ folder/ },
  { name: 'merge with a shard missing', args: () => (mkdirSync(join(OUT, 'm1/shards/0-of-2'), { recursive: true }), ['merge', join(OUT, 'm1')]), code: 2, says: /cannot merge 2 shards: missing shard\(s\) 1/ },
  // output paths that are files
  { name: 'preprocess --out is a file', args: () => ['preprocess', '--data', p('people'), '--out', p('good.png')], code: 2, says: /good\.png/ },
  { name: 'eval --out is a file', args: () => ['eval', '--run', run, '--cache', scored, '--split', 'test', '--out', p('good.jpg')], code: 2, says: /good\.jpg/ },
  { name: 'eval on a cache without frames', args: () => ['eval', '--run', run, '--cache', cache, '--split', 'test', '--out', join(OUT, 'ev9')], code: 2, says: /cache: no frame to score in split 'test' \(1 video\(s\), none with a frame that has a face\)/ },
  { name: 'generate --out is a file', args: () => ['generate', '--out', p('good.png')], code: 2, says: /good\.png/ },
  // generate and unknown commands
  { name: 'unknown command', args: () => ['frobnicate'], code: 2, says: /unknown command 'frobnicate'/ },
  { name: 'unknown option', args: () => ['detect', p('good.png'), '--run', run, '--bogus'], code: 2, says: /unknown option '--bogus'/ },
  { name: 'generate --profile bogus', args: () => ['generate', '--out', join(OUT, 'gen'), '--profile', 'bogus'], code: 2, says: /bogus/ },
  { name: 'generate --faces with too few people', args: () => ['generate', '--out', join(OUT, 'gen3'), '--faces', p('people')], code: 2, says: /people: \d+ people with at least 2 photos in which a face is found.*a training benchmark needs at least 60/ },
  { name: 'generate --eval-only without --faces', args: () => ['generate', '--out', join(OUT, 'gen4'), '--eval-only'], code: 2, says: /--eval-only needs --faces DIR/ },
  { name: 'eval --faces with too few people', args: () => ['eval', '--run', run, '--faces', p('people'), '--out', join(OUT, 'evf1')], code: 2, says: /people: \d+ people with at least 2 photos in which a face is found.*an evaluation set needs at least 10/ },
  { name: 'eval --faces an empty folder', args: () => (mkdirSync(p('no-people'), { recursive: true }), ['eval', '--run', run, '--faces', p('no-people'), '--out', join(OUT, 'evf2')]), code: 2, says: /no-people/ },
  { name: 'eval --faces a missing folder', args: () => ['eval', '--run', run, '--faces', join(S, 'nobody'), '--out', join(OUT, 'evf3')], code: 2, says: /nobody: no such folder; give a folder of people/ },
  { name: 'eval with --cache and --faces', args: () => ['eval', '--run', run, '--cache', cache, '--faces', p('people')], code: 2, says: /give either --cache DIR .* or --faces DIR .*, not both or neither/ },
  { name: 'eval with neither --cache nor --faces', args: () => ['eval', '--run', run], code: 2, says: /give either --cache DIR/ },
  { name: 'eval --faces --split val', args: () => ['eval', '--run', run, '--faces', p('people'), '--split', 'val'], code: 2, says: /with --faces, --split must be test or cross, got 'val'/ },
  { name: 'generate --faces missing', args: () => ['generate', '--out', join(OUT, 'gen2'), '--faces', join(S, 'no-faces')], code: 2, says: /no-faces/ },
];

function copyRun(name: string): void {
  const dst = join(S, name);
  if (existsSync(dst)) return;
  execFileSync('cp', ['-r', run, dst]);
}


describe('the bad-input corpus', () => {
  it('holds more than 100 inputs', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const args = c.args(); // may write the input it needs first
      const before = snapshot();
      const mem = process.memoryUsage();
      const t0 = performance.now();
      const r = await Promise.race([runCliCaptured(args), new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${c.name}: no answer within 30 s (a hang)`)), 30_000))]);
      const seconds = (performance.now() - t0) / 1000;
      const grown = (process.memoryUsage().arrayBuffers - mem.arrayBuffers + process.memoryUsage().external - mem.external) / 2 ** 20;
      if (c.code >= 0) expect(r.code, r.out).toBe(c.code);
      else expect([0, 2], r.out).toContain(r.code);
      expect(r.out).toMatch(c.says);
      // No stack trace, and every problem line is one line (no JavaScript frames, no multi-line dumps).
      expect(r.out, r.out).not.toMatch(/\n\s+at [\w.<>]+ \(|node:internal|\.ts:\d+:\d+/);
      expect(seconds).toBeLessThan(30);
      if (c.memoryMb) expect(grown, `${c.name}: ${grown.toFixed(0)} MB`).toBeLessThan(c.memoryMb);
      expect(snapshot()).toEqual(before);
    });
  }
});
