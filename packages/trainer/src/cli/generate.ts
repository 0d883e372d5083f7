import type { Command } from 'commander';
import { generateBenchmark } from '@caddm/datasets';
import { faceApiDetector } from '@caddm/datasets';
import { CliError, backend, positiveInt } from './common.js';

/** `caddm generate`: writes the embedded forgery benchmark. */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'Generate the embedded forgery benchmark (FF++ layout with split files): procedural identities, or real photos with --faces; four in-domain manipulation methods and a held-out cross-dataset split.',
    )
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('--profile <name>', 'size: tiny (tests, seconds) or mini (experiments, minutes)', 'tiny')
    .option('--seed <n>', 'seed: the same seed gives the same bytes', positiveIntOrZero, 0)
    .option('--faces <dir>', 'use real faces from an identity folder (<identity>/<image>, e.g. LFW) instead of procedural ones')
    .option('--format <fmt>', 'mp4 (needs ffmpeg) or frames (PNG folders)')
    .action(async (o: { out: string; profile: string; seed: number; faces?: string; format?: string }) => {
      if (o.profile !== 'tiny' && o.profile !== 'mini') throw new CliError(`--profile must be tiny or mini, got '${o.profile}'`);
      if (o.format != null && o.format !== 'mp4' && o.format !== 'frames') throw new CliError(`--format must be mp4 or frames, got '${o.format}'`);
      if (o.faces) await backend();
      const r = await generateBenchmark({
        out: o.out,
        seed: o.seed,
        profile: o.profile,
        format: o.format as 'mp4' | 'frames' | undefined,
        faces: o.faces ? { identityDir: o.faces, detector: faceApiDetector() } : 'procedural',
      });
      process.stdout.write(`generated ${r.videos} video(s): in-domain ${r.ffppRoot}, cross-dataset ${r.crossRoot}\n`);
      for (const s of r.skipped) process.stderr.write(`skipped ${s.path}: ${s.reason}\n`);
    });
}

function positiveIntOrZero(v: string): number {
  return v === '0' ? 0 : positiveInt('--seed')(v);
}
