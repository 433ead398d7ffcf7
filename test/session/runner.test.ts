/** The runner (MonitoredSession) apart from the factory (MonitoredTrainingSession), and what hooks tell the session. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { MonitoredSession, MonitoredTrainingSession } from '../../src/session';
import { StopAtStepHook } from '../../src/hooks';
import type { Hook } from '../../src/hook-contract';
import { RecorderHook, fakeRegistry, tmpDir } from './helpers';

const base = { handleSignals: false } as const;

test('MonitoredSession runs only the hooks it is given; MonitoredTrainingSession adds the defaults after them', async () => {
  const dir = tmpDir();
  const opts = { ...base, summaryDir: dir, checkpointDir: path.join(dir, 'ckpt') };
  const runner = await MonitoredSession.create({ ...opts, writerRegistry: fakeRegistry().registry, hooks: [new RecorderHook('user', [])] });
  assert.deepEqual(runner.hooks.map((h) => runner.nameOf(h)), ['user']);
  await runner.run(() => ({ cost: 1 }));
  await runner.close();
  assert.equal(runner.latestCheckpointStep(), undefined, 'no CheckpointSaverHook, so no checkpoint');

  const { registry, writers } = fakeRegistry();
  const training = await MonitoredTrainingSession.create({ ...opts, checkpointDir: path.join(dir, 'ckpt2'), writerRegistry: registry, hooks: [new RecorderHook('user', [])] });
  assert.ok(training instanceof MonitoredSession);
  assert.deepEqual(training.hooks.map((h) => training.nameOf(h)), ['user', 'StepCounterHook', 'SummarySaverHook', 'CheckpointSaverHook']);
  await training.run(() => ({ cost: 2 }));
  await training.close();
  assert.deepEqual(writers[0].scalars('cost'), [[1, 2]]);
  assert.equal(training.latestCheckpointStep(), 1);
});

test('planLastStep: the session keeps the earliest step planned; undefined when none is', async () => {
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [new StopAtStepHook({ lastStep: 7 }), new StopAtStepHook({ numSteps: 5 })] });
  assert.equal(s.plannedLastStep, 5);
  await s.close();
  const none = await MonitoredSession.create({ ...base });
  assert.equal(none.plannedLastStep, undefined);
  await none.close();
});

test('registerLogSink: session.log goes to the first sink registered, and to the logger before any is', async () => {
  const logged: string[] = [];
  const first: string[] = [];
  const second: string[] = [];
  const sink = (lines: string[]): Hook => ({ begin: (session) => session.registerLogSink((l) => lines.push(l)) });
  const early: Hook = { name: 'early', begin: (session) => session.log('before any sink') };
  const s = await MonitoredSession.create({ ...base, logger: (l) => logged.push(l), hooks: [early, sink(first), sink(second)] });
  s.log('a line');
  await s.close();
  assert.deepEqual(logged, ['before any sink']);
  assert.deepEqual(first, ['a line']);
  assert.deepEqual(second, []);
});
