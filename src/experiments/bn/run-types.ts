/**
 * What a run reports and where the experiment prints: shared by the runner (run.ts), the training
 * code (train-run.ts), the parallel scheduler (parallel.ts) and its children, none of which needs
 * another's code for it.
 */

export interface EpochResult {
  epoch: number;
  step: number;
  cost: number;
  accuracy: number;
}

export interface RunResult {
  name: string;
  dir: string;
  useBn: boolean;
  learningRate: number;
  backend: string;
  epochs: EpochResult[];
  finalCost: number;
  finalAccuracy: number;
  steps: number;
  seconds: number;
  msPerStep: number;
  endReason: string;
  /** 130/143 when a SIGINT/SIGTERM stopped the run: the experiment stops there too. */
  signalExitCode?: number;
}

export interface ExperimentIO {
  log: (line: string) => void;
  warn: (line: string) => void;
}

/**
 * Progress (data, backend, per-epoch lines) and warnings on stderr: stdout is for results, which the
 * CLI prints when the runs are done (the compare table, the chart's path).
 */
export const DEFAULT_IO: ExperimentIO = {
  log: (l) => process.stderr.write(l + '\n'),
  warn: (l) => process.stderr.write(l + '\n'),
};

/** Prints nothing: a parallel child's data was already reported by its parent. */
export const SILENT_IO: ExperimentIO = { log: () => undefined, warn: () => undefined };
