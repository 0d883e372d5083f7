import type { Command } from 'commander';
import { formatPhotoReport, generateBenchmark } from '@caddm/datasets';
import { CliError, backend, nonNegativeInt } from './common.js';

/** `caddm generate`: writes the embedded forgery benchmark. */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'Generate the embedded forgery benchmark (FF++ layout with split files): procedural identities, or real photos with --faces; four in-domain manipulation methods and a held-out cross-dataset split.',
    )
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('--profile <name>', 'size: tiny (tests, seconds) or mini (experiments, minutes)', 'tiny')
    .option('--seed <n>', 'seed: the same seed gives the same bytes', nonNegativeInt('--seed'), 0)
    .option('--faces <dir>', 'use real faces from an identity folder (<identity>/<image>, e.g. LFW): every photo in which a face is found, people dealt to person-disjoint splits (60 people with 2+ such photos at least)')
    .option('--eval-only', 'with --faces: an evaluation-only set (10 people at least): everyone in the test split, and again in the cross part with the held-out method', false)
    .option('--format <fmt>', 'mp4 (needs ffmpeg) or frames (PNG folders)')
    .action(async (o: { out: string; profile: string; seed: number; faces?: string; evalOnly: boolean; format?: string }) => {
      if (o.evalOnly && !o.faces) throw new CliError('--eval-only needs --faces DIR (a folder of people)');
      if (o.profile !== 'tiny' && o.profile !== 'mini') throw new CliError(`--profile must be tiny or mini, got '${o.profile}'`);
      if (o.format != null && o.format !== 'mp4' && o.format !== 'frames') throw new CliError(`--format must be mp4 or frames, got '${o.format}'`);
      if (o.faces) await backend();
      const r = await generateBenchmark({
        out: o.out,
        seed: o.seed,
        profile: o.profile,
        format: o.format as 'mp4' | 'frames' | undefined,
        faces: o.faces ? { identityDir: o.faces, use: o.evalOnly ? 'eval' : 'train', log: (line) => process.stderr.write(`${line}\n`) } : 'procedural',
      });
      for (const s of r.skipped) process.stderr.write(`skipped ${s.path}: ${s.reason}\n`);
      if (r.photoReport) process.stdout.write(formatPhotoReport(r.photoReport) + '\n');
      process.stdout.write(`generated ${r.videos} video(s): in-domain ${r.ffppRoot}, cross-dataset ${r.crossRoot}\n`);
    });
}

