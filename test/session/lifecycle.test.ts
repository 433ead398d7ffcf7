import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MonitoredTrainingSession } from '../../src/session';
import { SessionStateError, type Hook, type StepContext } from '../../src/hook-contract';
import { FakeTensor, FakeWriter, RecorderHook, fakeRegistry, tmpDir } from './helpers';

const base = { handleSignals: false } as const;

test('call order: begin → afterCreateSession → beforeRun/afterRun per step in hook order → end', async () => {
  const log: string[] = [];
  const a = new RecorderHook('A', log);
  const b = new RecorderHook('B', log);
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [a, b] });
  await s.run(() => {
    log.push('step');
    return { cost: 1 };
  });
  await s.run(() => {
    log.push('step');
  });
  await s.close();
  assert.deepEqual(log, [
    'A.begin', 'B.begin', 'A.afterCreateSession@0', 'B.afterCreateSession@0',
    'A.beforeRun@0', 'B.beforeRun@0', 'step', 'A.afterRun@1', 'B.afterRun@1',
    'A.beforeRun@1', 'B.beforeRun@1', 'step', 'A.afterRun@2', 'B.afterRun@2',
    'A.end:completed', 'B.end:completed',
  ]);
  assert.equal(s.globalStep, 2);
  assert.equal(s.endInfo?.reason, 'completed');
});

test('hook order: stable priority (producers, user, logging, checkpoint last), end in the same order', async () => {
  const log: string[] = [];
  const ckpt = new RecorderHook('ckpt', log, { priority: 1000 });
  const logger = new RecorderHook('logger', log, { priority: 100 });
  const u1 = new RecorderHook('u1', log);
  const producer = new RecorderHook('producer', log, { priority: -100 });
  const u2 = new RecorderHook('u2', log);
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [ckpt, logger, u1, producer], chiefOnlyHooks: [u2] });
  assert.deepEqual(s.hooks.map((h) => h.name), ['producer', 'u1', 'u2', 'logger', 'ckpt']);
  await s.close();
  assert.deepEqual(log.filter((l) => l.includes('.end')), ['producer.end:completed', 'u1.end:completed', 'u2.end:completed', 'logger.end:completed', 'ckpt.end:completed']);
});

test('two hooks request a stop in one step: every afterRun runs, both reasons recorded, one end', async () => {
  const log: string[] = [];
  const a = new RecorderHook('A', log, { afterRun: (ctx: StepContext) => ctx.requestStop('A is done') });
  const b = new RecorderHook('B', log, { afterRun: (ctx: StepContext) => ctx.requestStop({ reason: 'B too', kind: 'completed' }) });
  const c = new RecorderHook('C', log);
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [a, b, c] });
  assert.equal(s.shouldStop(), false);
  await s.run(() => ({}));
  assert.ok(log.includes('C.afterRun@1'), 'afterRun of a later hook still ran');
  assert.equal(s.shouldStop(), true);
  await assert.rejects(s.run(() => ({})), SessionStateError);
  await s.close();
  await s.close(); // idempotent
  for (const h of [a, b, c]) assert.equal(h.ends.length, 1);
  const info = c.ends[0];
  assert.equal(info.reason, 'stop_requested');
  assert.deepEqual(info.stopRequests.map((r) => [r.source, r.reason, r.kind]), [
    ['A', 'A is done', 'stop_requested'],
    ['B', 'B too', 'completed'],
  ]);
});

test('run() after close and concurrent run() are errors', async () => {
  const s = await MonitoredTrainingSession.create({ ...base });
  let release!: () => void;
  const p = s.run(() => new Promise<undefined>((r) => (release = () => r(undefined))));
  await assert.rejects(s.run(() => ({})), /in progress/);
  release();
  await p;
  await s.close();
  await assert.rejects(s.run(() => ({})), /closed/);
});

test('lazy values: a value not requested is never downloaded; returned tensors are disposed', async () => {
  const requester: Hook = { name: 'req', beforeRun: (ctx) => (ctx.localStep % 2 === 0 ? ['cost'] : undefined) };
  const seen: Array<Record<string, number>> = [];
  const watcher: Hook = { name: 'watch', afterRun: (_c, v) => void seen.push({ ...v }) };
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [requester, watcher] });
  const tensors: FakeTensor[] = [];
  const extras: FakeTensor[] = [];
  let thunkCalls = 0;
  for (let i = 0; i < 4; i++) {
    const t = new FakeTensor(i + 0.5);
    const e = new FakeTensor(7);
    tensors.push(t);
    extras.push(e);
    await s.run(() => ({ cost: t, extra: e, lazy: () => (thunkCalls++, 3) }));
  }
  await s.close();
  assert.deepEqual(tensors.map((t) => t.dataCalls), [0, 1, 0, 1]);
  assert.deepEqual(extras.map((t) => t.dataCalls), [0, 0, 0, 0], 'never requested → never downloaded');
  assert.equal(thunkCalls, 0, 'an unrequested thunk is never called');
  assert.deepEqual([...tensors, ...extras].map((t) => t.disposed), Array(8).fill(1));
  assert.deepEqual(seen, [{}, { cost: 1.5 }, {}, { cost: 3.5 }]);
});

