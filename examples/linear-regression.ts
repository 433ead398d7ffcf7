/**
 * Linear regression by plain gradient descent (no tfjs), driven by a MonitoredTrainingSession.
 *
 *   npx tsx examples/linear-regression.ts [--steps 500] [--logdir logs/examples/linear-regression] [--fresh]
 *   tensorboard --logdir logs/examples
 *
 * Fits y = 3x + 2 (+ noise) with mini-batches. Hooks: StopAtStepHook, NanTensorHook, ValidationHook
 * (held-out MSE every 50 steps, written as validation/cost) feeding EarlyStoppingHook, a progress
 * bar, and the session's defaults (summaries every 10 steps, global_step/sec, checkpoints every
 * 100 steps). Run it twice: the second run resumes from the checkpoint (model, global step, data
 * position, early-stopping patience). Ctrl-C stops cleanly after the current step (exit code 130).
 * Env: STEPS and TBKIT_LOGDIR override the defaults too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MonitoredTrainingSession } from '../src/session';
import type { Checkpointer } from '../src/hook-contract';
import { StopAtStepHook, NanTensorHook, ValidationHook, EarlyStoppingHook, ProgressBarHook } from '../src/hooks';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Deterministic PRNG (mulberry32), so runs are reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeData(n: number, seed: number): { x: number[]; y: number[] } {
  const r = rng(seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = r() * 4 - 2;
    x.push(xi);
    y.push(3 * xi + 2 + (r() - 0.5) * 0.5);
  }
  return { x, y };
}

function mse(model: { w: number; b: number }, x: number[], y: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (model.w * x[i] + model.b - y[i]) ** 2;
  return s / x.length;
}

async function main(): Promise<void> {
  const steps = Number(arg('steps') ?? process.env.STEPS ?? 500);
  const logdir = arg('logdir') ?? process.env.TBKIT_LOGDIR ?? 'logs/examples/linear-regression';
  if (process.argv.includes('--fresh')) fs.rmSync(logdir, { recursive: true, force: true });

  const train = makeData(512, 1);
  const valid = makeData(128, 2);
  const batchSize = 32;
  const lr = 0.05;
  const model = { w: 0, b: 0 };
  let dataPos = 0;

  // The checkpointer adapter: the model and the data position, as JSON.
  const checkpointer: Checkpointer = {
    async save(dir) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ ...model, dataPos }));
    },
    async restore(dir) {
      const s = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      model.w = s.w;
      model.b = s.b;
      dataPos = s.dataPos;
    },
  };

  const session = await MonitoredTrainingSession.create({
    summaryDir: logdir,
    saveSummariesSteps: 10,
    logStepCountSteps: 50,
    checkpointDir: path.join(logdir, 'ckpt'),
    saveCheckpointSteps: 100,
    checkpointer,
    hooks: [
      new StopAtStepHook({ lastStep: steps }),
      new NanTensorHook('cost'),
      new ValidationHook({ every: { steps: 50 }, fn: async () => ({ cost: mse(model, valid.x, valid.y) }) }),
      new EarlyStoppingHook({ tag: 'validation/cost', patience: 5, minDelta: 1e-5 }),
      new ProgressBarHook({ tags: ['cost', 'validation/cost'] }),
    ],
  });
  if (session.restoredStep !== undefined) session.log(`resumed from step ${session.restoredStep} (w=${model.w.toFixed(3)}, b=${model.b.toFixed(3)})`);
  session.writer?.text('config', `lr=${lr}, batch=${batchSize}, steps=${steps}`, session.globalStep);

  while (!session.shouldStop()) {
    await session.run(() => {
      // One mini-batch of gradient descent on the mean squared error.
      let gw = 0;
      let gb = 0;
      let loss = 0;
      for (let k = 0; k < batchSize; k++) {
        const i = (dataPos + k) % train.x.length;
        const err = model.w * train.x[i] + model.b - train.y[i];
        loss += err * err;
        gw += 2 * err * train.x[i];
        gb += 2 * err;
      }
      dataPos = (dataPos + batchSize) % train.x.length;
      model.w -= (lr * gw) / batchSize;
      model.b -= (lr * gb) / batchSize;
      // Values are only read on steps where a hook asked for them; `w`/`b` are thunks.
      return { cost: loss / batchSize, w: () => model.w, b: () => model.b };
    });
  }
  await session.close();
  session.log(`done at step ${session.globalStep}: w=${model.w.toFixed(3)} b=${model.b.toFixed(3)} (${session.endInfo?.reason})`);
  process.exitCode = session.exitCodeForSignal ?? 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
