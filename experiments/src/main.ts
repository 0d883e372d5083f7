import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { main } from './cli.js';
import { PaperInputError } from './protocol/paper-data.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
main(process.argv.slice(2), root).then(
  (code) => process.exit(code),
  (e: unknown) => {
    // Missing inputs are the user's to supply, not a bug: the message alone says what.
    process.stderr.write(`exp: ${e instanceof PaperInputError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
