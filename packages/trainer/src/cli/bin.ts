#!/usr/bin/env node
import { runCli } from './program.js';

let settled = false;
// If the event loop empties while a command is still awaiting (e.g. a worker
// thread died without answering), Node would exit 0 silently: say so instead.
process.on('exit', (code) => {
  if (!settled && code === 0) {
    process.stderr.write('caddm: the command stopped before finishing (a pending operation never completed)\n');
    process.exitCode = 1;
  }
});

runCli(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (e: unknown) => {
    settled = true;
    process.stderr.write(`caddm: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
