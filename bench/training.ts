/**
 * ms per training step (forward + backward + Adam, batch 100) of the BN-experiment CNN on every
 * backend that loads here, and PyTorch's (bench/training-pytorch.ts) on the same configurations,
 * interleaved: each WASM row and its PyTorch row run in turn, ABBA over two rounds (one with
 * --quick), and report their means.
 *
 *   npx tsx bench/training.ts [--quick]      (TBKIT_PYTHON=<python with torch> picks PyTorch's python)
 */
import { spawn, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { buildModel, createTrainer } from '../src/experiments/bn/model';
import { selectBackend } from '../src/tfjs/backend';
import { registerWasmTrainingKernels } from '../src/tfjs/kernels/register';
import { sparseConvStats } from '../src/tfjs/kernels/conv-grad-sparse';
import { findPeerPython, missingPeer } from './peers/python';
import { BATCH, digitBatches, noiseBatch } from './training-data';
import { pytorchStep } from './training-pytorch';
import { formatRatios, formatTable, LR, type TrainingBenchRow } from './training-report';

export { EXPERIMENT_STEPS, experimentEstimateMinutes, formatRatios, formatTable, wasmVsPytorch, type TrainingBenchRow } from './training-report';

/**
 * Without BN at lr 0.01 the network dies within a few steps (as the experiment's no-BN run does):
 * its dy is all zero. The rows at this rate on generated digits time a network that keeps learning.
 */
const LIVE_LR = 0.001;

interface StepOptions {
  lr?: number;
  data?: 'noise' | 'digits';
}

async function timeSteps(backend: string, bn: boolean, warmup: number, steps: number, o: StepOptions = {}): Promise<TrainingBenchRow> {
  const lr = o.lr ?? LR;
  const data = o.data ?? 'noise';
  const batches = data === 'digits' ? digitBatches() : [noiseBatch()];
  const model = buildModel(tf, { useBn: bn, seed: 1 });
  const trainer = createTrainer(tf, model, { learningRate: lr });
  let i = 0;
  const step = async (): Promise<void> => {
    const { xs, ys } = batches[i++ % batches.length];
    const c = trainer.trainStep(xs, ys);
    await c.data(); // forces the step to complete, as training's cost logging would
    c.dispose();
  };
  for (let w = 0; w < warmup; w++) await step();
  const s0 = { ...sparseConvStats };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let k = 0; k < steps; k++) await step();
  const msPerStep = (performance.now() - t0) / steps;
  const cpu = process.cpuUsage(c0);
  const cpuMsPerStep = (cpu.user + cpu.system) / 1000 / steps;
  const sampled = sparseConvStats.sampled - s0.sampled;
  const dyNonzeroPct = sampled > 0 ? (100 * (sparseConvStats.densitySum - s0.densitySum)) / sampled : undefined;
  trainer.optimizer.dispose();
  model.dispose();
  tf.dispose(batches.flatMap((b) => [b.xs, b.ys]));
  return { backend, bn, msPerStep, steps, cpuMsPerStep, lr, data, ...(dyNonzeroPct === undefined ? {} : { dyNonzeroPct }) };
}

function canLoadTfjsNode(): string | null {
  try {
    require('@tensorflow/tfjs-node');
    return null;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split('\n')[0];
  }
}

/** "wasm-1thread", "pytorch-2threads", …: rows compare like for like by this suffix. */
function threadName(prefix: string, threads: number): string {
  return `${prefix}-${threads}thread${threads === 1 ? '' : 's'}`;
}

/** Thread counts each threaded backend is timed at: one, and all cores. */
function threadCounts(): number[] {
  const cores = os.availableParallelism();
  return cores > 1 ? [1, cores] : [1];
}

const CHILD_FLAG = '--wasm-rows-json';

interface ChildOptions {
  quick: boolean;
  name: string;
  bn: boolean;
  lr: number;
  data: 'noise' | 'digits';
  /** Time the stock wasm kernels (only the missing one of ours registered): a "before" row. */
  stock?: boolean;
}

function childArgs(o: ChildOptions): string[] {
  return [
    ...process.execArgv, __filename, CHILD_FLAG, '--name', o.name, '--bn', o.bn ? 'yes' : 'no', '--lr', String(o.lr), '--data', o.data,
    ...(o.quick ? ['--quick'] : []), ...(o.stock ? ['--stock'] : []),
  ];
}

