/**
 * Logging overhead on training: the BN experiment's training step (real model, WASM backend,
 * batch of random 0–255 inputs) run through a MonitoredTrainingSession with the experiment's
 * logging hooks, against the same step in a plain loop — in the same process, on the same model,
 * in alternating blocks (ABBA order, one step per block by default) so that drift (thermal, other
 * processes) hits both sides. The overhead is the median over PAIRS of adjacent steps (the k-th
 * plain step and the k-th session step, measured back to back) of their relative difference: a
 * paired estimate cancels load changes slower than a step, which on a shared machine are most.
 *
 * Both sides download the cost every step (`await cost.data()`): the plain loop as any loop that
 * prints or checks its loss does, the session because NanTensorHook asks for it. What differs is
 * exactly the session: hooks' beforeRun/afterRun, value resolution, summaries and their writes.
 *
 * Because a 2 % difference is at the noise floor of a shared 2-core machine, the pure cost of the
 * session machinery is also measured directly with a trivial step (no model) over many steps, and
 * expressed as a fraction of the measured plain training step.
 *
 *   npx tsx bench/overhead.ts [--quick]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildModel, createTrainer } from '../src/experiments/bn/model';
import { selectBackend } from '../src/tfjs/backend';
import { MonitoredTrainingSession } from '../src/session';
import { StopAtStepHook, NanTensorHook, SummarySaverHook } from '../src/hooks';
import { readRun } from '../src/events';
import { mean, median, nowMs, quantile, ratio, rng, tempDir } from './util';

export type OverheadVariantName = 'defaults' | 'every-step';

export interface OverheadVariant {
  name: OverheadVariantName;
  description: string;
  /** Per-step ms, in the order measured. */
  plainMs: number[];
  sessionMs: number[];
  plainMsPerStep: number;
  sessionMsPerStep: number;
  plainMeanMs: number;
  sessionMeanMs: number;
  /** Median over adjacent (plain, session) step pairs of (session / plain − 1), in %. */
  overheadPct: number;
  /** (median session / median plain − 1), in % (unpaired). */
  medianRatioPct: number;
  /** (mean session / mean plain − 1), in % (unpaired). */
  overheadMeanPct: number;
  /** Per-step CPU time of this process (user + system, all its threads), ms: less sensitive to other processes than wall time. */
  plainCpuMs: number[];
  sessionCpuMs: number[];
  /** Median over pairs of (session CPU / plain CPU − 1), in %, and its 95 % bootstrap interval. */
  cpuOverheadPct: number;
  cpuOverheadCi95Pct: [number, number];
  /** Interquartile range of the plain steps / their median, in %: the noise floor of this run. */
  plainIqrPct: number;
  /** 95 % bootstrap interval of `overheadPct` (resampling the pairs). */
  overheadCi95Pct: [number, number];
  /** Scalars the session wrote during the timed steps (summaries, step counter), read back from its files. */
  summariesWritten: number;
}

export interface MachineryResult {
  steps: number;
  /** µs per `session.run` of a trivial step (a scalar tensor, downloaded) minus the same without the session. */
  usPerStep: Record<OverheadVariantName, number>;
  plainUsPerStep: number;
}

export interface OverheadResult {
  backend: string;
  bn: boolean;
  batch: number;
  stepsPerSide: number;
  blocks: number;
  blockSize: number;
  warmupSteps: number;
  variants: OverheadVariant[];
  machinery: MachineryResult;
  /** machinery µs/step / plain training ms/step, in % (per variant): the overhead without the noise. */
  machineryPctOfStep: Record<OverheadVariantName, number>;
}

export interface OverheadOptions {
  /** Timed steps per side, per variant (default 30). */
  steps?: number;
  /** Steps per block (default 1: plain, session, session, plain, plain, …). */
  blockSize?: number;
  /** Untimed steps per side before the blocks (default 3). */
  warmup?: number;
  /** BN variant of the model (default true: the heavier one, as in the experiment's first run). */
  bn?: boolean;
  batch?: number;
  variants?: readonly OverheadVariantName[];
  /** Steps per side of the trivial-step machinery measurement (default 4000). */
  machinerySteps?: number;
  log?: (m: string) => void;
}

const DESCRIPTIONS: Record<OverheadVariantName, string> = {
  defaults:
    "the BN experiment's hooks at their defaults: StopAtStepHook, NanTensorHook('cost'), SummarySaverHook(cost, every 100 steps), StepCounterHook (every 100 steps)",
  'every-step': 'the same hooks, but SummarySaverHook and StepCounterHook write every step (stress case)',
};

