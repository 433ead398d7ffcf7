import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { MonitoredTrainingSession } from '../../src/session';
import { StopAtStepHook, EarlyStoppingHook, ValidationHook } from '../../src/hooks';
import { readScalars, steps, tmpDir } from '../session/helpers';

test('EarlyStoppingHook: min mode, patience, minDelta', async () => {
  const es = new EarlyStoppingHook({ tag: 'cost', patience: 2, minDelta: 0.1 });
  const costs = [5, 4, 3.95, 3.5, 3.45, 3.44, 1];
  const s = await MonitoredTrainingSession.create({ handleSignals: false, hooks: [es] });
  while (!s.shouldStop()) await s.run(() => ({ cost: costs[s.globalStep] }));
  await s.close();
  // 5 best, 4 best, 3.95 (<0.1 better: wait 1), 3.5 best, 3.45 wait 1, 3.44 wait 2 → stop at step 6
  assert.equal(s.globalStep, 6);
  assert.equal(es.best, 3.5);
  assert.equal(es.bestStep, 4);
  assert.equal(es.stoppedStep, 6);
  assert.equal(s.endInfo?.reason, 'stop_requested');
  assert.match(s.endInfo!.stopRequests[0].reason, /no improvement of 'cost'/);
});

test('EarlyStoppingHook: max mode with a baseline; NaN is never an improvement; state round-trips through JSON', async () => {
  const es = new EarlyStoppingHook({ tag: 'acc', mode: 'max', patience: 1, baseline: 0.5 });
  const accs = [0.4, 0.6, NaN];
  const s = await MonitoredTrainingSession.create({ handleSignals: false, hooks: [es] });
  while (!s.shouldStop()) await s.run(() => ({ acc: accs[s.globalStep] }));
  await s.close();
  assert.equal(s.globalStep, 1, 'below the baseline counts as no improvement');
  const fresh = new EarlyStoppingHook({ tag: 'acc', mode: 'max', patience: 1 });
  fresh.loadState(JSON.parse(JSON.stringify(new EarlyStoppingHook({ tag: 'x' }).state())));
  assert.equal(fresh.best, undefined, 'an infinite/unset best survives JSON as null');
  assert.throws(() => new EarlyStoppingHook({ tag: 'x', mode: 'up' as 'min' }), /mode/);
});

test('ValidationHook every N steps: writes prefixed metrics and EarlyStopping sees them in the same step, whatever the registration order', async () => {
  const dir = tmpDir();
  const vals = [3, 2, 2.5, 2.4, 2.6];
  const calls: number[] = [];
  const es = new EarlyStoppingHook({ tag: 'validation/cost', patience: 2 });
  const v = new ValidationHook({ every: { steps: 2 }, fn: async (step) => (calls.push(step), { cost: vals[calls.length - 1] }) });
  const s = await MonitoredTrainingSession.create({
    handleSignals: false, summaryDir: dir, saveSummariesSteps: 1, logStepCountSteps: 0,
    hooks: [es, v, new StopAtStepHook({ lastStep: 100 })],
  });
  assert.ok(s.hooks.indexOf(v) < s.hooks.indexOf(es));
  while (!s.shouldStop()) await s.run(() => ({ cost: 1 }));
  await s.close();
  // 3 (best) at 2, 2 (best) at 4, 2.5 at 6 (wait 1), 2.4 at 8 (wait 2 = patience → stop)
  assert.deepEqual(calls, [2, 4, 6, 8]);
  assert.equal(s.globalStep, 8, 'stopped after two validations without improvement');
  assert.deepEqual(v.lastMetrics, { 'validation/cost': 2.4 });
  const run = readScalars(dir);
  assert.deepEqual(steps(run.scalars.get('validation/cost')), [2, 4, 6, 8]);
  assert.deepEqual(steps(run.scalars.get('cost')), [1, 2, 3, 4, 5, 6, 7, 8], "SummarySaverHook '*' does not re-write validation metrics");
});

test("ValidationHook every 'epoch': stepsPerEpoch or run(fn, { endOfEpoch: true }); into another run directory", async () => {
  const dir = tmpDir();
  const a: number[] = [];
  const b: number[] = [];
  const byCount = new ValidationHook({ every: 'epoch', stepsPerEpoch: 3, fn: (step) => (a.push(step), { acc: step }) });
  const byFlag = new ValidationHook({ every: 'epoch', prefix: 'val/', outputDir: path.join(dir, 'eval'), fn: (step) => (b.push(step), { acc: step }) });
  const s = await MonitoredTrainingSession.create({ handleSignals: false, summaryDir: path.join(dir, 'train'), logStepCountSteps: 0, hooks: [byCount, byFlag, new StopAtStepHook({ lastStep: 7 })] });
  while (!s.shouldStop()) await s.run(() => ({}), { endOfEpoch: (s.globalStep + 1) % 5 === 0 });
  await s.close();
  assert.deepEqual(a, [3, 6]);
  assert.deepEqual(b, [5]);
  assert.deepEqual(steps(readScalars(path.join(dir, 'eval')).scalars.get('val/acc')), [5]);
  assert.throws(() => new ValidationHook({ every: 'weekly' as 'epoch', fn: () => ({}) }) && new ValidationHook({ every: 5 as unknown as 'epoch', fn: () => ({}) }), /every must be/);
});
