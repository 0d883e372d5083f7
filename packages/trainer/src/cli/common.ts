import { InvalidArgumentError } from 'commander';
import { initBackend } from '@caddm/tf';

/** A mistake on the command line or in its inputs: printed without a stack, exit code 2. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Parses a positive integer option, naming it in the error. */
export function positiveInt(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got '${v}'`);
    return n;
  };
}

/** Parses a number in [0, 1]. */
export function unitInterval(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError(`${name} must be a number in [0, 1], got '${v}'`);
    return n;
  };
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Initialises the tfjs backend (logged once on stderr). */
export async function backend(): Promise<void> {
  await initBackend();
}
