/**
 * The experiment's runs side by side: each run in its own child process (parallel-child.ts) with
 * its own WASM backend. This file is the scheduler (the parent's side) and the protocol both sides
 * speak; it loads neither tfjs nor the training code.
 *
 * Why processes: XNNPACK splits each op across its threads and waits for the slowest, and much of
 * a training step (small ops, JS kernels, the optimizer) runs on one thread anyway, so extra threads
 * speed one run up far less than they add cores. Independent runs with one thread each keep every
 * core busy; when one run ends and none is left to start, the runs still training get its cores
 * (XNNPACK's pool grows between two ops: see `shareCores`), so runs of unequal cost (the no-BN
 * run's dead network has cheaper steps than the BN run) do not leave a core idle.
 * A process per run (not a worker thread) because tfjs's engine, its backends and the session's
 * signal handling are per process, and a run that crashes takes only itself down.
 *
 * Protocol: the parent forks parallel-child.ts, sends a StartMessage over IPC (and later, once no
 * run is left to start, a GrowMessage when a finished run's cores are free); the child loads the
 * data, trains through the same code as a sequential run and sends back a ChildMessage. Everything
 * the child prints is relayed line by line, prefixed with the run name.
 * Children run in their own process group, so a terminal's Ctrl-C reaches only the parent, which
 * forwards SIGINT/SIGTERM to every child (a second signal is forwarded too: the children abort).
 * A child whose parent vanishes (IPC disconnect) stops itself as if it had received SIGTERM.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExperimentConfig, RunSpec } from './config';
import type { ExperimentIO, RunResult } from './run-types';
import { tfjsNodeInstalled } from '../../tfjs/tf-types';

/** The child's entry file, beside this one (.ts under tsx, .js when compiled). */
const CHILD_ENTRY = path.join(__dirname, `parallel-child${path.extname(__filename)}`);

/** Set in a child's environment: parallel-child.ts runs only when forked by the scheduler. */
export const PARALLEL_CHILD_ENV = 'TBKIT_PARALLEL_CHILD';

export interface ParallelPlan {
  /** Runs trained at the same time (1: one after another, in this process). */
  concurrency: number;
  /** WASM threads per child. */
  threadsPerRun: number;
  /**
   * Cores to share out: once no run is left to start, the runs still training get the finished
   * runs' cores (each child may grow its pool to this many threads).
   */
  cores?: number;
  /** Why not parallel, when concurrency is 1 (for --parallel's message). */
  why?: string;
}

/**
 * Parallel pays for one extra process start per run (node, tfjs, WASM and the data) and only wins
 * once the runs are long enough; below this many training steps per run `auto` keeps them in one
 * process. (`--parallel` forces it.)
 */
export const MIN_STEPS_PER_RUN_FOR_AUTO = 500;

/**
 * `requested`: true (--parallel), false (--no-parallel) or undefined (auto: on with ≥ 2 runs, ≥ 2
 * cores, WASM, and runs of at least MIN_STEPS_PER_RUN_FOR_AUTO steps). Native TensorFlow
 * (tfjs-node) already uses every core for one run: never parallel there.
 */
export function planParallel(
  config: ExperimentConfig,
  specs: RunSpec[],
  stepsPerRun: number,
  requested: boolean | undefined,
  cores: number = Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length),
): ParallelPlan {
  const sequential = (why: string): ParallelPlan => ({ concurrency: 1, threadsPerRun: 0, why });
  if (requested === false) return sequential('--no-parallel');
  if (specs.length < 2) return sequential('only one run');
  if (config.backend === 'tensorflow' || config.backend === 'cpu') return sequential(`backend ${config.backend}`);
  if (config.backend === 'auto' && tfjsNodeInstalled()) return sequential('tfjs-node is installed (native TensorFlow uses every core)');
  if (requested === undefined) {
    if (cores < 2) return sequential('one core');
    if (stepsPerRun < MIN_STEPS_PER_RUN_FOR_AUTO) return sequential(`runs shorter than ${MIN_STEPS_PER_RUN_FOR_AUTO} steps`);
  }
  const concurrency = Math.max(1, Math.min(specs.length, cores));
  return { concurrency, threadsPerRun: Math.max(1, Math.floor(cores / concurrency)), cores };
}

/** Parent → child, once: the run to train. */
export interface StartMessage {
  config: ExperimentConfig;
  spec: RunSpec;
  threads: number;
  /** The most threads a later GrowMessage may ask for. */
  maxThreads: number;
}

/** Parent → child while training: use this many WASM threads from the next op on. */
interface GrowMessage {
  threads: number;
}

/** The threads each of `running` children gets when no run is waiting to start. */
export function sharedThreads(plan: ParallelPlan, running: number): number {
  if (running < 1) return plan.threadsPerRun;
  return Math.max(plan.threadsPerRun, Math.floor((plan.cores ?? plan.threadsPerRun) / running));
}

/** Child → parent, once, at the end. */
export type ChildMessage = { result: RunResult } | { error: { name: string; message: string; stack?: string } };

/** Relays a child's output stream line by line through `out`, each line prefixed. */
function relay(stream: NodeJS.ReadableStream | null, prefix: string, out: (l: string) => void): Promise<void> {
  return new Promise((resolve) => {
    if (!stream) return resolve();
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        if (line.trim() !== '') out(prefix + line);
      }
    });
    stream.on('end', () => {
      if (buf.trim() !== '') out(prefix + buf);
      resolve();
    });
    stream.on('error', () => resolve());
  });
}

