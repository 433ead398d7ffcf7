/**
 * The whole default experiment, wall time from process start to exit, against PyTorch on the same
 * machine in the same minutes: `npm start` (tbkit's experiment: MNIST, both runs side by side, its
 * logging, checkpoints, summary and chart), and two bench/peers/bn_experiment.py processes started
 * together, no BN and BN, one thread each (the experiment's two runs); two rounds, the order
 * reversed in the second (tbkit PyTorch, PyTorch tbkit), the ratio the median of the rounds'.
 * tbkit's results are checked against the README's (seeded: every round must give them).
 * Long (minutes per side): it runs in the full mode only (`--no-experiment` skips it). MNIST comes from $MNIST_DIR, else ../shared/data/mnist beside
 * the checkout (as .ci/run finds it); without it the row is skipped.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listRuns, readRunColumns } from '../../src/events';
import { median, nowMs, ratio, SkipError, tempDir } from '../util';
import { missingPeer, type PeerPython } from './python';

const REPO = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(__dirname, 'bn_experiment.py');
const MNIST_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'];

export interface ExperimentSide {
  seconds: number;
  /** Last validation accuracy per run (no BN, BN). */
  accuracy: { noBn: number; bn: number };
}

export interface ExperimentResult {
  mnistDir: string;
  /** Per round. */
  tbkit: ExperimentSide[];
  pytorch: ExperimentSide[];
  /** Median over rounds of tbkit's wall time ÷ PyTorch's in the same round (the target: ≤ 0.8). */
  ratio: number;
  /** Whether every tbkit round's last validation accuracies are the README's (EXPECTED_ACCURACY). */
  identical: boolean;
}

/** `npm start`'s last validation accuracy per run, as the README's results table shows them. */
export const EXPECTED_ACCURACY = { noBn: 0.1012, bn: 0.9848 };

export function sameAsReadme(a: { noBn: number; bn: number }): boolean {
  return Math.abs(a.noBn - EXPECTED_ACCURACY.noBn) < 5e-5 && Math.abs(a.bn - EXPECTED_ACCURACY.bn) < 5e-5;
}

/** MNIST's directory, or why there is none. */
export function findMnist(env: NodeJS.ProcessEnv = process.env): { dir: string } | string {
  const dir = env.MNIST_DIR || path.join(REPO, '..', 'shared', 'data', 'mnist');
  const missing = MNIST_FILES.filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length === 0) return { dir };
  return `no MNIST in ${dir} (${missing.join(', ')} missing): set MNIST_DIR to the directory of the IDX .gz files`;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${err.trim().split('\n').pop()}`))));
  });
}

/** `RESULT <bn> <seconds> <steps> <accuracy>` of bn_experiment.py. */
export function parseExperimentResult(stdout: string): { bn: boolean; steps: number; accuracy: number } {
  const f = stdout.split('\n').find((l) => l.startsWith('RESULT '))?.trim().split(/\s+/);
  if (!f || f.length !== 5 || !Number.isFinite(Number(f[3]))) throw new Error(`bn_experiment.py printed no RESULT line: ${JSON.stringify(stdout.slice(-200))}`);
  return { bn: f[1] === '1', steps: Number(f[3]), accuracy: Number(f[4]) };
}

/** The experiment's runs' last validation accuracy, read back from its logdir. */
function tbkitAccuracy(logdir: string): { noBn: number; bn: number } {
  const acc: { noBn: number; bn: number } = { noBn: NaN, bn: NaN };
  for (const r of listRuns(logdir)) {
    const data = readRunColumns(r.files);
    const c = data.scalars.get('validation/accuracy');
    if (!c || c.length === 0) continue;
    acc[data.hparams?.hparams.use_bn === true ? 'bn' : 'noBn'] = c.values[c.length - 1];
  }
  return acc;
}

export async function benchExperiment(peer: PeerPython | string, log: (m: string) => void = () => undefined, rounds = 2): Promise<ExperimentResult> {
  const why = missingPeer(peer, 'torch');
  if (why) throw new SkipError(why);
  const mnist = findMnist();
  if (typeof mnist === 'string') throw new SkipError(mnist);
  const python = (peer as PeerPython).python;
  const { dir, cleanup } = tempDir('experiment');
  const sides = {
    async tbkit(round: number): Promise<ExperimentSide> {
      const logdir = path.join(dir, `tbkit-${round}`);
      const t0 = nowMs();
      await run('npm', ['start', '--', '--logdir', logdir, '--no-progress'], { cwd: REPO, env: { ...process.env, MNIST_DIR: mnist.dir } });
      return { seconds: (nowMs() - t0) / 1000, accuracy: tbkitAccuracy(logdir) };
    },
    async pytorch(round: number): Promise<ExperimentSide> {
      const t0 = nowMs();
      const outs = await Promise.all([0, 1].map((bn) => run(python, [SCRIPT, '--bn', String(bn), '--mnist-dir', mnist.dir, '--logdir', path.join(dir, `pytorch-${round}-${bn}`), '--threads', '1'], {})));
      const seconds = (nowMs() - t0) / 1000;
      const [noBn, bn] = outs.map(parseExperimentResult);
      return { seconds, accuracy: { noBn: noBn.accuracy, bn: bn.accuracy } };
    },
  };
  try {
    const result = { tbkit: [] as ExperimentSide[], pytorch: [] as ExperimentSide[] };
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? (['tbkit', 'pytorch'] as const) : (['pytorch', 'tbkit'] as const)) {
        log(`experiment: round ${round + 1}/${rounds}: ${side === 'tbkit' ? 'npm start (both runs)' : 'PyTorch, the two runs side by side, one thread each'}`);
        result[side].push(await sides[side](round));
      }
    }
    const ratios = result.tbkit.map((t, i) => ratio(t.seconds, result.pytorch[i].seconds));
    return { mnistDir: mnist.dir, ...result, ratio: median(ratios), identical: result.tbkit.every((t) => sameAsReadme(t.accuracy)) };
  } finally {
    cleanup();
  }
}
