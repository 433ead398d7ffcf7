/**
 * sessionCallback(session) in a real model.fit on the CPU backend: a MonitoredTrainingSession's
 * hooks drive fit (StopAtStep → stopTraining, NaN → NanLossError, checkpoints and resume with the
 * right initialEpoch, ValidationHook and EarlyStoppingHook once per epoch with fit's val_* values).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { sessionCallback, TfjsCheckpointer } from '../../src/tfjs';
import { MonitoredTrainingSession } from '../../src/session';
import { EarlyStoppingHook, NanTensorHook, StopAtStepHook, ValidationHook } from '../../src/hooks';
import { NanLossError, type Hook, type RunValues, type StepContext } from '../../src/hook-contract';
import { listRuns, readRun } from '../../src/events';
import { cpuBackend, tinyProblem, tmp } from './fit-helpers';

/** Records the step values every hook of a step sees ('*': all of them). */
class Recorder implements Hook {
  readonly name = 'Recorder';
  readonly seen: Array<{ step: number; endOfEpoch: boolean; values: RunValues }> = [];
  beforeRun(): string {
    return '*';
  }
  afterRun(ctx: StepContext, values: RunValues): void {
    this.seen.push({ step: ctx.step, endOfEpoch: ctx.endOfEpoch, values: { ...values } });
  }
}

/** Counts the batches fit really trains. */
function batchCounter(): { cb: tf.CustomCallback; epochs: number[]; batches: () => number } {
  let n = 0;
  const epochs: number[] = [];
  const cb = new tf.CustomCallback({ onBatchEnd: async () => void n++, onEpochBegin: async (e) => void epochs.push(e) });
  return { cb, epochs, batches: () => n };
}

async function weights(model: tf.LayersModel): Promise<number[][]> {
  return Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
}

test('StopAtStep, validation per epoch, checkpoints; then a resume at the right initialEpoch', async () => {
  await cpuBackend();
  const dir = tmp();
  const summaryDir = path.join(dir, 'run');
  const checkpointDir = path.join(dir, 'run', 'ckpt');
  const first = tinyProblem(1);
  const validations: number[] = [];
  const recorder = new Recorder();
  const session = await MonitoredTrainingSession.create({
    summaryDir, checkpointDir, checkpointer: new TfjsCheckpointer(first.model), saveCheckpointSteps: 4,
    saveSummariesSteps: 1, logStepCountSteps: 0, handleSignals: false,
    hooks: [
      new StopAtStepHook({ lastStep: 8 }),
      new NanTensorHook('loss'),
      new ValidationHook({ every: 'epoch', fn: async (step) => (validations.push(step), { marker: step / 4 }) }),
      recorder,
    ],
  });
  const cb = sessionCallback(session);
  assert.equal(cb.initialEpoch, 0);
  const count = batchCounter();
  const history = await first.model.fit(first.xs, first.ys, {
    epochs: 5, batchSize: 10, validationData: [first.vx, first.vy], callbacks: [count.cb, cb], verbose: 0,
  });
  assert.equal(count.batches(), 8, 'fit stopped right after the last step');
  assert.deepEqual(count.epochs, [0, 1]);
  assert.equal(session.globalStep, 8);
  assert.equal(session.endInfo?.reason, 'completed', 'closed when fit ended');
  assert.deepEqual(validations, [4, 8]);
  assert.deepEqual(recorder.seen.map((s) => s.step), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(recorder.seen.filter((s) => s.endOfEpoch).map((s) => s.step), [4, 8]);
  // The epoch's last step carries fit's validation logs, the others only the batch's.
  const atEpochEnd = recorder.seen.filter((s) => s.endOfEpoch).map((s) => s.values.val_loss);
  assert.deepEqual(atEpochEnd.map(Math.fround), (history.history.val_loss as number[]).map(Math.fround));
  assert.ok(recorder.seen.filter((s) => !s.endOfEpoch).every((s) => !('val_loss' in s.values) && Number.isFinite(s.values.loss)));
  assert.equal(recorder.seen[3].values['validation/marker'], 1);
  // The session's events: every step's loss, the validation metric per epoch.
  const run = readRun(listRuns(dir).find((r) => r.name === 'run')!.files);
  assert.deepEqual(run.scalars.get('loss')!.map((p) => p.step), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(run.scalars.get('validation/marker')!.map((p) => [p.step, p.value]), [[4, 1], [8, 2]]);
  const trained = await weights(first.model);

  // Resume: a new model with other initial weights, restored from the checkpoint at step 8.
  const second = tinyProblem(7);
  const resumed = await MonitoredTrainingSession.create({
    summaryDir, checkpointDir, checkpointer: new TfjsCheckpointer(second.model), saveCheckpointSteps: 4,
    logStepCountSteps: 0, handleSignals: false, hooks: [new StopAtStepHook({ lastStep: 12 })],
  });
  assert.equal(resumed.restoredStep, 8);
  assert.deepEqual(await weights(second.model), trained);
  assert.throws(() => sessionCallback(resumed).initialEpoch, /pass \{ stepsPerEpoch \}/);
  const cb2 = sessionCallback(resumed, { stepsPerEpoch: 4 });
  assert.equal(cb2.initialEpoch, 2);
  const count2 = batchCounter();
  await second.model.fit(second.xs, second.ys, { epochs: 5, batchSize: 10, initialEpoch: cb2.initialEpoch, callbacks: [count2.cb, cb2], verbose: 0 });
  assert.deepEqual(count2.epochs, [2]);
  assert.equal(count2.batches(), 4);
  assert.equal(resumed.globalStep, 12);
  assert.ok(fs.readdirSync(checkpointDir).some((f) => f.includes('12')), fs.readdirSync(checkpointDir).join(', '));
});

test('NanTensorHook on the loss: NanLossError out of fit, the session ended with reason nan', async () => {
  await cpuBackend();
  const { model } = tinyProblem(4);
  const xs = tf.fill([20, 4], NaN);
  const ys = tf.oneHot(tf.zeros([20], 'int32'), 2);
  const session = await MonitoredTrainingSession.create({ hooks: [new NanTensorHook('loss')], handleSignals: false, logStepCountSteps: 0 });
  const count = batchCounter();
  await assert.rejects(model.fit(xs, ys, { epochs: 3, batchSize: 10, callbacks: [count.cb, sessionCallback(session)], verbose: 0 }), (e) => e instanceof NanLossError);
  assert.equal(count.batches(), 1);
  assert.equal(session.endInfo?.reason, 'nan');
});

test("EarlyStoppingHook on fit's val_loss stops at an epoch end", async () => {
  await cpuBackend();
  const { model, xs, ys, vx, vy } = tinyProblem(5);
  // No val_loss is below the baseline: the first validated epoch uses up the patience.
  const session = await MonitoredTrainingSession.create({
    hooks: [new EarlyStoppingHook({ tag: 'val_loss', patience: 1, baseline: -1 })], handleSignals: false, logStepCountSteps: 0,
  });
  const count = batchCounter();
  await model.fit(xs, ys, { epochs: 4, batchSize: 10, validationData: [vx, vy], callbacks: [count.cb, sessionCallback(session)], verbose: 0 });
  assert.deepEqual([count.batches(), session.globalStep], [4, 4]);
  assert.equal(session.endInfo?.reason, 'stop_requested');
});
