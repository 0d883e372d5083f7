import { Command, CommanderError } from 'commander';
import { CliError } from './common.js';
import { registerDetect } from './detect.js';
import { registerEval } from './eval.js';
import { registerGenerate } from './generate.js';
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
  return program;
}

/** Runs the program on `argv` (without node and script); returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  // Errors become exceptions (not process.exit) on every subcommand too.
  for (const c of [program, ...program.commands]) c.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof CliError || (e instanceof Error && /Error$/.test(e.name) && e.name !== 'Error' && e.name !== 'TypeError' && e.name !== 'RangeError')) {
      process.stderr.write(`caddm: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
