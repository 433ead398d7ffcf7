/**
 * ms per training step (forward + backward + Adam, batch 100) of the
 * BN-experiment CNN on every backend that loads here.
 *
 *   npx tsx bench/training.ts [--quick]
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildModel, createTrainer } from '../src/experiments/bn/model';
import { selectBackend } from '../src/tfjs/backend';
import { registerWasmTrainingKernels } from '../src/tfjs/kernels/register';
import { sparseConvStats } from '../src/tfjs/kernels/conv-grad-sparse';
import { syntheticDigits } from '../src/experiments/bn/data/synthetic';

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

const BATCH = 100;
const LR = 0.01;
/**
 * Without BN at lr 0.01 the network dies within a few steps (as the experiment's no-BN run does):
 * its dy is all zero. The rows at this rate on generated digits time a network that keeps learning.
 */
const LIVE_LR = 0.001;

function batch(): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => {
    // MNIST-like sparsity matters for the ReLU/pool kernels: mostly zeros.
    const dense = tf.randomUniform([BATCH, 28, 28, 1], 0, 255, 'float32', 1);
    const mask = tf.cast(tf.greater(tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 2), 0.8), 'float32');
    const xs = tf.mul(dense, mask) as tf.Tensor4D;
    const labels = tf.randomUniform([BATCH], 0, 10, 'int32', 3) as tf.Tensor1D;
    const ys = tf.cast(tf.oneHot(labels, 10), 'float32') as tf.Tensor2D;
    return { xs, ys };
  });
}

/** 10 batches of generated digit images (src/experiments/bn/data/synthetic.ts), cycled. */
function digitBatches(): Array<{ xs: tf.Tensor4D; ys: tf.Tensor2D }> {
  const d = syntheticDigits(10 * BATCH, 7);
  return Array.from({ length: 10 }, (_, b) => tf.tidy(() => {
    const px = d.images.subarray(b * BATCH * 784, (b + 1) * BATCH * 784);
    const xs = tf.tensor4d(Float32Array.from(px), [BATCH, 28, 28, 1]);
    const labels = tf.tensor1d(Int32Array.from(d.labels.subarray(b * BATCH, (b + 1) * BATCH)), 'int32');
    return { xs, ys: tf.cast(tf.oneHot(labels, 10), 'float32') as tf.Tensor2D };
  }));
}

interface StepOptions {
  lr?: number;
  data?: 'noise' | 'digits';
}

async function timeSteps(backend: string, bn: boolean, warmup: number, steps: number, o: StepOptions = {}): Promise<TrainingBenchRow> {
  const lr = o.lr ?? LR;
  const data = o.data ?? 'noise';
  const batches = data === 'digits' ? digitBatches() : [batch()];
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

const PY_BENCH = `
import time, torch, torch.nn as nn
torch.manual_seed(0)
def net(bn):
    L = [nn.Conv2d(1, 32, 3)] + ([nn.BatchNorm2d(32)] if bn else []) + [nn.ReLU(), nn.MaxPool2d(2, 2),
         nn.Conv2d(32, 64, 3)] + ([nn.BatchNorm2d(64)] if bn else []) + [nn.ReLU(), nn.MaxPool2d(2, 2),
         nn.Flatten(), nn.Linear(1600, 10), nn.Softmax(dim=1)]
    return nn.Sequential(*L)
# The same MNIST-like input as the tfjs rows: 0-255 pixels, ~80 % zeros.
x = torch.rand(${BATCH}, 1, 28, 28) * 255 * (torch.rand(${BATCH}, 1, 28, 28) > 0.8).float()
t = nn.functional.one_hot(torch.randint(0, 10, (${BATCH},)), 10).float()
for threads in THREADS:
  torch.set_num_threads(threads)
  for bn, lr in ((False, ${LR}), (True, ${LR}), (False, ${LIVE_LR})):
    m = net(bn); m.train(); opt = torch.optim.Adam(m.parameters(), lr=lr)
    def step():
        opt.zero_grad()
        cost = -(t * torch.log(torch.clamp(m(x), 1e-10, 1))).sum(1).mean()
        cost.backward(); opt.step(); return cost.item()
    for _ in range(3): step()
    n = STEPS; t0 = time.perf_counter(); c0 = time.process_time()
    for _ in range(n): step()
    print("ROW", threads, int(bn), (time.perf_counter() - t0) / n * 1000, n, (time.process_time() - c0) / n * 1000, lr)
`;

/** "wasm-1thread", "pytorch-2threads", …: rows compare like for like by this suffix. */
function threadName(prefix: string, threads: number): string {
  return `${prefix}-${threads}thread${threads === 1 ? '' : 's'}`;
}

/** Thread counts each threaded backend is timed at: one, and all cores. */
function threadCounts(): number[] {
  const cores = os.availableParallelism();
  return cores > 1 ? [1, cores] : [1];
}

/**
 * The first Python that can import torch: `python3` on PATH (a virtualenv or pyenv one), then the
 * system's /usr/bin/python3 (e.g. Debian's `apt-get install python3-torch`, which a pyenv python3
 * first on PATH does not see).
 */
export function findTorchPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' });
    if (!probe.error && probe.status === 0) return py;
  }
  return null;
}

