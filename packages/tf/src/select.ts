import { tf } from './tf.js';
import { BACKEND_ORDER, CANDIDATES, type BackendCandidate, type BackendChoice } from './candidates.js';
import { smokeTest } from './smoke.js';

/** The outcome of trying one candidate. */
export interface BackendAttempt {
  readonly choice: BackendChoice;
  readonly ok: boolean;
  /** Why it was rejected (module missing, init failure, failed smoke test). */
  readonly reason?: string;
}

/** What {@link initBackend} chose and why. */
export interface BackendInfo {
  /** Our name of the chosen backend. */
  readonly choice: BackendChoice;
  /** The tfjs backend name (`tf.getBackend()`). */
  readonly tfName: string;
  /** Every candidate tried, in order. */
  readonly attempts: readonly BackendAttempt[];
  /** True when `CADDM_BACKEND` (or `prefer`) forced the choice. */
  readonly forced: boolean;
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * Candidates to try, in order. Defaults to `CADDM_BACKEND` when set (that
   * one alone), else {@link BACKEND_ORDER}.
   */
  readonly prefer?: BackendChoice | readonly BackendChoice[];
  /** Do not log the chosen backend. Defaults to `CADDM_QUIET=1`. */
  readonly quiet?: boolean;
  /** Environment to read `CADDM_BACKEND`/`CADDM_QUIET` from; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Thrown when no candidate (or the forced one) can be used. */
export class BackendUnavailableError extends Error {
  constructor(
    message: string,
    /** Every candidate tried, with the reason it failed. */
    readonly attempts: readonly BackendAttempt[],
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

let chosen: Promise<BackendInfo> | undefined;
let chosenInfo: BackendInfo | undefined;

function parseChoice(value: string): BackendChoice {
  const v = value.trim().toLowerCase();
  if ((BACKEND_ORDER as readonly string[]).includes(v)) return v as BackendChoice;
  throw new BackendUnavailableError(
    `CADDM_BACKEND='${value}' is not a backend this project knows; use one of ${BACKEND_ORDER.join(', ')}`,
    [],
  );
}

async function tryCandidate(c: BackendCandidate): Promise<BackendAttempt> {
  try {
    await c.load();
  } catch (e) {
    return { choice: c.choice, ok: false, reason: `cannot load ${c.module}: ${firstLine(e)}` };
  }
  try {
    if (!(await tf.setBackend(c.tfName))) {
      return { choice: c.choice, ok: false, reason: `tf.setBackend('${c.tfName}') failed to initialise` };
    }
    await tf.ready();
    smokeTest();
  } catch (e) {
    return { choice: c.choice, ok: false, reason: `smoke test failed on '${c.tfName}': ${firstLine(e)}` };
  }
  return { choice: c.choice, ok: true };
}

function firstLine(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.split('\n')[0];
}

async function select(options: InitBackendOptions): Promise<BackendInfo> {
  const env = options.env ?? process.env;
  const forcedByEnv = env.CADDM_BACKEND != null && env.CADDM_BACKEND !== '';
  let order: readonly BackendChoice[];
  if (options.prefer != null) order = typeof options.prefer === 'string' ? [options.prefer] : options.prefer;
  else if (forcedByEnv) order = [parseChoice(env.CADDM_BACKEND as string)];
  else order = BACKEND_ORDER;
  const forced = options.prefer != null || forcedByEnv;

  const attempts: BackendAttempt[] = [];
  for (const choice of order) {
    const c = CANDIDATES.find((k) => k.choice === choice);
    if (c == null) throw new BackendUnavailableError(`unknown backend '${choice}'`, attempts);
    const a = await tryCandidate(c);
    attempts.push(a);
    if (a.ok) {
      const info: BackendInfo = { choice, tfName: c.tfName, attempts, forced };
      const quiet = options.quiet ?? env.CADDM_QUIET === '1';
      if (!quiet) process.stderr.write(`[caddm] tfjs backend: ${describe(info)}\n`);
      return info;
    }
  }
  const why = attempts.map((a) => `  - ${a.choice}: ${a.reason}`).join('\n');
  const hint = forced
    ? `\nUnset CADDM_BACKEND (or pick another of ${BACKEND_ORDER.join(', ')}) to let the selector choose.`
    : '';
  throw new BackendUnavailableError(`no usable tfjs backend among [${order.join(', ')}]:\n${why}${hint}`, attempts);
}

/** A one-line description of a selection, e.g. `wasm (forced by CADDM_BACKEND)`. */
export function describe(info: BackendInfo): string {
  const skipped = info.attempts.filter((a) => !a.ok).map((a) => a.choice);
  return `${info.choice}${info.forced ? ' (forced)' : ''}${skipped.length ? ` (unavailable: ${skipped.join(', ')})` : ''}`;
}

/**
 * Picks and initialises the best available tfjs backend, once per process.
 *
 * Order: `@caddm/torch` (tfjs kernels on libtorch, when its addon is built),
 * `@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node`,
 * `@tensorflow/tfjs-backend-wasm` (binaries loaded from the installed package,
 * with the training kernels of `@caddm/wasm-train`), then the pure-JS `cpu`
 * backend. A candidate counts only if its module imports and a tiny
 * convolution-with-gradients smoke test passes on it. `CADDM_BACKEND=<name>`
 * forces one candidate; if it is unusable this throws
 * {@link BackendUnavailableError} naming the reason instead of falling back.
 *
 * Later calls return the first call's result (options are then ignored).
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  if (chosen == null) {
    chosen = select(options).then(
      (info) => {
        chosenInfo = info;
        return info;
      },
      (e: unknown) => {
        chosen = undefined;
        throw e;
      },
    );
  }
  return chosen;
}

/** The selection made by {@link initBackend}, or `undefined` before it resolved. */
export function backendInfo(): BackendInfo | undefined {
  return chosenInfo;
}

/**
 * Forgets the memoised selection so that the next {@link initBackend} selects
 * again. Meant for tests; tensors made on the old backend stay there.
 */
export function resetBackendSelection(): void {
  chosen = undefined;
  chosenInfo = undefined;
}
