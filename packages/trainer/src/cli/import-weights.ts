import type { Command } from 'commander';
import { parseOverrides } from '../config/index.js';
import { IMPORT_ARCHS, importWeights, type ImportArch } from '../import-weights.js';
import { CliError, backend, collect } from './common.js';

/** `caddm import-weights`: a run directory from the authors' released CADDM checkpoint. */
export function registerImportWeights(program: Command): void {
  program
    .command('import-weights')
    .description(
      "Make a run directory from the authors' released CADDM checkpoint (epoch_n.pkl as their train.py saves it, any torch.save file, or .safetensors) without Python: the file is read, never executed. " +
        "The backbone's unused ImageNet classifier is skipped; every other weight must fit. The run uses the released code's 224 px crop and anchors and feeds raw 0-255 BGR values as its test code does (model.input_norm: reference); " +
        "import.json records the source file and its SHA-256. Then: caddm detect --run <out> <photo or video>.",
    )
    .argument('<file>', 'the checkpoint')
    .requiredOption('--arch <name>', `its backbone: ${IMPORT_ARCHS.join(', ')}`)
    .requiredOption('-o, --out <dir>', 'the run directory to write (must not exist or be empty)')
    .option('--entry <name>', "the checkpoint dict's entry holding the state dict (default: network, state_dict or model)")
    .option('--set <key=value>', 'override one config value, e.g. --set model.width=0.5 for a narrowed network (repeatable)', collect, [])
    .action(async (file: string, o: { arch: string; out: string; entry?: string; set: string[] }) => {
      if (!(IMPORT_ARCHS as readonly string[]).includes(o.arch)) throw new CliError(`--arch must be one of ${IMPORT_ARCHS.join(', ')}, got '${o.arch}'`);
      await backend();
      const r = await importWeights({
        file,
        arch: o.arch as ImportArch,
        out: o.out,
        ...(o.entry !== undefined ? { entry: o.entry } : {}),
        overrides: parseOverrides(o.set),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${r.runDir}\n`);
    });
}
