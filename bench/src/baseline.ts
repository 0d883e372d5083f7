import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A baseline figure from `../shared/bench/baseline.py`. */
export interface BaselineFigure {
  readonly name: string;
  readonly ms: number;
  readonly runs: number;
}

/** The Debian interpreter that has python3-opencv / python3-torch. */
export const BASELINE_PYTHON = '/usr/bin/python3';

/** Whether `/usr/bin/python3` can import the modules the baseline needs. */
export function baselineAvailable(modules: readonly string[] = ['cv2', 'torch', 'numpy']): { ok: boolean; why?: string } {
  if (!existsSync(BASELINE_PYTHON)) return { ok: false, why: `${BASELINE_PYTHON} not found` };
  const r = spawnSync(BASELINE_PYTHON, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (r.status !== 0) {
    return {
      ok: false,
      why: `${BASELINE_PYTHON} lacks ${modules.join('/')} (apt-get install -y python3-opencv python3-torch python3-numpy)`,
    };
  }
  return { ok: true };
}

/** Runs the baseline script for the given figure names (all of its figures when omitted); returns its figures. */
export function runBaseline(script: string, names?: readonly string[]): BaselineFigure[] {
  if (names != null && names.length === 0) return [];
  const r = spawnSync(BASELINE_PYTHON, names == null ? [script] : [script, '--only', names.join(',')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 20 * 60_000,
  });
  if (r.status !== 0) throw new Error(`${script} exited with ${r.status}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as BaselineFigure);
}
