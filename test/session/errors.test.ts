import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MonitoredTrainingSession } from '../../src/session';
import { NanLossError, type Hook, type StepContext } from '../../src/hook-contract';
import { NanTensorHook } from '../../src/hooks';
import { RecorderHook, readScalars, steps, tmpDir } from './helpers';

const base = { handleSignals: false, logStepCountSteps: 0, saveSummariesSteps: 1 } as const;

async function failingRun(where: 'step' | 'beforeRun' | 'afterRun'): Promise<void> {
  const dir = tmpDir();
  const log: string[] = [];
  const boom = new Error(`boom in ${where}`);
  const bad: Hook = {
    name: 'bad',
    beforeRun: (ctx: StepContext) => {
      if (where === 'beforeRun' && ctx.globalStep === 3) throw boom;
    },
    afterRun: (ctx: StepContext) => {
      if (where === 'afterRun' && ctx.step === 4) throw boom;
    },
  };
  const a = new RecorderHook('A', log);
  const z = new RecorderHook('Z', log);
  const s = await MonitoredTrainingSession.create({ ...base, summaryDir: dir, hooks: [a, bad, z] });
  let caught: unknown;
  try {
    while (!s.shouldStop()) {
      await s.run(() => {
        if (where === 'step' && s.globalStep === 3) throw boom;
        s.writer!.scalar('direct', s.globalStep, s.globalStep + 1);
        return { cost: s.globalStep + 0.5 };
      });
    }
  } catch (e) {
    caught = e;
  }
  assert.equal(caught, boom, 'the ORIGINAL error propagates');
  for (const h of [a, z]) {
    assert.equal(h.ends.length, 1);
    assert.equal(h.ends[0].reason, 'error');
    assert.equal(h.ends[0].error, boom);
  }
  if (where !== 'afterRun') assert.ok(!log.includes('Z.afterRun@4'), 'afterRun is not called for a step that threw');
  assert.equal(s.shouldStop(), true);
  await assert.rejects(s.run(() => ({})), /closed/);
  await s.close(); // no-op after an error close
  // Everything written before the error is on disk (the writer was flushed and closed).
  const run = readScalars(dir);
  // SummarySaverHook (priority 100) runs after 'bad', so the step that threw in afterRun has no 'cost'.
  assert.deepEqual(steps(run.scalars.get('cost')), [1, 2, 3]);
  assert.deepEqual(steps(run.scalars.get('direct')), where === 'afterRun' ? [1, 2, 3, 4] : [1, 2, 3]);
}

test('a step function that throws: every end runs with reason error, events flushed, original error rethrown', () => failingRun('step'));
test('a beforeRun hook that throws: same', () => failingRun('beforeRun'));
test('an afterRun hook that throws: same', () => failingRun('afterRun'));

test('errors thrown by end hooks are reported and do not mask the original error', async () => {
  const reported: string[] = [];
  const original = new Error('original');
  const s = await MonitoredTrainingSession.create({
    handleSignals: false,
    hooks: [{ name: 'e1', end: () => { throw new Error('end failed'); } }, new RecorderHook('after', [])],
    onHookError: (e, hook, phase) => reported.push(`${hook}.${phase}: ${(e as Error).message}`),
  });
  await assert.rejects(s.run(() => { throw original; }), (e) => e === original);
  assert.deepEqual(reported, ['e1.end: end failed']);
  assert.equal((s.hooks[1] as RecorderHook).ends.length, 1, 'later hooks still end');
});

test('without a training error, close() rejects with the end hook error after every end ran', async () => {
  const after = new RecorderHook('after', []);
  const s = await MonitoredTrainingSession.create({
    handleSignals: false,
    hooks: [{ name: 'e1', end: () => { throw new Error('end failed'); } }, after],
    onHookError: () => undefined,
  });
  await assert.rejects(s.close(), /end failed/);
  assert.equal(after.ends.length, 1);
});

test('close({ error }) from the caller ends with reason error', async () => {
  const h = new RecorderHook('h', []);
  const s = await MonitoredTrainingSession.create({ handleSignals: false, hooks: [h] });
  const err = new Error('data loader died');
  await s.close({ error: err });
  assert.equal(h.ends[0].reason, 'error');
  assert.equal(h.ends[0].error, err);
});

test('an error in begin/afterCreateSession: create() rejects with it and begun hooks end with reason error', async () => {
  const h = new RecorderHook('h', []);
  const err = new Error('bad setup');
  await assert.rejects(
    MonitoredTrainingSession.create({ handleSignals: false, hooks: [h, { name: 'x', afterCreateSession: () => { throw err; } }] }),
    (e) => e === err,
  );
  assert.equal(h.ends[0].reason, 'error');
});

for (const value of [NaN, Infinity, -Infinity]) {
  test(`NanTensorHook failOnNan (default) on ${value}: throws NanLossError, end reason nan, no checkpoint at the NaN step`, async () => {
    const dir = tmpDir();
    const h = new RecorderHook('h', []);
    const s = await MonitoredTrainingSession.create({
      ...base,
      summaryDir: dir,
      checkpointDir: path.join(dir, 'ckpt'),
      saveCheckpointSteps: 2,
      hooks: [new NanTensorHook('cost'), h],
    });
    let caught: unknown;
    try {
      while (!s.shouldStop()) await s.run(() => ({ cost: s.globalStep === 2 ? value : 1 }));
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof NanLossError);
    assert.equal((caught as NanLossError).step, 3);
    assert.equal(h.ends[0].reason, 'nan');
    assert.equal(s.latestCheckpointStep(), 2, 'end did not save the diverged step 3');
    assert.deepEqual(steps(readScalars(dir).scalars.get('cost')), [1, 2]);
  });
}

test('NanTensorHook failOnNan false: stop requested with kind nan, other afterRun hooks run, no checkpoint at end', async () => {
  const dir = tmpDir();
  const log: string[] = [];
  const h = new RecorderHook('h', log);
  const s = await MonitoredTrainingSession.create({
    ...base,
    summaryDir: dir,
    checkpointDir: path.join(dir, 'ckpt'),
    saveCheckpointSteps: 100,
    hooks: [new NanTensorHook('cost', { failOnNan: false }), h],
  });
  let n = 0;
  while (!s.shouldStop()) {
    n++;
    await s.run(() => ({ cost: n === 3 ? NaN : 1 }));
  }
  assert.equal(s.globalStep, 3);
  assert.ok(log.includes('h.afterRun@3'));
  await s.close();
  assert.equal(h.ends[0].reason, 'nan');
  assert.equal(h.ends[0].stopRequests[0].source, 'NanTensorHook(cost)');
  assert.equal(s.latestCheckpointStep(), 0, 'only the initial checkpoint; the NaN weights are not saved');
  assert.ok(fs.existsSync(path.join(dir, 'ckpt', 'ckpt-0')));
});
