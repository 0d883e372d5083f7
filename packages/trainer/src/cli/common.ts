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

/** Parses 0 or a positive integer (a seed, a worker count); other values get {@link positiveInt}'s message. */
export function nonNegativeInt(name: string): (v: string) => number {
  const positive = positiveInt(name);
  return (v) => (v === '0' ? 0 : positive(v));
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

/**
 * Whether an error is one of the project's typed errors (a CliError, ConfigError,
 * DatasetError, ...): a mistake in the command or its inputs, whose message is
 * the whole story. Plain `Error`, `TypeError` and `RangeError` are not.
 */
export function isTypedError(e: unknown): e is Error {
  return e instanceof CliError || (e instanceof Error && /Error$/.test(e.name) && e.name !== 'Error' && e.name !== 'TypeError' && e.name !== 'RangeError');
}

/** What to say about a failed file-system call, by its error code. */
const SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist; check the path',
  ENOTDIR: 'a part of this path is a file, not a folder; choose another path',
  EEXIST: 'already exists and is not a folder; choose another path or move it away',
  EISDIR: 'is a folder where a file was expected; give the file itself',
  EACCES: 'permission denied; choose a path you can read and write',
  EPERM: 'operation not permitted; choose a path you can read and write',
  ENOSPC: 'no space left on the device; free some space or write elsewhere',
  EROFS: 'is on a read-only file system; write elsewhere',
};

/**
 * One line for a Node file-system error (`ENOENT`, `ENOTDIR`, ...): the path,
 * what is wrong and what to do; `undefined` for any other error.
 */
export function describeSystemError(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof err.code !== 'string' || typeof err.path !== 'string') return undefined;
  const what = SYSTEM_ERRORS[err.code];
  return what ? `${err.path}: ${what} (${err.code} in ${err.syscall ?? 'a file operation'})` : `${err.path}: ${err.message}`;
}