function pytorchRows(steps: number, log: (m: string) => void): TrainingBenchRow[] {
  const python = findTorchPython();
  if (python == null) {
    log('pytorch: skipped: PyTorch not installed (neither python3 nor /usr/bin/python3 can "import torch")');
    return [];
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-bench-'));
  const file = path.join(dir, 'bench_torch.py');
  try {
    fs.writeFileSync(file, PY_BENCH.replace('STEPS', String(steps)).replace('THREADS', `(${threadCounts().join(', ')},)`));
    const r = spawnSync(python, [file], { encoding: 'utf8' });
    if (r.status !== 0) {
      log(`pytorch: failed: ${(r.stderr || '').trim().split('\n').pop()}`);
      return [];
    }
    return r.stdout
      .split('\n')
      .filter((l) => l.startsWith('ROW '))
      .map((l) => {
        const [, threads, bn, ms, n, cpu, lr] = l.split(/\s+/);
        // PyTorch's dense kernels take the same time on any data; its rows use the noise batch.
        return { backend: threadName('pytorch', Number(threads)), bn: bn === '1', msPerStep: Number(ms), steps: Number(n), cpuMsPerStep: Number(cpu), lr: Number(lr), data: 'noise' as const };
      });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const CHILD_FLAG = '--wasm-rows-json';

interface ChildOptions {
  quick: boolean;
  name: string;
  /** Time only this BN setting (default: both). */
  bn?: boolean;
  /** Also time the stock wasm kernels (only the missing one of ours registered): the "before" rows. */
  stock: boolean;
  /** Also time the no-BN network at LIVE_LR on digits (a network that keeps learning). */
  live?: boolean;
}

function childArgs(o: ChildOptions): string[] {
  return [
    ...process.execArgv, __filename, CHILD_FLAG, '--name', o.name,
    ...(o.quick ? ['--quick'] : []), ...(o.stock ? ['--stock'] : []), ...(o.live ? ['--live'] : []), ...(o.bn === undefined ? [] : ['--bn', o.bn ? 'yes' : 'no']),
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
 * WASM rows run in a child process each: the thread count is fixed per process once wasm
 * initialises, and earlier benches in this process may have initialised it already.
 */
function wasmRows(threads: number, o: Omit<ChildOptions, 'name'>, log: (m: string) => void, denseConv = false): TrainingBenchRow[] {
  const name = threadName('wasm', threads) + (denseConv ? '-dense-conv-grads' : '');
  const r = spawnSync(process.execPath, childArgs({ ...o, name }), {
    encoding: 'utf8',
    env: { ...process.env, TBKIT_WASM_THREADS: String(threads), ...(denseConv ? { TBKIT_NO_SPARSE_CONV: '1' } : {}) },
  });
  return parseChildRows(name, r.status, r.stdout ?? '', r.stderr || String(r.error ?? ''), log) ?? [];
}

async function childWasmRows(o: ChildOptions): Promise<TrainingBenchRow[]> {
  await selectBackend('wasm');
  const rows: TrainingBenchRow[] = [];
  // 5 warm-up steps: the first model a process trains is still being JIT-compiled for ~3 steps.
  for (const bn of o.bn === undefined ? [false, true] : [o.bn]) rows.push(await timeSteps(o.name, bn, 5, o.quick ? 5 : 20));
  if (o.live) rows.push(await timeSteps(o.name, false, 5, o.quick ? 5 : 20, { lr: LIVE_LR, data: 'digits' }));
  if (o.stock) {
    process.env.TBKIT_NO_SPARSE_CONV = '1'; // our Conv2DBackpropFilter stays registered (wasm has none): its dense path
    registerWasmTrainingKernels(tf, { replaceSlowKernels: false });
    for (const bn of [false, true]) rows.push(await timeSteps(`${o.name}-stock-kernels`, bn, 1, o.quick ? 2 : 5));
    registerWasmTrainingKernels(tf);
  }
  return rows;
}

/**
 * What the default experiment's parallel mode gets (src/experiments/bn/parallel.ts): one 1-thread
 * WASM process per run, both training at once — one without BN, one with BN — so each row is the
 * ms/step of that run while the other one runs too.
 */
async function concurrentRows(quick: boolean, log: (m: string) => void): Promise<TrainingBenchRow[]> {
  const name = 'wasm-1thread-beside-other-run';
  const one = (bn: boolean): Promise<TrainingBenchRow[] | null> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, childArgs({ quick, name, stock: false, bn }), {
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

  // Ours at one thread and at all cores; the stock-kernel "before" rows at one thread.
  for (const threads of threadCounts()) rows.push(...wasmRows(threads, { quick: opts.quick, stock: threads === 1, live: true }, log));
  // The "before" of the sparse conv gradients: XNNPACK's dense ones, no BN (with BN dy is dense anyway).
  rows.push(...wasmRows(1, { quick: opts.quick, stock: false, live: true, bn: false }, log, true));
  if (os.availableParallelism() > 1) rows.push(...(await concurrentRows(opts.quick, log)));

  if (!opts.quick) {
    await selectBackend('cpu');
    for (const bn of bns) rows.push(await timeSteps('cpu', bn, 1, 1));
  } else {
    log('cpu: skipped in --quick mode (~45 s/step)');
  }

  rows.push(...pytorchRows(opts.quick ? 5 : 20, log));
  return rows;
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

if (require.main === module && process.argv.includes(CHILD_FLAG)) {
  const nameAt = process.argv.indexOf('--name');
  const bnAt = process.argv.indexOf('--bn');
  childWasmRows({
    quick: process.argv.includes('--quick'),
    name: process.argv[nameAt + 1],
    stock: process.argv.includes('--stock'),
    live: process.argv.includes('--live'),
    bn: bnAt > 0 ? process.argv[bnAt + 1] === 'yes' : undefined,
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
