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

export interface TrainingBenchRow {
  backend: string;
  bn: boolean;
  msPerStep: number;
  steps: number;
  /** Process CPU time per step (all threads): tells contention from slowness when the machine is shared. */
  cpuMsPerStep?: number;
}

const BATCH = 100;
const LR = 0.01;

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

async function timeSteps(backend: string, bn: boolean, warmup: number, steps: number): Promise<TrainingBenchRow> {
  const { xs, ys } = batch();
  const model = buildModel(tf, { useBn: bn, seed: 1 });
  const trainer = createTrainer(tf, model, { learningRate: LR });
  const step = async (): Promise<void> => {
    const c = trainer.trainStep(xs, ys);
    await c.data(); // forces the step to complete, as training's cost logging would
    c.dispose();
  };
  for (let i = 0; i < warmup; i++) await step();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const msPerStep = (performance.now() - t0) / steps;
  const cpu = process.cpuUsage(c0);
  const cpuMsPerStep = (cpu.user + cpu.system) / 1000 / steps;
  trainer.optimizer.dispose();
  model.dispose();
  tf.dispose([xs, ys]);
  return { backend, bn, msPerStep, steps, cpuMsPerStep };
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
  for bn in (False, True):
    m = net(bn); m.train(); opt = torch.optim.Adam(m.parameters(), lr=${LR})
    def step():
        opt.zero_grad()
        cost = -(t * torch.log(torch.clamp(m(x), 1e-10, 1))).sum(1).mean()
        cost.backward(); opt.step(); return cost.item()
    for _ in range(3): step()
    n = STEPS; t0 = time.perf_counter(); c0 = time.process_time()
    for _ in range(n): step()
    print("ROW", threads, int(bn), (time.perf_counter() - t0) / n * 1000, n, (time.process_time() - c0) / n * 1000)
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
        const [, threads, bn, ms, n, cpu] = l.split(/\s+/);
        return { backend: threadName('pytorch', Number(threads)), bn: bn === '1', msPerStep: Number(ms), steps: Number(n), cpuMsPerStep: Number(cpu) };
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
}

function childArgs(o: ChildOptions): string[] {
  return [
    ...process.execArgv, __filename, CHILD_FLAG, '--name', o.name,
    ...(o.quick ? ['--quick'] : []), ...(o.stock ? ['--stock'] : []), ...(o.bn === undefined ? [] : ['--bn', o.bn ? 'yes' : 'no']),
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
function wasmRows(threads: number, o: Omit<ChildOptions, 'name'>, log: (m: string) => void): TrainingBenchRow[] {
  const name = threadName('wasm', threads);
  const r = spawnSync(process.execPath, childArgs({ ...o, name }), {
    encoding: 'utf8',
    env: { ...process.env, TBKIT_WASM_THREADS: String(threads) },
  });
  return parseChildRows(name, r.status, r.stdout ?? '', r.stderr || String(r.error ?? ''), log) ?? [];
}

async function childWasmRows(o: ChildOptions): Promise<TrainingBenchRow[]> {
  await selectBackend('wasm');
  const rows: TrainingBenchRow[] = [];
  // 5 warm-up steps: the first model a process trains is still being JIT-compiled for ~3 steps.
  for (const bn of o.bn === undefined ? [false, true] : [o.bn]) rows.push(await timeSteps(o.name, bn, 5, o.quick ? 5 : 20));
  if (o.stock) {
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
  for (const threads of threadCounts()) rows.push(...wasmRows(threads, { quick: opts.quick, stock: threads === 1 }, log));
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
export function wasmVsPytorch(rows: TrainingBenchRow[]): Array<{ bn: boolean; threads: string; wasm: TrainingBenchRow; torch: TrainingBenchRow; ratio: number }> {
  const out = [];
  for (const torch of rows.filter((r) => r.backend.startsWith('pytorch-'))) {
    const threads = torch.backend.slice('pytorch-'.length);
    const wasm = rows.find((r) => r.bn === torch.bn && r.backend === `wasm-${threads}`);
    if (wasm) out.push({ bn: torch.bn, threads, wasm, torch, ratio: wasm.msPerStep / torch.msPerStep });
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
  const head = ['backend', 'bn', 'ms/step', 'cpu ms/step', 'steps', 'one run (5x540 steps)'];
  const body = rows.map((r) => [
    r.backend,
    r.bn ? 'yes' : 'no',
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
    (c) => `bn=${c.bn ? 'yes' : 'no '} ${c.threads}: ${c.wasm.backend} ${c.wasm.msPerStep.toFixed(1)} ms/step = ${c.ratio.toFixed(2)}x ${c.torch.backend} (${c.torch.msPerStep.toFixed(1)} ms/step)`,
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
      console.log(`\nBN-experiment CNN, batch ${BATCH}, Adam lr ${LR}, ${os.availableParallelism()} cores (warm-up steps excluded)`);
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
