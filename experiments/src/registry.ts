import { hello } from './experiments/hello.js';
import { fig6 } from './experiments/fig6.js';
import { fig2 } from './experiments/fig2.js';
import { fig5 } from './experiments/fig5.js';
import { table1 } from './experiments/table1.js';
import { table2 } from './experiments/table2.js';
import { table3 } from './experiments/table3.js';
import { table4 } from './experiments/table4.js';
import { table5 } from './experiments/table5.js';
import { table6 } from './experiments/table6.js';
import { createAll } from './experiments/all.js';
import type { Experiment, PlannedExperiment } from './types.js';

/** `pnpm exp all`: every experiment below in order (skipping `hello`), with an index of reports (see {@link createAll}). */
const all = createAll(() => EXPERIMENTS);

/** Experiments that run today. */
export const EXPERIMENTS: readonly Experiment[] = [hello, table2, fig6, table3, table4, table1, fig2, fig5, table5, table6, all];

/** The paper's tables and figures that are announced but not implemented yet. */
export const PLANNED: readonly PlannedExperiment[] = [];

/** Finds an experiment by name. */
export function findExperiment(name: string): Experiment | PlannedExperiment | undefined {
  return EXPERIMENTS.find((e) => e.name === name) ?? PLANNED.find((e) => e.name === name);
}
