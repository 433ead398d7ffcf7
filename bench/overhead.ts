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
import { readRun } from '../src/events';
import { machinery, type MachineryResult } from './overhead-machinery';
import { createSession, type OverheadVariantName } from './overhead-session';
import { bootstrapCi, pairedPct } from './paired-stats';
import { mean, median, nowMs, quantile, ratio, tempDir } from './util';

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


export type { OverheadVariantName };

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


/** Scalar points in the run directory's event files with a step in [from, to] (read back after close). */
function scalarsWritten(dir: string, from: number, to: number): number {
  const files = fs.readdirSync(dir).filter((f) => f.includes('tfevents')).map((f) => path.join(dir, f));
  if (files.length === 0) return 0;
  let n = 0;
  for (const pts of readRun(files).scalars.values()) for (const p of pts) if (p.step >= from && p.step <= to) n++;
  return n;
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