async function createSession(variant: OverheadVariantName, summaryDir: string): Promise<MonitoredTrainingSession> {
  const every = variant === 'defaults' ? 100 : 1;
  return MonitoredTrainingSession.create({
    summaryDir,
    saveSummariesSteps: 0, // the experiment passes its own SummarySaverHook (tags: ['cost'])
    logStepCountSteps: every,
    handleSignals: false,
    logger: () => undefined,
    hooks: [
      new StopAtStepHook({ lastStep: 1_000_000_000 }),
      new NanTensorHook('cost', { failOnNan: false }),
      new SummarySaverHook({ saveSteps: every, tags: ['cost'] }),
    ],
  });
}

/** Scalar points in the run directory's event files with a step in [from, to] (read back after close). */
function scalarsWritten(dir: string, from: number, to: number): number {
  const files = fs.readdirSync(dir).filter((f) => f.includes('tfevents')).map((f) => path.join(dir, f));
  if (files.length === 0) return 0;
  let n = 0;
  for (const pts of readRun(files).scalars.values()) for (const p of pts) if (p.step >= from && p.step <= to) n++;
  return n;
}

/** (b[i] / a[i] − 1) · 100 for each pair. */
export function pairedPct(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length || a.length === 0) throw new RangeError('pairedPct needs two non-empty lists of equal length');
  return a.map((x, i) => (ratio(b[i], x) - 1) * 100);
}

/** 95 % percentile-bootstrap interval of the median of `xs` (seeded: reproducible). */
export function bootstrapCi(xs: readonly number[], rounds = 2000): [number, number] {
  const r = rng(12345);
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) out.push(median(xs.map(() => xs[Math.floor(r() * xs.length)])));
  return [quantile(out, 0.025), quantile(out, 0.975)];
}

/**
 * Measures the trivial step with and without a session: `tf.scalar(x)` → `await data()` → dispose,
 * `n` times each, alternating halves. Returns µs per step.
 */
async function machinery(variants: readonly OverheadVariantName[], n: number): Promise<MachineryResult> {
  const plainStep = async (i: number): Promise<void> => {
    const c = tf.scalar(i * 1e-3);
    await c.data();
    c.dispose();
  };
  const usPerStep = {} as Record<OverheadVariantName, number>;
  const plainRuns: number[] = [];
  for (const v of variants) {
    const { dir, cleanup } = tempDir('machinery');
    const session = await createSession(v, dir);
    try {
      const sessRuns: number[] = [];
      const CHUNKS = 8;
      const half = Math.max(1, Math.floor(n / CHUNKS));
      // warm-up both paths
      for (let i = 0; i < Math.min(200, half); i++) {
        await plainStep(i);
        await session.run(() => ({ cost: tf.scalar(i * 1e-3) }));
      }
      for (let rep = 0; rep < CHUNKS; rep++) {
        const order = rep % 2 === 0 ? ['plain', 'session'] : ['session', 'plain'];
        for (const side of order) {
          const t0 = nowMs();
          if (side === 'plain') for (let i = 0; i < half; i++) await plainStep(i);
          else for (let i = 0; i < half; i++) await session.run(() => ({ cost: tf.scalar(i * 1e-3) }));
          const us = ((nowMs() - t0) * 1000) / half;
          (side === 'plain' ? plainRuns : sessRuns).push(us);
        }
      }
      usPerStep[v] = median(sessRuns) - median(plainRuns.slice(-CHUNKS));
    } finally {
      await session.close();
      cleanup();
    }
  }
  return { steps: n, usPerStep, plainUsPerStep: median(plainRuns) };
}

