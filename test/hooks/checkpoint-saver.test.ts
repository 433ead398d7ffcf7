import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MonitoredTrainingSession } from '../../src/session';
import { StopAtStepHook, CheckpointSaverHook } from '../../src/hooks';
import { fakeRegistry, tmpDir } from '../session/helpers';

test('CheckpointSaverHook: saves at start, every N steps after the last save, at end; listeners; stop via afterSave', async () => {
  const events: string[] = [];
  const hook = new CheckpointSaverHook({
    saveSteps: 3,
    listeners: [{
      begin: () => void events.push('begin'),
      beforeSave: (_s, step) => void events.push(`before ${step}`),
      afterSave: (_s, step) => (events.push(`after ${step}`), step === 6),
      end: (_s, step) => void events.push(`end ${step}`),
    }],
  });
  const s = await MonitoredTrainingSession.create({ handleSignals: false, checkpointDir: tmpDir(), hooks: [hook], writerRegistry: fakeRegistry().registry });
  while (!s.shouldStop()) await s.run(() => ({}));
  await s.close();
  assert.deepEqual(hook.savedSteps, [0, 3, 6]);
  assert.deepEqual(events, ['begin', 'before 0', 'after 0', 'before 3', 'after 3', 'before 6', 'after 6', 'end 6']);
  assert.equal(s.endInfo?.reason, 'stop_requested');
  assert.equal(s.endInfo?.stopRequests[0].source, 'CheckpointSaverHook');
});

test('CheckpointSaverHook runs after every other hook (priority 1000) and saves at end when the last step was not saved', async () => {
  const dir = tmpDir();
  const order: string[] = [];
  const hook = new CheckpointSaverHook({ saveSteps: 100, listeners: [{ beforeSave: (_s, step) => void order.push(`save ${step}`) }] });
  const s = await MonitoredTrainingSession.create({
    handleSignals: false, checkpointDir: dir, writerRegistry: fakeRegistry().registry,
    hooks: [hook, new StopAtStepHook({ lastStep: 2 }), { name: 'late', afterRun: (c) => void order.push(`late ${c.step}`), end: () => void order.push('late end') }],
  });
  assert.equal(s.hooks[s.hooks.length - 1], hook);
  while (!s.shouldStop()) await s.run(() => ({}));
  await s.close();
  assert.deepEqual(order, ['save 0', 'late 1', 'late 2', 'late end', 'save 2']);
  assert.equal(s.latestCheckpointStep(), 2);
});

test('CheckpointSaverHook requires a checkpointDir; the session default uses saveCheckpointSecs 600 (TF)', async () => {
  await assert.rejects(
    MonitoredTrainingSession.create({ handleSignals: false, hooks: [new CheckpointSaverHook({ saveSteps: 1 })] }),
    /no checkpointDir/,
  );
  const s = await MonitoredTrainingSession.create({ handleSignals: false, checkpointDir: tmpDir(), writerRegistry: fakeRegistry().registry });
  const hook = s.hooks.find((h) => h instanceof CheckpointSaverHook) as CheckpointSaverHook;
  assert.equal(hook.timer.everySecs, 600);
  await s.close();
  await assert.rejects(
    MonitoredTrainingSession.create({ handleSignals: false, checkpointDir: tmpDir(), saveCheckpointSteps: 1, saveCheckpointSecs: 1 }),
    /not both/,
  );
});
