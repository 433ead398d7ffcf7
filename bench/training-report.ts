/**
 * The training bench's rows and what is printed from them: the table, WASM vs PyTorch like for like
 * (same threads, BN setting and learning rate), the experiment estimate. No tfjs here.
 */

/** The default learning rate (the experiment's): rows without an lr were timed at it. */
export const LR = 0.01;

export interface TrainingBenchRow {
  backend: string;
  bn: boolean;
  msPerStep: number;
  steps: number;
  /** Process CPU time per step (all threads): tells contention from slowness when the machine is shared. */
  cpuMsPerStep?: number;
  /** Learning rate (default LR, the experiment's). */
  lr?: number;
  /** The batches: 'noise' (default: one batch of random 0–255 pixels, random labels) or 'digits'. */
  data?: 'noise' | 'digits';
  /**
   * % of nonzero values in the second conv's dy during the timed steps (WASM rows): its gradients
   * skip those zeros (src/tfjs/kernels/conv-grad-sparse.ts), so this says what a row's time means.
   */
  dyNonzeroPct?: number;
}

/** Steps of one run of the default experiment: 54 000 training images / batch 100 × 5 epochs. */
export const EXPERIMENT_STEPS = 5 * 540;

/**
 * WASM (our kernels) vs PyTorch on the CPU, like for like: the same thread count and BN setting.
 * `ratio` = WASM ms/step ÷ PyTorch ms/step.
 */
export function wasmVsPytorch(rows: TrainingBenchRow[]): Array<{ bn: boolean; lr: number; threads: string; wasm: TrainingBenchRow; torch: TrainingBenchRow; ratio: number }> {
  const out = [];
  for (const torch of rows.filter((r) => r.backend.startsWith('pytorch-'))) {
    const threads = torch.backend.slice('pytorch-'.length);
    const wasm = rows.find((r) => r.bn === torch.bn && r.backend === `wasm-${threads}` && (r.lr ?? LR) === (torch.lr ?? LR));
    if (wasm) out.push({ bn: torch.bn, lr: torch.lr ?? LR, threads, wasm, torch, ratio: wasm.msPerStep / torch.msPerStep });
  }
  return out;
}

/**
 * The default experiment's training time from the concurrent rows: both runs train at once, one
 * process each, so the slower run's steps set the wall time (evaluation and start-up not included).
 */
export function experimentEstimateMinutes(rows: TrainingBenchRow[]): number | undefined {
  const conc = rows.filter((r) => r.backend.includes('beside-other-run'));
  if (conc.length === 0) return undefined;
  return (Math.max(...conc.map((r) => r.msPerStep)) * EXPERIMENT_STEPS) / 60000;
}

export function formatTable(rows: TrainingBenchRow[]): string {
  const head = ['backend', 'bn', 'lr, data', 'dy≠0', 'ms/step', 'cpu ms/step', 'steps', 'one run (5x540 steps)'];
  const body = rows.map((r) => [
    r.backend,
    r.bn ? 'yes' : 'no',
    `${r.lr ?? LR}, ${r.data ?? 'noise'}`,
    r.dyNonzeroPct === undefined ? '-' : `${r.dyNonzeroPct.toFixed(1)} %`,
    r.msPerStep.toFixed(1),
    r.cpuMsPerStep == null ? '-' : r.cpuMsPerStep.toFixed(1),
    String(r.steps),
    // One run per BN setting in the default experiment.
    `${((r.msPerStep * EXPERIMENT_STEPS) / 60000).toFixed(1)} min`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function formatRatios(rows: TrainingBenchRow[]): string[] {
  const out = wasmVsPytorch(rows).map(
    (c) => `bn=${c.bn ? 'yes' : 'no '} lr ${c.lr} ${c.threads}: ${c.wasm.backend} ${c.wasm.msPerStep.toFixed(1)} ms/step${c.wasm.dyNonzeroPct === undefined ? '' : ` (dy ${c.wasm.dyNonzeroPct.toFixed(1)} % nonzero)`} = ${c.ratio.toFixed(2)}x ${c.torch.backend} (${c.torch.msPerStep.toFixed(1)} ms/step)`,
  );
  const est = experimentEstimateMinutes(rows);
  if (est !== undefined) out.push(`default experiment (no-BN and BN run at once, ${EXPERIMENT_STEPS} steps each): ~${est.toFixed(1)} min of training steps`);
  return out;
}

