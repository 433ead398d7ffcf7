/**
 * The logdir a user has after `npm start`, in miniature: the real `tbkit experiment` CLI (both
 * runs, BN off and on, lr 0.01) on synthetic digits, so it needs no MNIST: 1100 images, 990 for
 * training = 10 steps per epoch, 2 epochs, a cost point every 5 steps.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

export const EXPERIMENT = {
  runs: ['bn-lr0.01', 'nobn-lr0.01'],
  lastStep: 20,
  costSteps: [1, 5, 10, 15, 20],
  validationSteps: [10, 20],
  /** The model's layers in order, each fed by the one before (the BN run also has bn1, bn2). */
  layers: (useBn: boolean): string[] => ['images', 'conv1', ...(useBn ? ['bn1'] : []), 'relu1', 'pool1', 'conv2', ...(useBn ? ['bn2'] : []), 'relu2', 'pool2', 'flatten', 'logits'],
  /** Scalar tags per run: cost, global_step/sec, validation/cost, validation/accuracy. */
  scalarTags: 4,
};

/** Runs the experiment into `logdir`; rejects with its output if it fails. */
export function writeExperimentLogdir(logdir: string): Promise<void> {
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'experiment', '--dataset', 'synthetic', '--limit', '1100', '--epochs', '2',
    '--summary-steps', '5', '--no-progress', '--logdir', logdir];
  const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tbkit experiment exited with ${code}:\n${out}`))));
  });
}
