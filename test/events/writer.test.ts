/**
 * EventFileWriter: naming, exclusive create, first record bytes, batching (maxQueue, flushMillis,
 * high-water mark), flush/close, errors (injected ENOSPC, unwritable dir, deleted dir), steps.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventFileWriter, EventWriteError, nextEventFileName, readEvents, readRun, encodeEvent, type RecordProblem, type WriterFs } from '../../src/events';
import { exitFlushState } from '../../src/events/exit-flush';
import { frameRecord, iterateRecordFile } from '../../src/record';
import { GOLDEN_LOGDIR } from '../fixture-paths';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-writer-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;
const newDir = () => path.join(tmp, `d${dirs++}`);
const tick = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function records(file: string): { data: Buffer[]; problems: RecordProblem[] } {
  const problems: RecordProblem[] = [];
  const data: Buffer[] = [];
  for (const r of iterateRecordFile(file, (p) => problems.push(p))) data.push(Buffer.from(r.data));
  return { data, problems };
}
const scalar = (step: number, value = step / 2, tag = 'loss') => ({ wall_time: 1700000000 + step, step, summary: { value: [{ tag, simple_value: value }] } });
const os_host = os.hostname();

function countingFs(extra: Partial<WriterFs> = {}) {
  const calls = { write: 0, fsync: 0 };
  const impl: Partial<WriterFs> = {
    writeSync: (fd, buf, off, len) => { calls.write++; return fs.writeSync(fd, buf, off, len); },
    fsyncSync: (fd) => { calls.fsync++; fs.fsyncSync(fd); },
    ...extra,
  };
  return { calls, impl };
}

test('nextEventFileName: TensorBoard scheme, 10-digit secs, process-wide counter', () => {
  const a = nextEventFileName(1700000000.9, '.v2');
  const b = nextEventFileName(5);
  const re = /^events\.out\.tfevents\.(\d{10})\.(.+)\.(\d+)\.(\d+)(.*)$/;
  const ma = re.exec(a)!, mb = re.exec(b)!;
  assert.deepEqual([ma[1], ma[2], ma[3], ma[5]], ['1700000000', os_host, String(process.pid), '.v2']);
  assert.deepEqual([mb[1], mb[5]], ['0000000005', '']);
  assert.equal(Number(mb[4]), Number(ma[4]) + 1);
});

test('first record: file_version + source_metadata, byte-identical to the TensorBoard golden file', async () => {
  const dir = newDir();
  const w = new EventFileWriter(dir, { fileWallTime: 1700000000, writerName: 'tensorboard.summary.writer.event_file_writer' });
  // Written (and on disk) right away, before any flush.
  const golden = fs.readFileSync(path.join(GOLDEN_LOGDIR, 'events.out.tfevents.1700000000.tbref.0.0'));
  assert.deepEqual(fs.readFileSync(w.path), golden.subarray(0, 88));
  await w.close();
  assert.match(path.basename(w.path), new RegExp(`^events\\.out\\.tfevents\\.1700000000\\.${os_host.replace(/\./g, '\\.')}\\.${process.pid}\\.\\d+$`));

  const w2 = new EventFileWriter(dir, { fileWallTime: 1700000000.5 });
  await w2.close();
  const first = [...readEvents(w2.path)][0].event;
  assert.deepEqual(first, { wall_time: 1700000000.5, step: 0, file_version: 'brain.Event:2', source_metadata: { writer: 'tbkit' } });
  assert.deepEqual(fs.readFileSync(w2.path), frameRecord(encodeEvent({ wall_time: 1700000000.5, file_version: 'brain.Event:2', source_metadata: { writer: 'tbkit' } })));
});

test('exclusive create: two writers in one dir in the same second get two files; an existing name is skipped', async () => {
  const dir = newDir();
  const w1 = new EventFileWriter(dir, { fileWallTime: 1700000000 });
  const w2 = new EventFileWriter(dir, { fileWallTime: 1700000000 });
  assert.notEqual(w1.path, w2.path);
  // Occupy the name the next writer would take: it must move on to the following counter value.
  const probe = nextEventFileName(1700000000);
  const counter = Number(/\.(\d+)$/.exec(probe)![1]);
  const squatted = path.join(dir, probe.replace(/\.\d+$/, `.${counter + 1}`));
  fs.writeFileSync(squatted, 'not ours');
  const w3 = new EventFileWriter(dir, { fileWallTime: 1700000000 });
  assert.equal(path.basename(w3.path), probe.replace(/\.\d+$/, `.${counter + 2}`));
  w1.writeEvent(scalar(1));
  w2.writeEvent(scalar(2));
  await Promise.all([w1.close(), w2.close(), w3.close()]);
  assert.equal(fs.readFileSync(squatted, 'utf8'), 'not ours');
  assert.deepEqual([...readEvents(w1.path)].map((e) => e.event.step), [0, 1]);
  assert.deepEqual([...readEvents(w2.path)].map((e) => e.event.step), [0, 2]);
  assert.equal(fs.readdirSync(dir).length, 4);
});

test('directory is created recursively; filenameSuffix is appended', async () => {
  const dir = path.join(newDir(), 'a', 'b', 'c');
  const w = new EventFileWriter(dir, { filenameSuffix: '.v2' });
  await w.close();
  assert.ok(fs.existsSync(w.path));
  assert.ok(w.path.endsWith('.v2'));
  assert.equal(w.logdir, dir);
});

test('maxQueue: nothing is written until maxQueue events are pending; then one write on the next turn', async () => {
  const { calls, impl } = countingFs();
  const w = new EventFileWriter(newDir(), { maxQueue: 3, flushMillis: 1e9, fsImpl: impl });
  assert.equal(calls.write, 1); // the file_version record
  w.writeEvent(scalar(1));
  w.writeEvent(scalar(2));
  await tick();
  assert.equal(records(w.path).data.length, 1);
  w.writeEvent(scalar(3));
  assert.equal(records(w.path).data.length, 1, 'writeEvent itself does no I/O');
  await tick();
  assert.equal(records(w.path).data.length, 4);
  assert.equal(calls.write, 2);
  // A tight loop coalesces: 1000 events, one write.
  for (let i = 4; i < 1004; i++) w.writeEvent(scalar(i));
  await tick();
  assert.equal(calls.write, 3);
  assert.equal(records(w.path).data.length, 1004);
  await w.close();
});

test('flushMillis: pending data is written once it is flushMillis old, not before', async () => {
  const w = new EventFileWriter(newDir(), { flushMillis: 40 });
  const t0 = Date.now();
  w.writeEvent(scalar(1));
  await tick();
  if (Date.now() - t0 < 30) assert.equal(records(w.path).data.length, 1);
  while (records(w.path).data.length < 2) {
    assert.ok(Date.now() - t0 < 10_000, 'flushMillis timer never fired');
    await sleep(5);
  }
  assert.ok(Date.now() - t0 >= 39, `written after ${Date.now() - t0} ms`);
  await w.close();
});

test('flush() writes pending events (and fsyncs when asked); close() flushes, second close is harmless', async () => {
  const { calls, impl } = countingFs();
  const w = new EventFileWriter(newDir(), { fsync: true, fsImpl: impl });
  for (let i = 1; i <= 5; i++) w.writeEvent(scalar(i));
  assert.equal(records(w.path).data.length, 1);
  await w.flush();
  assert.equal(records(w.path).data.length, 6);
  assert.equal(calls.fsync, 2);
  w.writeEvent(scalar(6));
  assert.equal(exitFlushState().writers >= 1, true);
  const before = exitFlushState().writers;
  await w.close();
  assert.equal(exitFlushState().writers, before - 1);
  assert.equal(w.closed, true);
  assert.deepEqual([...readEvents(w.path)].map((e) => e.event.step), [0, 1, 2, 3, 4, 5, 6]);
  await w.close();
  await w.flush();
  assert.throws(() => w.writeEvent(scalar(7)), /EventFileWriter for .* is closed/);
  assert.throws(() => w.writeEventBytes(new Uint8Array(1)), /is closed/);
});

test('high-water mark: a synchronous loop writes as it goes (memory stays flat)', async () => {
  const { calls, impl } = countingFs();
  const w = new EventFileWriter(newDir(), { maxQueue: 1e9, flushMillis: 1e9, fsImpl: impl });
  const bytes = encodeEvent(scalar(1));
  for (let i = 0; i < 100_000; i++) w.writeEventBytes(bytes); // ~5 MB, no await
  assert.ok(calls.write >= 4, `writes during the loop: ${calls.write}`);
  assert.ok(fs.statSync(w.path).size >= 4 * 1024 * 1024);
  await w.close();
  assert.equal(records(w.path).data.length, 100_001);
});

test('writeEventBytes copies the caller buffer and writes it verbatim', async () => {
  const w = new EventFileWriter(newDir());
  const buf = Buffer.from(encodeEvent(scalar(7, 1.25)));
  const copy = Buffer.from(buf);
  w.writeEventBytes(buf);
  buf.fill(0);
  await w.close();
  assert.deepEqual(records(w.path).data[1], copy);
});

test('step validation: TypeError naming `step`; bigint accepted', async () => {
  const w = new EventFileWriter(newDir());
  for (const bad of [-1, 1.5, NaN, Infinity, '3', null, -1n]) {
    assert.throws(() => w.writeEvent({ step: bad as never }), (e: unknown) => e instanceof TypeError && /\bstep\b/.test((e as Error).message), String(bad));
  }
  w.writeEvent({ step: 5n, wall_time: 1 });
  w.writeEvent({ step: 2n ** 60n, wall_time: 2 });
  w.writeEvent({ step: 0, wall_time: 3, summary: { value: [{ tag: 'z', simple_value: 0 }] } });
  await w.close();
  const evs = [...readEvents(w.path)].map((e) => e.event);
  assert.deepEqual(evs.slice(1).map((e) => e.step), [5, 2 ** 60, 0]);
  // Explicit zeros are omitted like Python does, but a oneof value of 0 is kept.
  assert.deepEqual(records(w.path).data[3].toString('hex'), '090000000000000840' + '2a0a' + '0a08' + '0a017a' + '1500000000');
});

test('wall_time defaults to the injected clock', async () => {
  const w = new EventFileWriter(newDir(), { now: () => 1234.5 });
  w.writeEvent({ step: 1, summary: { value: [{ tag: 't', simple_value: 1 }] } });
  await w.close();
  assert.deepEqual([...readEvents(w.path)].map((e) => e.event.wall_time), [1234.5, 1234.5]);
});

function enospcFs(state: { failing: boolean; partial?: boolean }): Partial<WriterFs> {
  return {
    writeSync(fd, buf, off, len) {
      if (state.failing) {
        if (state.partial) {
          state.partial = false;
          return fs.writeSync(fd, buf, off, Math.max(1, len >> 1)); // a short write, then the error
        }
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
      }
      return fs.writeSync(fd, buf, off, len);
    },
  };
}

test('injected ENOSPC: reported once, later events dropped and counted, earlier records intact', async () => {
  for (const partial of [false, true]) {
    const state = { failing: false, partial };
    const errors: Error[] = [];
    const w = new EventFileWriter(newDir(), { onError: (e) => errors.push(e), fsImpl: enospcFs(state) });
    w.writeEvent(scalar(1));
    w.writeEvent(scalar(2));
    await w.flush();
    state.failing = true;
    w.writeEvent(scalar(3));
    w.writeEvent(scalar(4));
    await assert.rejects(w.flush(), (e: EventWriteError) => {
      assert.ok(e instanceof EventWriteError);
      assert.deepEqual([e.code, e.errno, e.syscall, e.path], ['ENOSPC', -28, 'write', w.path]);
      assert.ok(e.message.includes(w.path), e.message);
      assert.match(e.message, /ENOSPC.*free disk space/);
      return true;
    });
    assert.doesNotThrow(() => { for (let i = 5; i < 10; i++) w.writeEvent(scalar(i)); });
    assert.equal(w.droppedEvents, 2 + 5);
    await assert.rejects(w.flush(), /ENOSPC/);
    await assert.rejects(w.close(), /ENOSPC/);
    await tick();
    assert.equal(errors.length, 1, 'reported once');
    const { data, problems } = records(w.path);
    assert.deepEqual(problems, [], `partial=${partial}: the file still ends on a record boundary`);
    assert.deepEqual([...readEvents(w.path)].map((e) => e.event.step), [0, 1, 2]);
    assert.equal(data.length, 3);
  }
});

test('a write that makes no progress is an EIO EventWriteError; fields the cause lacks are absent', async () => {
  const w = new EventFileWriter(newDir(), { onError: () => {}, fsImpl: { writeSync: () => 0 } });
  await assert.rejects(w.close(), (e: EventWriteError) => {
    assert.ok(e instanceof EventWriteError);
    assert.deepEqual([e.code, e.syscall], ['EIO', 'write']);
    assert.ok(!('errno' in e), 'no errno property');
    return true;
  });
});

test('strict mode: writeEvent after a failure throws the error', async () => {
  const state = { failing: true };
  const w = new EventFileWriter(newDir(), { strict: true, onError: () => {}, fsImpl: enospcFs(state) });
  // The file_version write already failed.
  assert.throws(() => w.writeEvent(scalar(1)), /ENOSPC/);
  await assert.rejects(w.close(), /ENOSPC/);
});

test('unwritable directory: clear error naming the dir, errno and fix; once, via the error event', async () => {
  const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', errno: -13, syscall: 'mkdir' });
  const dir = newDir();
  const w = new EventFileWriter(dir, { fsImpl: { mkdirSync: () => { throw denied; } } });
  const seen: Error[] = [];
  w.on('error', (e) => seen.push(e)); // attached after construction: still delivered
  w.writeEvent(scalar(1));
  await tick();
  assert.equal(seen.length, 1);
  assert.match(seen[0].message, new RegExp(`${dir}.*EACCES.*check permissions of ${dir} or choose another --logdir`));
  // A class callers can test with instanceof, carrying the fs error's fields and the error itself.
  const err = seen[0] as EventWriteError;
  assert.ok(err instanceof EventWriteError && err instanceof Error);
  assert.equal(err.name, 'EventWriteError');
  assert.deepEqual([err.code, err.errno, err.syscall, err.path], ['EACCES', -13, 'mkdir', dir]);
  assert.equal(err.cause, denied);
  assert.equal(w.droppedEvents, 1);
  await assert.rejects(w.flush(), /EACCES/);
  await assert.rejects(w.close(), /EACCES/);
  assert.throws(() => new EventFileWriter(dir, { strict: true, fsImpl: { mkdirSync: () => { throw denied; } } }), /EACCES/);
});

test('a real unusable logdir (a file in the way): one stderr line when nobody listens', async () => {
  const file = path.join(newDir() + '-file');
  fs.writeFileSync(file, 'x');
  const lines: string[] = [];
  const orig = process.stderr.write;
  process.stderr.write = ((s: string) => { lines.push(String(s)); return true; }) as typeof process.stderr.write;
  try {
    const w = new EventFileWriter(path.join(file, 'run'));
    w.writeEvent(scalar(1));
    await tick();
    await assert.rejects(w.close(), /ENOTDIR|EEXIST/);
  } finally {
    process.stderr.write = orig;
  }
  assert.equal(lines.length, 1);
  assert.match(lines[0], /tbkit: cannot create the log directory .*(ENOTDIR|EEXIST)/);
});

test('log directory deleted mid-run: ENOENT reported, earlier data was flushed', async () => {
  const dir = newDir();
  const errors: Error[] = [];
  const w = new EventFileWriter(dir, { onError: (e) => errors.push(e) });
  w.writeEvent(scalar(1));
  await w.flush();
  fs.rmSync(dir, { recursive: true });
  w.writeEvent(scalar(2));
  await assert.rejects(w.flush(), (e: Error & { code?: string }) => e.code === 'ENOENT' && e.message.includes(dir) && /recreate it/.test(e.message));
  assert.equal(w.droppedEvents, 1);
  await w.close().catch(() => {});
  await tick();
  assert.equal(errors.length, 1);
});

test('the writer is usable by readRun right after close (integration)', async () => {
  const w = new EventFileWriter(newDir(), { fileWallTime: 1700000000 });
  for (let s = 0; s < 50; s++) w.writeEvent(scalar(s, s * 0.1));
  await w.close();
  const d = readRun([w.path]);
  assert.equal(d.records, 51);
  assert.deepEqual(d.scalars.get('loss')!.map((p) => p.step), Array.from({ length: 50 }, (_, i) => i));
  assert.equal(d.scalars.get('loss')![10].value, Math.fround(1));
});

test('default flushMillis (1 s): a sparse value is written a second after the call, alone; a loop still writes one batch per maxQueue', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { calls, impl } = countingFs();
  const w = new EventFileWriter(newDir(), { fsImpl: impl });
  const base = calls.write; // the file_version record
  // One value every 2 s: each is written by the timer one second after its call, never later.
  for (let i = 1; i <= 3; i++) {
    w.writeEvent(scalar(i));
    t.mock.timers.tick(999);
    assert.equal(calls.write, base + i - 1, `value ${i} not written before 1 s`);
    t.mock.timers.tick(1);
    assert.equal(calls.write, base + i, `value ${i} written at 1 s`);
    t.mock.timers.tick(1000);
  }
  // A burst: one write per maxQueue (10) events on the next turn, the timer adds none.
  for (let i = 4; i < 34; i++) {
    w.writeEvent(scalar(i));
    if (i % 10 === 3) await tick();
  }
  assert.equal(calls.write, base + 6);
  t.mock.timers.tick(1000);
  assert.equal(calls.write, base + 6, 'nothing pending: no timer write');
  await w.close();
  assert.equal(records(w.path).data.length, 34);
});