test("run(fn, { fetch }) returns the fetched values; '*' resolves everything; ctx.requested is visible to the step", async () => {
  const all: Hook = { name: 'all', beforeRun: (ctx) => (ctx.localStep === 2 ? '*' : undefined) };
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [all] });
  const r1 = await s.run((ctx) => ({ a: 1, b: Promise.resolve(2n), c: ctx.requested.has('a') ? 1 : 0 }), { fetch: ['a', 'c'] });
  assert.deepEqual(r1, { a: 1, c: 1 });
  const r2 = await s.run(() => ({ a: 1, b: Promise.resolve(2n), t: new FakeTensor(4) }));
  assert.deepEqual(r2, { a: 1, b: 2, t: 4 });
  await s.close();
});

test('isChief false: no writer, chief-only and default hooks dropped, no checkpoint saved', async () => {
  const dir = tmpDir();
  const { registry, writers } = fakeRegistry();
  const log: string[] = [];
  const s = await MonitoredTrainingSession.create({
    ...base,
    isChief: false,
    summaryDir: dir,
    checkpointDir: dir + '/ckpt',
    saveCheckpointSteps: 1,
    writerRegistry: registry,
    hooks: [new RecorderHook('worker', log)],
    chiefOnlyHooks: [new RecorderHook('chief', log)],
  });
  assert.equal(s.writer, undefined);
  assert.deepEqual(s.hooks.map((h) => h.name), ['worker']);
  await s.run(() => ({ cost: 1 }));
  assert.equal(await s.saveCheckpoint(), undefined);
  await s.close();
  assert.equal(writers.length, 0);
  assert.equal(s.latestCheckpointStep(), undefined);
});

test('one writer per run directory: session.writer is shared by hooks writing there; START written once', async () => {
  const dir = tmpDir();
  const { registry, writers } = fakeRegistry();
  let hookWriter: unknown;
  const h: Hook = { name: 'h', afterCreateSession: (s) => void (hookWriter = s.writerFor(dir)) };
  const s = await MonitoredTrainingSession.create({ ...base, summaryDir: dir, writerRegistry: registry, hooks: [h], logStepCountSteps: 0 });
  assert.equal(writers.length, 1);
  assert.equal(hookWriter, s.writer);
  await s.run(() => ({ cost: 2 }));
  await s.close();
  const w = writers[0];
  assert.deepEqual(w.calls.filter((c) => c.method === 'addSessionStart').map((c) => c.args[0]), [1]);
  assert.deepEqual(w.scalars('cost'), [[1, 2]]);
  assert.equal(w.closed, true);
  assert.equal(registry.size, 0);
});

test('an injected writer is used and flushed but not closed', async () => {
  const w = new FakeWriter(tmpDir());
  const { registry } = fakeRegistry();
  const s = await MonitoredTrainingSession.create({ ...base, writer: w, writerRegistry: registry, saveSummariesSteps: 1, logStepCountSteps: 0 });
  assert.equal(s.writer, w);
  assert.equal(s.summaryDir, w.logdir);
  await s.run(() => ({ x: 1 }));
  await s.close();
  assert.equal(w.closed, false);
  assert.deepEqual(w.scalars('x'), [[1, 1]]);
  assert.ok(w.calls.some((c) => c.method === 'flush'));
});

test('requestStop from the caller and from a signal-kind request choose the end reason', async () => {
  const h = new RecorderHook('h', []);
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [h] });
  await s.run(() => ({}));
  s.requestStop({ reason: 'ctrl-c', kind: 'interrupted' });
  s.requestStop('user says so');
  await s.close();
  assert.equal(h.ends[0].reason, 'interrupted');
  assert.deepEqual(h.ends[0].stopRequests.map((r) => r.source), ['user', 'user']);
});

test('hook name collisions get a stable suffix', async () => {
  const s = await MonitoredTrainingSession.create({ ...base, hooks: [{ name: 'x' }, { name: 'x' }, {}] });
  assert.deepEqual(s.hooks.map((h) => s.nameOf(h)), ['x', 'x#2', 'Object']);
  await s.close();
});
