/**
 * Where a training step's time goes: the BN-experiment CNN's step (forward + backward + Adam,
 * batch 100) on the WASM backend with tbkit's kernels, every kernel timed by tf.profile, summed
 * by kernel name over the timed steps; beside it PyTorch's per-op self CPU time
 * (bench/peers/bn_profile.py, torch.profiler) on the same configuration, when the peers' venv has
 * torch. A tool for choosing which kernel to work on, not a bench row (profiling adds a little
 * per kernel).
 *
 *   npx tsx bench/profile-step.ts [--bn] [--lr 0.001 --data digits] [--threads 1] [--steps 10]
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildModel, createTrainer } from '../src/experiments/bn/model';
import { selectBackend } from '../src/tfjs/backend';
import { findPeerPython, missingPeer } from './peers/python';
import { table } from './report';
import { fmtNum } from './util';
import { BATCH, digitBatches, noiseBatch } from './training-data';

interface ProfileArgs { bn: boolean; lr: number; data: 'noise' | 'digits'; threads: number; steps: number }

function parse(argv: string[]): ProfileArgs {
  const a: ProfileArgs = { bn: false, lr: 0.01, data: 'noise', threads: 1, steps: 10 };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    if (f === '--bn') a.bn = true;
    else if (f === '--lr') a.lr = Number(argv[++i]);
    else if (f === '--data') a.data = argv[++i] === 'digits' ? 'digits' : 'noise';
    else if (f === '--threads') a.threads = Number(argv[++i]);
    else if (f === '--steps') a.steps = Number(argv[++i]);
    else throw new Error(`unknown argument ${f}: npx tsx bench/profile-step.ts [--bn] [--lr 0.001] [--data digits] [--threads 1] [--steps 10]`);
  }
  if (!(a.lr > 0) || !(a.threads >= 1) || !(a.steps >= 1)) throw new Error('--lr, --threads and --steps take positive numbers');
  return a;
}

export async function profileWasmStep(a: ProfileArgs): Promise<{ msPerStep: number; kernels: Array<{ name: string; ms: number; calls: number }> }> {
  process.env.TBKIT_WASM_THREADS = String(a.threads);
  await selectBackend('wasm');
  const batches = a.data === 'digits' ? digitBatches() : [noiseBatch()];
  const model = buildModel(tf, { useBn: a.bn, seed: 1 });
  const trainer = createTrainer(tf, model, { learningRate: a.lr });
  let i = 0;
  const step = async (): Promise<void> => {
    const { xs, ys } = batches[i++ % batches.length];
    const c = trainer.trainStep(xs, ys);
    await c.data();
    c.dispose();
  };
  for (let w = 0; w < 5; w++) await step(); // the first steps are still being JIT-compiled
  const t0 = performance.now();
  for (let k = 0; k < a.steps; k++) await step();
  const msPerStep = (performance.now() - t0) / a.steps;
  const sums = new Map<string, { ms: number; calls: number }>();
  const info = await tf.profile(async () => {
    for (let k = 0; k < a.steps; k++) await step();
  });
  // tf.profile also lists op scopes (fusedConv2d__op, unnamed scope) around the kernels they run:
  // only registered kernels count, so that nothing is counted twice.
  for (const k of info.kernels) {
    if (tf.getKernel(k.name, tf.getBackend()) === undefined) continue;
    const s = sums.get(k.name) ?? { ms: 0, calls: 0 };
    s.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    s.calls++;
    sums.set(k.name, s);
  }
  const kernels = [...sums].map(([name, s]) => ({ name, ms: s.ms / a.steps, calls: s.calls / a.steps })).sort((x, y) => y.ms - x.ms);
  return { msPerStep, kernels };
}

function pytorchProfile(a: ProfileArgs): string {
  const peer = findPeerPython();
  const why = missingPeer(peer, 'torch');
  if (why || typeof peer === 'string') return `PyTorch: skipped: ${why}`;
  const r = spawnSync(peer.python, [path.join(__dirname, 'peers', 'bn_profile.py'), String(a.threads), a.bn ? '1' : '0', String(a.lr), String(a.steps), String(BATCH)], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trimEnd() : `PyTorch: failed: ${(r.stderr || String(r.error)).trim().split('\n').pop()}`;
}

if (require.main === module) {
  const a = parse(process.argv.slice(2));
  profileWasmStep(a).then((p) => {
    const label = `${a.bn ? 'BN' : 'no BN'}, lr ${a.lr}, ${a.data}, ${a.threads} thread(s), ${a.steps} steps`;
    console.log(`## WASM (tbkit's kernels): ${label}: ${fmtNum(p.msPerStep, 1)} ms/step unprofiled`);
    const t = table(['kernel', 'ms/step', '% of the kernels', 'calls/step']);
    const total = p.kernels.reduce((s, k) => s + k.ms, 0);
    for (const k of p.kernels.filter((k) => k.ms >= 0.05 * total / 10)) t.push([k.name, fmtNum(k.ms, 2), `${fmtNum((100 * k.ms) / total, 1)} %`, fmtNum(k.calls, 0)]);
    console.log(t.toString());
    console.log(`kernels ${fmtNum(total, 1)} ms/step; the rest of the step (JS, autodiff bookkeeping, data) ${fmtNum(p.msPerStep - total, 1)} ms`);
    console.log(`\n## PyTorch: ${label}`);
    console.log(pytorchProfile(a));
  });
}
