import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { main } from './cli.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
main(process.argv.slice(2), root).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`exp: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