function parseChildRows(name: string, code: number | null, stdout: string, stderr: string, log: (m: string) => void): TrainingBenchRow[] | null {
  const line = stdout.split('\n').find((l) => l.startsWith('['));
  if (code !== 0 || !line) {
    log(`${name}: skipped: child process failed (${stderr.trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(line) as TrainingBenchRow[];
}

/**
 * One WASM row in a child process of its own: the thread count is fixed per process once wasm
 * initialises, and earlier benches in this process may have initialised it already. `env` sets
 * the comparisons' switches (TBKIT_NO_SPARSE_CONV, TBKIT_NO_DENSE_CONV).
 */
function wasmRow(threads: number, o: ChildOptions, log: (m: string) => void, env: Record<string, string> = {}): TrainingBenchRow | null {
  const r = spawnSync(process.execPath, childArgs(o), { encoding: 'utf8', env: { ...process.env, TBKIT_WASM_THREADS: String(threads), ...env } });
  return parseChildRows(o.name, r.status, r.stdout ?? '', r.stderr || String(r.error ?? ''), log)?.[0] ?? null;
}

async function childWasmRows(o: ChildOptions): Promise<TrainingBenchRow[]> {
  await selectBackend('wasm');
  if (o.stock) {
    process.env.TBKIT_NO_SPARSE_CONV = '1'; // our Conv2DBackpropFilter stays registered (wasm has none): its XNNPACK path
    process.env.TBKIT_NO_DENSE_CONV = '1';
    registerWasmTrainingKernels(tf, { replaceSlowKernels: false });
    return [await timeSteps(o.name, o.bn, 1, o.quick ? 2 : 5, { lr: o.lr, data: o.data })];
  }
  // 5 warm-up steps: the first model a process trains is still being JIT-compiled for ~3 steps.
  return [await timeSteps(o.name, o.bn, 5, o.quick ? 5 : 20, { lr: o.lr, data: o.data })];
}

/** The mean of the rounds of one row. */
function meanRow(rows: TrainingBenchRow[]): TrainingBenchRow | null {
  if (rows.length === 0) return null;
  const mean = (f: (r: TrainingBenchRow) => number | undefined): number | undefined => {
    const v = rows.map(f).filter((x): x is number => x !== undefined);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
  };
  const dy = mean((r) => r.dyNonzeroPct);
  return { ...rows[0], msPerStep: mean((r) => r.msPerStep)!, cpuMsPerStep: mean((r) => r.cpuMsPerStep), steps: rows.reduce((a, r) => a + r.steps, 0), ...(dy === undefined ? {} : { dyNonzeroPct: dy }) };
}

/** The configurations timed on both WASM and PyTorch: the experiment's two runs, and no BN learning. */
const PAIRS: Array<{ bn: boolean; lr: number; data: 'noise' | 'digits' }> = [
  { bn: false, lr: LR, data: 'noise' },
  { bn: true, lr: LR, data: 'noise' },
  { bn: false, lr: LIVE_LR, data: 'digits' },
];

/**
 * What the default experiment's parallel mode gets (src/experiments/bn/parallel.ts): one 1-thread
 * WASM process per run, both training at once — one without BN, one with BN — so each row is the
 * ms/step of that run while the other one runs too.
 */
async function concurrentRows(quick: boolean, log: (m: string) => void): Promise<TrainingBenchRow[]> {
  const name = 'wasm-1thread-beside-other-run';
  const one = (bn: boolean): Promise<TrainingBenchRow[] | null> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, childArgs({ quick, name, bn, lr: LR, data: 'noise' }), {
        env: { ...process.env, TBKIT_WASM_THREADS: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve(parseChildRows(name, code, out, err, log)));
    });
  const both = await Promise.all([one(false), one(true)]);
  return both.every((r) => r != null) ? (both as TrainingBenchRow[][]).flat() : [];
}

export async function benchTraining(
  opts: { quick: boolean; log?: (m: string) => void },
): Promise<TrainingBenchRow[]> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const rows: TrainingBenchRow[] = [];
  const bns = [false, true];

  const nodeErr = canLoadTfjsNode();
  if (nodeErr == null) {
    await selectBackend('tensorflow');
    for (const bn of bns) rows.push(await timeSteps('tensorflow', bn, 2, opts.quick ? 5 : 20));
  } else {
    log(`tensorflow: skipped: @tensorflow/tfjs-node does not load (${nodeErr})`);
  }

  let python: string | null = null;
  try {
    const peer = findPeerPython();
    const why = missingPeer(peer, 'torch');
    if (why) log(`pytorch: skipped: ${why}`);
    else if (typeof peer !== 'string') {
      python = peer.python;
      log(`pytorch: ${python} (torch ${peer.versions.torch})`);
    }
  } catch (e) {
    log(`pytorch: skipped: ${(e as Error).message}`);
  }
  const steps = opts.quick ? 5 : 20;
  const rounds = opts.quick ? 1 : 2;
  for (const threads of threadCounts()) {
    for (const p of PAIRS) {
      const wasm: TrainingBenchRow[] = [];
      const torch: TrainingBenchRow[] = [];
      for (let r = 0; r < rounds; r++) {
        for (const side of r % 2 === 0 ? ['wasm', 'torch'] : ['torch', 'wasm']) {
          if (side === 'wasm') {
            const row = wasmRow(threads, { quick: opts.quick, name: threadName('wasm', threads), ...p }, log);
            if (row) wasm.push(row);
          } else if (python) {
            // PyTorch's dense kernels take the same time on any data: its rows use the noise batch.
            const t = pytorchStep(python, { threads, bn: p.bn, lr: p.lr, steps, batch: BATCH });
            if (typeof t === 'string') log(`pytorch: ${t}`);
            else torch.push({ backend: threadName('pytorch', threads), bn: p.bn, steps, lr: p.lr, data: 'noise', ...t });
          }
        }
      }
      for (const row of [meanRow(wasm), meanRow(torch)]) if (row) rows.push(row);
    }
  }
  // The "before" rows, at one thread: the stock tfjs-wasm kernels; XNNPACK's dense conv gradients
  // for the sparse ones (no BN: with BN dy is dense anyway); XNNPACK for the dense conv loops.
  for (const bn of [false, true]) {
    const row = wasmRow(1, { quick: opts.quick, name: 'wasm-1thread-stock-kernels', bn, lr: LR, data: 'noise', stock: true }, log);
    if (row) rows.push(row);
  }
  for (const p of [PAIRS[0], PAIRS[2]]) {
    const row = wasmRow(1, { quick: opts.quick, name: 'wasm-1thread-dense-conv-grads', ...p }, log, { TBKIT_NO_SPARSE_CONV: '1' });
    if (row) rows.push(row);
  }
  for (const p of [PAIRS[1], PAIRS[2]]) {
    const row = wasmRow(1, { quick: opts.quick, name: 'wasm-1thread-xnnpack-convs', ...p }, log, { TBKIT_NO_DENSE_CONV: '1' });
    if (row) rows.push(row);
  }
  if (os.availableParallelism() > 1) rows.push(...(await concurrentRows(opts.quick, log)));

  if (!opts.quick) {
    await selectBackend('cpu');
    for (const bn of bns) rows.push(await timeSteps('cpu', bn, 1, 1));
  } else {
    log('cpu: skipped in --quick mode (~45 s/step)');
  }

  return rows;
}

if (require.main === module && process.argv.includes(CHILD_FLAG)) {
  const arg = (flag: string): string => process.argv[process.argv.indexOf(flag) + 1];
  childWasmRows({
    quick: process.argv.includes('--quick'),
    name: arg('--name'),
    bn: arg('--bn') === 'yes',
    lr: Number(arg('--lr')),
    data: arg('--data') === 'digits' ? 'digits' : 'noise',
    stock: process.argv.includes('--stock'),
  })
    .then((rows) => console.log(JSON.stringify(rows)))
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
} else if (require.main === module) {
  const quick = process.argv.includes('--quick');
  benchTraining({ quick })
    .then((rows) => {
      console.log(`\nBN-experiment CNN, batch ${BATCH}, Adam, ${os.availableParallelism()} cores (warm-up steps excluded)`);
      console.log(formatTable(rows));
      console.log('(last column: time for one 5-epoch run of that variant; the default experiment runs one with and one without BN.');
      console.log(` cpu ms/step counts all threads; wall > cpu on a 1-thread row means other processes took the CPU. load avg now: ${os.loadavg()[0].toFixed(1)})`);
      for (const line of formatRatios(rows)) console.log(line);
    })
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