export async function benchOverhead(opts: OverheadOptions = {}): Promise<OverheadResult> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const steps = opts.steps ?? 30;
  const blockSize = Math.max(1, Math.floor(opts.blockSize ?? 1));
  const blocks = Math.ceil(steps / blockSize);
  const warmup = opts.warmup ?? 3;
  const bn = opts.bn ?? true;
  const batch = opts.batch ?? 100;
  const variantNames = opts.variants ?? ['defaults', 'every-step'];
  const blockSizes = Array.from({ length: blocks }, (_, b) => Math.min(blockSize, steps - b * blockSize));

  const backend = await selectBackend('wasm', { log });
  const { xs, ys } = tf.tidy(() => {
    const x = tf.randomUniform([batch, 28, 28, 1], 0, 255, 'float32', 11) as tf.Tensor4D;
    const labels = tf.randomUniform([batch], 0, 10, 'int32', 12) as tf.Tensor1D;
    return { xs: x, ys: tf.cast(tf.oneHot(labels, 10), 'float32') as tf.Tensor2D };
  });
  const model = buildModel(tf, { useBn: bn, seed: 1 });
  const trainer = createTrainer(tf, model, { learningRate: 0.01 });

  const plainStep = async (): Promise<void> => {
    const c = trainer.trainStep(xs, ys);
    await c.data();
    c.dispose();
  };

  const variants: OverheadVariant[] = [];
  try {
    for (const name of variantNames) {
      const { dir, cleanup } = tempDir('overhead');
      const session = await createSession(name, dir);
      const sessionStep = async (): Promise<void> => {
        await session.run(() => ({ cost: trainer.trainStep(xs, ys) }));
      };
      try {
        for (let i = 0; i < warmup; i++) {
          await plainStep();
          await sessionStep();
        }
        const firstTimedStep = session.globalStep + 1;
        const plainMs: number[] = [];
        const sessionMs: number[] = [];
        const plainCpuMs: number[] = [];
        const sessionCpuMs: number[] = [];
        for (let b = 0; b < blocks; b++) {
          // ABBA: plain first in even blocks, session first in odd ones.
          const order: Array<'plain' | 'session'> = b % 2 === 0 ? ['plain', 'session'] : ['session', 'plain'];
          for (const side of order) {
            for (let i = 0; i < blockSizes[b]; i++) {
              const c0 = process.cpuUsage();
              const t0 = nowMs();
              if (side === 'plain') await plainStep();
              else await sessionStep();
              const wall = nowMs() - t0;
              const c = process.cpuUsage(c0);
              (side === 'plain' ? plainMs : sessionMs).push(wall);
              (side === 'plain' ? plainCpuMs : sessionCpuMs).push((c.user + c.system) / 1000);
            }
          }
        }
        const lastTimedStep = session.globalStep;
        await session.close();
        const pairs = pairedPct(plainMs, sessionMs);
        const cpuPairs = pairedPct(plainCpuMs, sessionCpuMs);
        const pm = median(plainMs);
        const sm = median(sessionMs);
        variants.push({
          name,
          description: DESCRIPTIONS[name],
          plainMs,
          sessionMs,
          plainMsPerStep: pm,
          sessionMsPerStep: sm,
          plainMeanMs: mean(plainMs),
          sessionMeanMs: mean(sessionMs),
          overheadPct: median(pairs),
          medianRatioPct: (ratio(sm, pm) - 1) * 100,
          overheadMeanPct: (ratio(mean(sessionMs), mean(plainMs)) - 1) * 100,
          plainIqrPct: (ratio(quantile(plainMs, 0.75) - quantile(plainMs, 0.25), pm)) * 100,
          overheadCi95Pct: bootstrapCi(pairs),
          plainCpuMs,
          sessionCpuMs,
          cpuOverheadPct: median(cpuPairs),
          cpuOverheadCi95Pct: bootstrapCi(cpuPairs),
          summariesWritten: scalarsWritten(dir, firstTimedStep, lastTimedStep),
        });
      } finally {
        await session.close();
        cleanup();
      }
    }
  } finally {
    trainer.optimizer.dispose();
    model.dispose();
    tf.dispose([xs, ys]);
  }

  const mach = await machinery(variantNames, opts.machinerySteps ?? 4000);
  const machineryPctOfStep = {} as Record<OverheadVariantName, number>;
  const plainRef = median(variants.map((v) => v.plainMsPerStep));
  for (const v of variantNames) machineryPctOfStep[v] = ratio(mach.usPerStep[v] / 1000, plainRef) * 100;

  return { backend: backend.name, bn, batch, stepsPerSide: steps, blocks, blockSize, warmupSteps: warmup, variants, machinery: mach, machineryPctOfStep };
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  benchOverhead({ steps: quick ? 10 : 30 })
    .then((r) => console.log(JSON.stringify(r, (k, v) => (k.endsWith('Ms') && Array.isArray(v) ? (v as number[]).map((x) => +x.toFixed(2)) : v), 1)))
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
