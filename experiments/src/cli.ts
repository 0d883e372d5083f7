import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { backendInfo, describeBackend, initBackend } from '@caddm/tf';
import { ConfigError, parseOverrides, resolveConfig } from '@caddm/trainer';
import { EXPERIMENTS, PLANNED, findExperiment } from './registry.js';
import { configHash, withSets } from './protocol/train.js';
import { runCommit, writeReport } from './report.js';
import type { ExperimentContext, ModelRecord, Profile } from './types.js';

const USAGE = `Usage: pnpm exp <name> [options]

Options:
  --profile mini|paper   mini (default): this CPU, embedded benchmark, small models;
                         paper: the paper's settings on real datasets (needs --data, a GPU)
  --quick                a few-minute smoke variant of the mini profile
  --seed N               seed for every random choice (default 1)
  --seeds N              training seeds (seed, seed+1, ...) of the models an experiment
                         repeats, e.g. Table 2's baseline and full model (default: the
                         experiment's own, 3 for table2; 1 with --quick)
  --faces DIR            identity folder of real faces (<identity>/<image>), e.g. ../shared/faces/lfw
  --data NAME=PATH       dataset root or 'caddm preprocess' cache, repeatable
                         (ffpp=..., celebdf=..., dfdc=..., lfw=...); paper profile
  --set KEY=VALUE        override a config value of every model trained, repeatable,
                         e.g. --set train.batch_size=32 --set model.width=0.5
  --weights DIR|none     paper profile: folder of ImageNet weights, <backbone>.safetensors
                         or .pth, or as downloaded (resnet34-b627a593.pth); none: from scratch
  --out DIR              where reports go (default experiments/results)
  -h, --help             this help`;

/** Thrown for command-line mistakes: printed without a stack, exit code 2. */
export class UsageError extends Error {}

function listing(): string {
  const w = Math.max(...[...EXPERIMENTS, ...PLANNED].map((e) => e.name.length));
  const rows = EXPERIMENTS.map((e) => `  ${e.name.padEnd(w)}  ${e.title}  [${e.paperRef}]`);
  const planned = PLANNED.map((e) => `  ${e.name.padEnd(w)}  ${e.title}  [${e.paperRef}] (not implemented yet: issue #${e.issue})`);
  const plannedBlock = planned.length ? `\n\nPlanned:\n${planned.join('\n')}` : '';
  return `Experiments:\n${rows.join('\n')}${plannedBlock}\n\n${USAGE}`;
}

/** Parses `argv` (without node and script) into a context; throws UsageError. */
export function parseCli(argv: readonly string[], root: string): { name?: string; ctx: ExperimentContext; help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        profile: { type: 'string', default: 'mini' },
        quick: { type: 'boolean', default: false },
        seed: { type: 'string', default: '1' },
        seeds: { type: 'string' },
        faces: { type: 'string' },
        data: { type: 'string', multiple: true, default: [] },
        set: { type: 'string', multiple: true, default: [] },
        weights: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.profile !== 'mini' && v.profile !== 'paper') throw new UsageError(`--profile must be mini or paper, got '${v.profile}'`);
  const seed = Number(v.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${v.seed}'`);
  const seeds = v.seeds == null ? undefined : Number(v.seeds);
  if (seeds != null && !(Number.isInteger(seeds) && seeds >= 1 && seeds <= 20)) throw new UsageError(`--seeds must be an integer from 1 to 20, got '${v.seeds}'`);
  const data: Record<string, string> = {};
  for (const d of v.data as string[]) {
    const i = d.indexOf('=');
    if (i <= 0) throw new UsageError(`--data expects NAME=PATH, got '${d}'`);
    data[d.slice(0, i)] = resolve(d.slice(i + 1));
  }
  const overrides = parseSets(v.set as string[], v.profile as Profile);
  if (v.quick && v.profile === 'paper') throw new UsageError('--quick is a variant of the mini profile; shrink a paper run with --set (e.g. --set train.epoch_num=1)');
  if (v.weights != null && v.profile !== 'paper') throw new UsageError('--weights is for --profile paper (the mini profile trains small networks from scratch)');
  if (parsed.positionals.length > 1) throw new UsageError(`one experiment at a time, got ${parsed.positionals.join(', ')}`);
  const ctx: ExperimentContext = {
    profile: v.profile as Profile,
    quick: v.quick as boolean,
    seed,
    ...(seeds != null ? { seeds } : {}),
    faces: v.faces ? resolve(v.faces) : undefined,
    data,
    ...(Object.keys(overrides).length ? { overrides } : {}),
    ...(v.weights != null ? { weights: v.weights === 'none' ? 'none' : resolve(v.weights) } : {}),
    outDir: resolve(v.out ?? resolve(root, 'experiments/results')),
    log: (m) => process.stderr.write(`${m}\n`),
  };
  return { name: parsed.positionals[0], ctx, help: v.help as boolean };
}

/**
 * Parses `--set KEY=VALUE` options with the trainer's own parser (values
 * read as YAML scalars or flow collections, so JSON works) and checks them
 * against the profile's config, so a bad path or value is a usage error
 * before anything runs.
 * @throws UsageError naming the bad option
 */
export function parseSets(pairs: readonly string[], profile: Profile): Record<string, unknown> {
  if (pairs.length === 0) return {};
  try {
    const overrides = parseOverrides(pairs);
    // The paper profile's dataset needs a root, which experiments fill in from --data.
    resolveConfig(withSets(profile === 'paper' ? { dataset: { root: '<--data>' } } : {}, overrides), { profile }, '--set');
    return overrides;
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`bad --set: ${e.problems.join('; ')}`);
    throw e;
  }
}

/** Runs the dispatcher; returns the process exit code. */
export async function main(argv: readonly string[], root: string): Promise<number> {
  let cli;
  try {
    cli = parseCli(argv, root);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`exp: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (cli.help || cli.name == null) {
    process.stdout.write(`${listing()}\n`);
    return 0;
  }
  const exp = findExperiment(cli.name);
  if (exp == null) {
    process.stderr.write(`exp: unknown experiment '${cli.name}'. Available: ${EXPERIMENTS.map((e) => e.name).join(', ')}; planned: ${PLANNED.map((e) => e.name).join(', ')}.\n`);
    return 2;
  }
  if (!('run' in exp)) {
    process.stderr.write(`exp: '${exp.name}' (${exp.paperRef}) is not implemented yet (issue #${exp.issue}); nothing was run.\n`);
    return 3;
  }
  await initBackend();
  // Before the run: the reports it writes into the repository would mark the tree dirty.
  const commit = runCommit();
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  // Every model the run trains or reloads, by run directory: named in the JSON, their configs hashed.
  const models = new Map<string, ModelRecord>();
  const result = await exp.run({ ...cli.ctx, onModel: (m) => void models.set(m.runDir, m) });
  const wallSeconds = (performance.now() - t0) / 1000;
  const hash = models.size > 0 ? configHash([...models.values()].map((m) => m.config)) : undefined;
  const info = backendInfo();
  const path = writeReport(exp, cli.ctx, result, {
    backend: info ? describeBackend(info) : 'none',
    wallSeconds,
    startedAt,
    command: `pnpm exp ${argv.join(' ')}`,
    commit,
    seeds: result.seeds ?? [cli.ctx.seed],
    ...(hash ? { configHash: hash } : {}),
    ...(models.size > 0 ? { models: [...models.values()] } : {}),
  });
  process.stdout.write(`report: ${path}\n`);
  return 0;
}
