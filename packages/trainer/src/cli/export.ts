import type { Command } from 'commander';
import { exportWebModel } from '../web-model/export.js';
import { CliError, backend } from './common.js';

/** `caddm export --web`: a run as a folder the web app (and `caddm detect --run`) loads. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'Export a trained run (or one of its checkpoints) for the browser: with --web, OUT gets the tfjs layers model (model.json and weight shards), ' +
        "the run's config.json (crop, input normalisation, anchors) and export.json (the source checkpoint's SHA-256 and the run's metrics). " +
        "Load OUT in the web app (apps/web) from a folder or a URL; 'caddm detect --run OUT' reads it too.",
    )
    .argument('<run>', "run directory written by 'caddm train' or 'caddm import-weights' (or one of its checkpoints)")
    .argument('<out>', 'folder to write')
    .option('--web', 'the web app format (the only one; required, so that other formats can come later)', false)
    .option('--description <text>', 'text the web app shows beside the model (default: backbone, width, input size, steps)')
    .action(async (run: string, out: string, o: { web: boolean; description?: string }) => {
      if (!o.web) throw new CliError("say which format: 'caddm export --web RUN OUT' (the only format for now)");
      await backend();
      const r = await exportWebModel(run, out, {
        ...(o.description !== undefined ? { description: o.description } : {}),
        warn: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${r.outDir}: ${r.files.join(', ')} (${(r.bytes / 2 ** 20).toFixed(2)} MiB) from ${r.info.source.checkpoint}\n`);
    });
}
