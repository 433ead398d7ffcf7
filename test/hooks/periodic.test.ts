import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MonitoredTrainingSession } from '../../src/session';
import { StopAtStepHook, SummarySaverHook, StepCounterHook, LoggingTensorHook } from '../../src/hooks';
import type { Hook } from '../../src/hook-contract';
import { FakeTensor, FakeWriter, fakeRegistry, tmpDir } from '../session/helpers';

const base = { handleSignals: false } as const;

async function train(s: MonitoredTrainingSession, values: (step: number) => Record<string, unknown>): Promise<void> {
  while (!s.shouldStop()) await s.run(() => values(s.globalStep + 1) as Record<string, number>);
  await s.close();
}

test('StopAtStepHook: exactly one of numSteps/lastStep; stops after lastStep with reason completed', async () => {
  assert.throws(() => new StopAtStepHook({}), /exactly one/);
  assert.throws(() => new StopAtStepHook({ numSteps: 1, lastStep: 2 }), /exactly one/);
  assert.throws(() => new StopAtStepHook({ lastStep: -1 }), /non-negative/);
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [new StopAtStepHook({ lastStep: 4 })] });
  await train(s, () => ({}));
  assert.equal(s.globalStep, 4);
  assert.equal(s.endInfo?.reason, 'completed');
});

test('SummarySaverHook: TF1 timing (1, 1+N, …), values downloaded only on save steps, SessionLog START at start', async () => {
  const { registry, writers } = fakeRegistry();
  const tensors: FakeTensor[] = [];
  const s = await MonitoredTrainingSession.create({
    ...base, summaryDir: tmpDir(), writerRegistry: registry, logStepCountSteps: 0, saveSummariesSteps: 3,
    hooks: [new StopAtStepHook({ lastStep: 8 })],
  });
  await train(s, (step) => {
    const t = new FakeTensor(step * 10);
    tensors.push(t);
    return { cost: t, other: step };
  });
  const w = writers[0];
  assert.deepEqual(w.scalars('cost'), [[1, 10], [4, 40], [7, 70]]);
  assert.deepEqual(w.scalars('other'), [[1, 1], [4, 4], [7, 7]]);
  assert.deepEqual(tensors.map((t) => t.dataCalls), [1, 0, 0, 1, 0, 0, 1, 0]);
  assert.equal(w.calls[0].method, 'addSessionStart');
});

test("SummarySaverHook mode 'modulo': the first step, then multiples of N, also after a resume", async () => {
  const w = new FakeWriter(tmpDir());
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [new SummarySaverHook({ saveSteps: 4, mode: 'modulo', writer: w }), new StopAtStepHook({ lastStep: 9 })] });
  await train(s, (step) => ({ cost: step }));
  // A run shorter than N steps still gets a point: step 1 (TF1's saver writes the first step).
  assert.deepEqual(w.scalars('cost'), [[1, 1], [4, 4], [8, 8]]);
  // Resumed at step 1050 (the hook driven by hand): the first step it sees, then 1100, 1200.
  const resumed = new FakeWriter(tmpDir());
  const hook = new SummarySaverHook({ saveSteps: 100, mode: 'modulo', writer: resumed });
  hook.afterCreateSession({ globalStep: 1050, writerFor: () => resumed, markSessionStart: () => undefined } as never);
  for (let step = 1051; step <= 1200; step++) {
    const ctx = { step, stepValueNames: new Set(['cost']) } as never;
    if (hook.beforeRun(ctx)) hook.afterRun(ctx, { cost: step } as never);
  }
  assert.deepEqual(resumed.scalars('cost').map((p) => p[0]), [1051, 1100, 1200]);
});

test('SummarySaverHook: explicit tags, saveSecs with a fake clock, rejects steps+secs', async () => {
  assert.throws(() => new SummarySaverHook({ saveSteps: 1, saveSecs: 1 }), /not both/);
  let now = 0;
  const w = new FakeWriter(tmpDir());
  const hook = new SummarySaverHook({ saveSecs: 10, tags: ['a'], writer: w, now: () => now });
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [hook, new StopAtStepHook({ lastStep: 6 })] });
  await train(s, (step) => ((now = step * 4000), { a: step, b: step }));
  // The clock moves inside each step (step k runs from (k-1)*4 s to k*4 s). The trigger is checked in
  // beforeRun and recorded in afterRun: first step (written at 4 s), then the first step whose start
  // is ≥ 14 s: step 5 (16 s); step 6 starts at 20 s < 20+10.
  assert.deepEqual(w.scalars('a'), [[1, 1], [5, 5]]);
  assert.deepEqual(w.scalars('b'), []);
});

test('StepCounterHook writes global_step/sec from the injected clock', async () => {
  let now = 0;
  const w = new FakeWriter(tmpDir());
  const lines: string[] = [];
  const hook = new StepCounterHook({ everyNSteps: 2, writer: w, now: () => now, logger: (l) => lines.push(l) });
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [hook, new StopAtStepHook({ lastStep: 5 })] });
  await train(s, (step) => ((now = step * 250), {}));
  // triggers at 1 (starts the clock), 3 (2 steps / 0.5 s), 5
  assert.deepEqual(w.scalars('global_step/sec'), [[3, 4], [5, 4]]);
  assert.equal(lines.length, 2);
  assert.equal(hook.lastRate, 4);
});

test('LoggingTensorHook: every N local iterations, formatter, atEnd, default logger = session.log', async () => {
  const lines: string[] = [];
  const tensors: FakeTensor[] = [];
  const h = new LoggingTensorHook({ tags: ['cost'], everyNIter: 2, logger: (l) => lines.push(l) });
  const fmt = new LoggingTensorHook({ tags: ['cost'], atEnd: true, formatter: (v, step) => `END ${step} ${v.cost}`, logger: (l) => lines.push(l) });
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [h, fmt, new StopAtStepHook({ lastStep: 4 })] });
  await train(s, (step) => {
    const t = new FakeTensor(step);
    tensors.push(t);
    return { cost: t };
  });
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^step 1: cost = 1$/);
  assert.match(lines[1], /^step 3: cost = 3 \(\d+\.\d{3} sec\)$/);
  assert.equal(lines[2], 'END 4 4');
  assert.throws(() => new LoggingTensorHook({ tags: ['x'] }), /everyNIter or everyNSecs, or atEnd/);

  const out: string[] = [];
  const s2 = await MonitoredTrainingSession.create({ ...base, logger: (l) => out.push(l), hooks: [new LoggingTensorHook({ tags: ['x'], everyNIter: 1 }), new StopAtStepHook({ lastStep: 1 })] });
  await train(s2, () => ({ x: 5 }));
  assert.deepEqual(out, ['step 1: x = 5']);
});

test('a hook asking for a value the step did not return is fine; unknown hook return types are rejected', async () => {
  const h: Hook = { name: 'bad', beforeRun: () => 42 as unknown as string[] };
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [h] });
  await assert.rejects(s.run(() => ({})), /must return value names/);
});
