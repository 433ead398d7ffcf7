import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MonitoredTrainingSession, CheckpointManager } from '../../src/session';
import { StopAtStepHook, EarlyStoppingHook } from '../../src/hooks';
import type { Checkpointer } from '../../src/hook-contract';
import { fakeRegistry, readScalars, steps, tmpDir } from './helpers';

/** A checkpointer for a plain JS model: { w, b }. */
function jsonCheckpointer(model: { w: number; b: number }, calls: string[] = []): Checkpointer {
  return {
    async save(dir) {
      calls.push(`save ${path.basename(path.dirname(dir)).replace(/^\.tmp-(ckpt-\d+).*$/, '$1')}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(model));
    },
    async restore(dir) {
      calls.push(`restore ${path.basename(path.dirname(dir))}`);
      Object.assign(model, JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')));
    },
  };
}

test('layout: ckpt-<step>/ + checkpoint.json index naming the latest; keep N newest', async () => {
  const dir = tmpDir();
  const model = { w: 0, b: 0 };
  const s = await MonitoredTrainingSession.create({
    handleSignals: false,
    checkpointDir: dir,
    saveCheckpointSteps: 2,
    keepCheckpoints: 2,
    checkpointer: jsonCheckpointer(model),
    hooks: [new StopAtStepHook({ lastStep: 7 })],
    writerRegistry: fakeRegistry().registry,
  });
  while (!s.shouldStop()) await s.run(() => void (model.w += 1));
  await s.close();
  const idx = JSON.parse(fs.readFileSync(path.join(dir, 'checkpoint.json'), 'utf8'));
  assert.equal(idx.latest, 'ckpt-7');
  assert.equal(idx.latestStep, 7);
  assert.deepEqual(idx.checkpoints.map((c: { step: number }) => c.step), [6, 7]);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['checkpoint.json', 'ckpt-6', 'ckpt-7'], 'older ones and temp dirs are gone');
  const st = JSON.parse(fs.readFileSync(path.join(dir, 'ckpt-7', 'session.json'), 'utf8'));
  assert.equal(st.globalStep, 7);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'ckpt-7', 'model', 'model.json'), 'utf8')), { w: 7, b: 0 });
});

test('resume: global step, model (checkpointer) and hook state restored; StopAtStep lastStep absolute, numSteps relative', async () => {
  const dir = tmpDir();
  const runDir = path.join(dir, 'run');
  const model = { w: 0, b: 0 };
  const calls: string[] = [];
  const es1 = new EarlyStoppingHook({ tag: 'val', patience: 100 });
  const s1 = await MonitoredTrainingSession.create({
    handleSignals: false, summaryDir: runDir, saveSummariesSteps: 1, logStepCountSteps: 0,
    checkpointDir: path.join(dir, 'ckpt'), saveCheckpointSteps: 5, checkpointer: jsonCheckpointer(model, calls),
    hooks: [new StopAtStepHook({ lastStep: 5 }), es1],
  });
  const vals = [5, 4, 6, 7, 8];
  while (!s1.shouldStop()) await s1.run(() => { model.w++; return { val: vals[s1.globalStep], cost: s1.globalStep }; });
  await s1.close();
  assert.deepEqual(es1.state(), { best: 4, bestStep: 2, wait: 3 });

  model.w = -1;
  const es2 = new EarlyStoppingHook({ tag: 'val', patience: 100 });
  const stop = new StopAtStepHook({ numSteps: 3 });
  const s2 = await MonitoredTrainingSession.create({
    handleSignals: false, summaryDir: runDir, saveSummariesSteps: 1, logStepCountSteps: 0,
    checkpointDir: path.join(dir, 'ckpt'), saveCheckpointSteps: 5, checkpointer: jsonCheckpointer(model, calls),
    hooks: [stop, es2],
  });
  assert.equal(s2.globalStep, 5);
  assert.equal(s2.restoredStep, 5);
  assert.equal(model.w, 5, 'model restored by the checkpointer');
  assert.deepEqual(es2.state(), { best: 4, bestStep: 2, wait: 3 }, 'hook state restored by name');
  assert.equal(stop.lastStep, 8);
  while (!s2.shouldStop()) await s2.run(() => ({ cost: s2.globalStep }));
  await s2.close();
  assert.equal(s2.globalStep, 8);
  assert.deepEqual(calls, ['save ckpt-0', 'save ckpt-5', 'restore ckpt-5', 'save ckpt-8']);
  const run = readScalars(runDir);
  assert.deepEqual(steps(run.scalars.get('cost')), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(run.duplicates, []);
});

test('StopAtStepHook: a run restored at or past lastStep stops before running any step', async () => {
  const dir = tmpDir();
  const mk = () => MonitoredTrainingSession.create({
    handleSignals: false, checkpointDir: dir, saveCheckpointSteps: 1, hooks: [new StopAtStepHook({ lastStep: 2 })], writerRegistry: fakeRegistry().registry,
  });
  const s1 = await mk();
  while (!s1.shouldStop()) await s1.run(() => ({}));
  await s1.close();
  const s2 = await mk();
  assert.equal(s2.shouldStop(), true);
  await s2.close();
  assert.equal(s2.endInfo?.reason, 'completed');
});

test('a crash during save leaves the previous checkpoint valid (index written last)', async () => {
  const dir = tmpDir();
  const mgr = new CheckpointManager(dir);
  await mgr.save(3, { globalStep: 3, time: 0, hooks: {} });
  const failing: Checkpointer = {
    async save(d) {
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, 'half'), 'x');
      throw new Error('disk full');
    },
    async restore() {},
  };
  await assert.rejects(mgr.save(4, { globalStep: 4, time: 0, hooks: {} }, failing), /disk full/);
  assert.equal(new CheckpointManager(dir).latestStep(), 3);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['checkpoint.json', 'ckpt-3']);
  const restored = await new CheckpointManager(dir).restoreLatest();
  assert.equal(restored?.state.globalStep, 3);
  // a corrupt index is an error, never a silent restart from step 0
  fs.writeFileSync(path.join(dir, 'checkpoint.json'), '{oops');
  assert.throws(() => new CheckpointManager(dir).readIndex(), /corrupt checkpoint index/);
});

test('checkpoint hooks: no save at end on error; saved at end on stop/completion', async () => {
  const dir = tmpDir();
  const s = await MonitoredTrainingSession.create({ handleSignals: false, checkpointDir: dir, saveCheckpointSteps: 10, writerRegistry: fakeRegistry().registry });
  await s.run(() => ({}));
  await assert.rejects(s.run(() => { throw new Error('x'); }), /x/);
  assert.equal(s.latestCheckpointStep(), 0);
  const s2 = await MonitoredTrainingSession.create({ handleSignals: false, checkpointDir: dir, saveCheckpointSteps: 10, writerRegistry: fakeRegistry().registry });
  assert.equal(s2.globalStep, 0);
  await s2.run(() => ({}));
  await s2.run(() => ({}));
  s2.requestStop('enough');
  await s2.close();
  assert.equal(s2.latestCheckpointStep(), 2);
});
