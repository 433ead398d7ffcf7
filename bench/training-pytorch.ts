/**
 * The PyTorch side of bench/training.ts: the BN-experiment CNN (bench/peers/bn_cnn.py, the same
 * layers, loss, Adam, batch and input) in PyTorch on the CPU, one configuration per call, so that
 * the bench can interleave it with the WASM rows.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const SCRIPT = path.join(__dirname, 'peers', 'bn_step.py');

/** ms/step (wall and process CPU) of one configuration, or an error message. */
export function pytorchStep(python: string, o: { threads: number; bn: boolean; lr: number; steps: number; batch: number }): { msPerStep: number; cpuMsPerStep: number } | string {
  const r = spawnSync(python, [SCRIPT, String(o.threads), o.bn ? '1' : '0', String(o.lr), String(o.steps), String(o.batch)], { encoding: 'utf8' });
  const row = r.stdout?.split('\n').find((l) => l.startsWith('ROW '));
  if (r.status !== 0 || !row) return `failed: ${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()}`;
  const [, ms, cpu] = row.split(/\s+/);
  return { msPerStep: Number(ms), cpuMsPerStep: Number(cpu) };
}