/** Runs `specs` in child processes, at most `plan.concurrency` at a time; results in `specs` order. */
export async function runInParallel(
  config: ExperimentConfig,
  specs: RunSpec[],
  plan: ParallelPlan,
  io: ExperimentIO,
): Promise<RunResult[]> {
  const width = Math.max(...specs.map((s) => s.name.length));
  const live = new Set<ChildProcess>();
  /** Threads each live child was told to use. */
  const threadsOf = new Map<ChildProcess, number>();
  let next = 0;
  // A run finished and none is waiting: the ones still training share its cores (XNNPACK's pool
  // grows between two ops). Two runs of unequal cost (a dead no-BN network's steps are cheaper
  // than the BN run's) otherwise leave a core idle for the rest of the longer run.
  const shareCores = (): void => {
    if (next < specs.length || signalled !== undefined) return;
    const each = sharedThreads(plan, live.size);
    for (const c of live) {
      if ((threadsOf.get(c) ?? 0) >= each || !c.connected) continue;
      threadsOf.set(c, each);
      const grow: GrowMessage = { threads: each };
      c.send(grow, () => undefined); // a child that is just exiting cannot take it: fine
    }
  };
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    signalled ??= sig;
    for (const c of live) c.kill(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const runChild = (spec: RunSpec): Promise<RunResult> =>
    new Promise<RunResult>((resolve, reject) => {
      const prefix = `[${spec.name.padEnd(width)}] `;
      const child = fork(CHILD_ENTRY, [], {
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        detached: true,
        serialization: 'advanced',
        env: { ...process.env, [PARALLEL_CHILD_ENV]: '1' },
      });
      live.add(child);
      let message: ChildMessage | undefined;
      child.on('message', (m: ChildMessage) => (message = m));
      const streams = Promise.all([relay(child.stdout, prefix, io.log), relay(child.stderr, prefix, io.warn)]);
      child.on('error', (e) => {
        live.delete(child);
        reject(e);
      });
      child.on('exit', (code, signal) => {
        live.delete(child);
        threadsOf.delete(child);
        shareCores();
        void streams.then(() => {
          if (message && 'result' in message) return resolve(message.result);
          if (message && 'error' in message) {
            const e = new Error(message.error.message);
            e.name = message.error.name;
            if (message.error.stack) e.stack = message.error.stack;
            return reject(e);
          }
          reject(new Error(`run ${spec.name}: its process ended without a result (${signal ? `signal ${signal}` : `exit code ${code}`})`));
        });
      });
      // 'auto' already resolved to WASM here (planParallel): spare each child the tfjs-node probe.
      const maxThreads = config.backend === 'cpu' || config.backend === 'tensorflow' ? plan.threadsPerRun : Math.max(plan.threadsPerRun, plan.cores ?? 1);
      const start: StartMessage = { config: { ...config, backend: config.backend === 'auto' ? 'wasm' : config.backend }, spec, threads: plan.threadsPerRun, maxThreads };
      threadsOf.set(child, plan.threadsPerRun);
      child.send(start);
    });

  const results: Array<RunResult | undefined> = new Array(specs.length);
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < specs.length && signalled === undefined && errors.length === 0) {
      const i = next++;
      try {
        results[i] = await runChild(specs[i]);
      } catch (e) {
        // A child killed by the forwarded signal before its session could catch it (still
        // loading): interrupted, not failed.
        if (signalled === undefined) errors.push(e);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(plan.concurrency, specs.length) }, worker));
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  if (errors.length > 0) throw errors[0];
  const done = results.filter((r): r is RunResult => r !== undefined);
  const stopped = done.filter((r) => r.signalExitCode !== undefined);
  if (signalled !== undefined && stopped.length === 0) process.exitCode = signalled === 'SIGINT' ? 130 : 143;
  if (stopped.length > 0) {
    io.warn(`interrupted: stopped ${stopped.map((r) => `run ${r.name} (step ${r.steps})`).join(', ')}; continue with --resume`);
  }
  return done;
}

/**
 * The child's side of the core hand-over: `onMessage` takes the parent's GrowMessages (handled
 * between two training steps: the loop awaits each step's cost, so between two ops), `onBackend`
 * is called once the backend is up: a message that came while it was still loading applies then.
 */
export function threadGrower(
  setThreads: (n: number) => number,
  maxThreads: number,
  log: (m: string) => void,
): { onMessage: (m: unknown) => void; onBackend: () => void } {
  let wanted = 0;
  const apply = (): void => {
    if (wanted <= 1) return;
    const now = setThreads(Math.min(wanted, maxThreads));
    if (now <= 1) return; // not up yet (or no threaded build: then nothing ever changes)
    wanted = 0;
    log(`threads: ${now} (a run finished: its cores are free)`);
  };
  const onMessage = (m: unknown): void => {
    const threads = (m as Partial<GrowMessage> | undefined)?.threads;
    if (typeof threads !== 'number' || threads <= 1) return;
    wanted = threads;
    apply();
  };
  return { onMessage, onBackend: apply };
}
