import { Command, CommanderError } from 'commander';
import { describeSystemError, isTypedError } from './common.js';
import { registerDetect } from './detect.js';
import { registerEval } from './eval.js';
import { registerExport } from './export.js';
import { registerGenerate } from './generate.js';
import { registerImportWeights } from './import-weights.js';
import { registerMerge } from './merge.js';
import { registerPreprocess } from './preprocess.js';
import { registerTrain } from './train.js';

/** The `caddm` command-line program. */
export function createProgram(): Command {
  const program = new Command('caddm')
    .description(
      'CADDM: the ID-unaware Deepfake Detection Model (CVPR 2023). Train on the embedded benchmark or real datasets, evaluate, and detect face forgeries with artifact boxes.',
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false });
  registerTrain(program);
  registerEval(program);
  registerDetect(program);
  registerPreprocess(program);
  registerGenerate(program);
  registerImportWeights(program);
  registerMerge(program);
  registerExport(program);
  return program;
}

/**
 * Runs the program on `argv` (without node and script); returns the exit code:
 * 0 done, 2 a mistake in the command or its inputs (one line: typed errors and
 * file-system errors naming their path), 1 an unexpected failure (its message,
 * and the stack trace only with `CADDM_DEBUG=1`).
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  // Errors become exceptions (not process.exit) on every subcommand too.
  for (const c of [program, ...program.commands]) c.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const debug = process.env.CADDM_DEBUG === '1';
    if (isTypedError(e)) {
      process.stderr.write(`caddm: ${debug ? (e.stack ?? e.message) : e.message}\n`);
      return 2;
    }
    const sys = describeSystemError(e);
    if (sys) {
      process.stderr.write(`caddm: ${sys}\n${debug ? `${(e as Error).stack}\n` : ''}`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(debug && e instanceof Error ? `caddm: ${e.stack}\n` : `caddm: ${message}\n(set CADDM_DEBUG=1 to see where it happened)\n`);
    return 1;
  }
}
