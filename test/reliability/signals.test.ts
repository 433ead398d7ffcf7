/**
 * Signal handling at the session level that test/session/signals.test.ts does not cover: a training
 * loop whose steps never yield to the event loop (synchronous model, or tfjs data() resolving through
 * microtasks) must still stop right after the step during which SIGINT arrived. (The CLI-level
 * SIGINT → 130 / SIGTERM → 143 with checkpoint and resume is in resume.test.ts.)
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MonitoredTrainingSession } from '../../src/session';
import { StopAtStepHook } from '../../src/hooks';
import { fakeRegistry, tmpDir } from '../session/helpers';

test('SIGINT during a microtask-only step: the session stops right after that step, reason interrupted, exit code 130, checkpoint at that step', async () => {
  const dir = tmpDir('tbkit-rel-sig-');
  const { registry, writers } = fakeRegistry();
  const s = await MonitoredTrainingSession.create({
    summaryDir: dir, checkpointDir: dir, saveCheckpointSteps: 1000, writerRegistry: registry,
    saveSummariesSteps: 1, logStepCountSteps: 0, logger: () => {}, onAbort: () => {},
    hooks: [new StopAtStepHook({ lastStep: 200 })],
  });
  let ran = 0;
  while (!s.shouldStop()) {
    await s.run(async (ctx) => {
      ran++;
      if (ctx.step === 3) process.kill(process.pid, 'SIGINT');
      for (let i = 0; i < 20_000; i++) Math.sqrt(i); // synchronous work; only microtasks below
      await Promise.resolve();
      return { loss: 1 / ctx.step };
    });
  }
  await s.close();
  assert.equal(ran, 3, 'no step after the one that received the signal');
  assert.equal(s.globalStep, 3);
  assert.equal(s.endInfo?.reason, 'interrupted');
  assert.equal(s.endInfo?.signal, 'SIGINT');
  assert.equal(s.exitCodeForSignal, 130);
  assert.equal(s.latestCheckpointStep(), 3, 'CheckpointSaverHook saved the stop step in end');
  assert.deepEqual(writers[0].scalars('loss').map(([step]) => step), [1, 2, 3], 'every step written');
  assert.ok(writers[0].closed, 'writer closed');
  assert.equal(process.listenerCount('SIGINT'), 0, 'signal handlers removed after close');
});
