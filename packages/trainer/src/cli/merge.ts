import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { EVAL_SHARD_FILE, mergeEvalShards } from '../eval-shards.js';
import { mergePreprocessShards } from '@caddm/datasets';
import { CliError } from './common.js';
import { fmt, fmtAuc } from './eval.js';

/** `caddm merge`: joins the shards of a sharded `preprocess` or `eval` run. */
export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description(
      "Join the shards that 'caddm preprocess --shard' or 'caddm eval --shard' wrote under <dir>/shards/ into one cache (the frames and manifest a single process writes) or one metrics.json (computed from the joined per-frame scores, never averaged over shards). Refuses, naming them, shards that are missing or unfinished and shards run with other settings; the shards are removed after a merge.",
    )
    .argument('<dir>', "the --out folder the shards were given")
    .action(async (dir: string) => {
      const out = resolve(dir);
      const root = join(out, 'shards');
      if (!existsSync(root)) throw new CliError(`${out}: no shards/ folder to merge; run 'caddm preprocess --shard I/N --out ${dir}' or 'caddm eval --shard I/N --out ${dir}' first`);
      const isEval = readdirSync(root).some((n) => existsSync(join(root, n, EVAL_SHARD_FILE)));
      if (isEval) {
        const { shards, result: r } = await mergeEvalShards(out);
        process.stdout.write(`merged ${shards} evaluation shards: frames ${r.frames}, videos ${r.videos}: frame AUC ${fmt(r.frameAuc)}, video AUC ${fmtAuc(r.videoAuc, r.videoAucCi95)}, video EER ${fmt(r.videoEer)}, video AP ${fmt(r.videoAp)}\nresults: ${out}\n`);
      } else {
        const r = mergePreprocessShards(out);
        process.stdout.write(`merged ${r.shards} preprocessing shards: ${r.videos} videos in ${r.manifest}\n`);
      }
    });
}
