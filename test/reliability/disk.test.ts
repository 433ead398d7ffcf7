/**
 * Disk trouble under a real training session (MonitoredTrainingSession + SummaryWriter; the writer-level
 * cases are in test/events/writer.test.ts):
 * unwritable log dir (EACCES, injected through the writer's fs: tests run as root, where chmod does
 * not stop writes), a log dir under a regular FILE (ENOTDIR, real, fails even for root), the log dir
 * deleted mid-run (real), disk full mid-run (ENOSPC, injected, with a short write first).
 * - default: ONE clear error (file, errno, fix), training goes on to the last step, later scalars
 *   are counted as dropped, close() succeeds and does not report the error again;
 * - strict: the session stops cleanly (create() or run() rejects with the I/O error, hooks end with
 *   reason 'error');
 * - whatever was written before the trouble reads back intact, with no problem.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MonitoredTrainingSession } from '../../src/session';
import { WriterRegistry } from '../../src/summary';
import { StopAtStepHook } from '../../src/hooks';
import { SummaryWriter, type SummaryWriterOptions } from '../../src/summary/summary-writer';
import type { WriterFs } from '../../src/events';
import { readRun } from '../../src/events';
import { iterateRecordFile, type RecordProblem } from '../../src/record';
import { tmpDir } from '../session/helpers';

const LAST = 10;
const TROUBLE_AT = 6; // the trouble starts inside step 6: steps 1..4 are on disk by then

interface Scenario {
  name: string;
  code: RegExp;
  /** Returns the logdir; may set up a file in the way. */
  dir(root: string): string;
  fsImpl?: (state: { on: boolean }) => Partial<WriterFs>;
  /** Starts the trouble at TROUBLE_AT (mid-run scenarios). */
  start?: (dir: string, state: { on: boolean }) => void;
}

const err = (code: string, syscall: string, errno: number) => Object.assign(new Error(`${code}: injected, ${syscall}`), { code, syscall, errno });

const SCENARIOS: Scenario[] = [
  {
    name: 'EACCES creating the log dir (injected)', code: /EACCES/,
    dir: (root) => path.join(root, 'ro', 'run'),
    fsImpl: () => ({ mkdirSync: () => { throw err('EACCES', 'mkdir', -13); } }),
  },
  {
    name: 'EACCES creating the event file (injected)', code: /EACCES/,
    dir: (root) => path.join(root, 'ro2'),
    fsImpl: () => ({ openSync: () => { throw err('EACCES', 'open', -13); } }),
  },
  {
    name: 'ENOTDIR: log dir under a regular file (real)', code: /ENOTDIR|EEXIST/,
    dir: (root) => {
      fs.writeFileSync(path.join(root, 'afile'), 'x');
      return path.join(root, 'afile', 'run');
    },
  },
  {
    name: 'ENOSPC mid-run, after a short write (injected)', code: /ENOSPC/,
    dir: (root) => path.join(root, 'full'),
    fsImpl: (state) => {
      let short = true;
      return {
        writeSync: (fd: number, buf: Buffer, off: number, len: number) => {
          if (!state.on) return fs.writeSync(fd, buf, off, len);
          if (short && len > 1) {
            short = false;
            return fs.writeSync(fd, buf, off, len >> 1); // half the batch lands, then the disk is full
          }
          throw err('ENOSPC', 'write', -28);
        },
      };
    },
    start: (_dir, state) => { state.on = true; },
  },
  {
    name: 'log dir deleted mid-run (real)', code: /ENOENT/,
    dir: (root) => path.join(root, 'deleted'),
    start: (dir) => fs.rmSync(dir, { recursive: true, force: true }),
  },
];

async function train(sc: Scenario, strict: boolean, quiet: boolean) {
  const root = tmpDir('tbkit-rel-disk-');
  const dir = sc.dir(root);
  const state = { on: false };
  const errors: Error[] = [];
  const writers: SummaryWriter[] = [];
  const registry = new WriterRegistry((d) => {
    const opts = { maxQueue: 1, strict, fsImpl: sc.fsImpl?.(state), ...(quiet ? {} : { onError: (e: Error) => errors.push(e) }) };
    const w = new SummaryWriter(d, opts as SummaryWriterOptions);
    writers.push(w);
    return w;
  });
  const hookErrors: unknown[] = [];
  let ran = 0;
  const session = await MonitoredTrainingSession.create({
    summaryDir: dir, writerRegistry: registry, handleSignals: false, saveSummariesSteps: 1, logStepCountSteps: 0,
    // Checkpoints (elsewhere) every 2 steps: the saver flushes the broken writer before each save.
    checkpointDir: path.join(root, 'ckpt'), saveCheckpointSteps: 2,
    onHookError: (e) => hookErrors.push(e), hooks: [new StopAtStepHook({ lastStep: LAST })],
  });
  while (!session.shouldStop()) {
    await session.run(async (ctx) => {
      ran++;
      if (ctx.step === TROUBLE_AT) sc.start?.(dir, state);
      await new Promise((r) => setImmediate(r)); // the writer's batches (maxQueue 1) go out here
      return { loss: 1 / ctx.step };
    });
  }
  await session.close();
  await new Promise((r) => setImmediate(r));
  return { session, errors, writers, hookErrors, ran, dir };
}

for (const sc of SCENARIOS) {
  test(`${sc.name}: one clear error, training goes on, later scalars counted as dropped, earlier data intact`, async () => {
    const { session, errors, writers, hookErrors, ran } = await train(sc, false, false);
    assert.equal(ran, LAST, 'every step ran');
    assert.equal(session.endInfo?.reason, 'completed');
    assert.equal(session.latestCheckpointStep(), LAST, 'checkpoints kept being saved');
    assert.deepEqual(hookErrors, [], 'close() did not report the I/O error a second time');
    assert.equal(errors.length, 1, 'reported exactly once');
    const e = errors[0] as Error & { code?: string; path?: string };
    assert.match(String(e.code), sc.code);
    assert.match(e.message, /^tbkit: cannot .* (EACCES|ENOTDIR|EEXIST|ENOSPC|ENOENT).*; (check|free|the directory|a file)/, e.message);
    const w = writers[0];
    assert.ok(e.message.includes(w.path) || e.message.includes(w.logdir), 'the message names the file or directory');
    assert.ok(w.droppedEvents > 0, 'later scalars were counted as dropped');
    if (sc.start && fs.existsSync(w.path)) {
      // Mid-run ENOSPC: what was written before is intact, and the short write was cut back.
      const problems: RecordProblem[] = [];
      for (const _ of iterateRecordFile(w.path, (p) => problems.push(p)));
      assert.deepEqual(problems, [], 'the file still ends on a record boundary');
      const loss = readRun([w.path]).scalars.get('loss')!.map((p) => p.step);
      assert.ok(loss.length >= TROUBLE_AT - 2, `steps before the trouble kept: ${loss}`);
      assert.deepEqual(loss, Array.from({ length: loss.length }, (_, i) => i + 1));
      assert.equal(w.droppedEvents + loss.length + 2 /* file_version, START */, LAST + 2, 'every event is either in the file or counted');
    }
  });

  test(`${sc.name}, strict mode: the session stops cleanly with the I/O error`, async () => {
    const root = tmpDir('tbkit-rel-disk-');
    const before = process.listenerCount('SIGINT');
    if (!sc.start) {
      // Fails when the writer opens: create() rejects.
      await assert.rejects(train(sc, true, false), (e: Error & { code?: string }) => sc.code.test(String(e.code)));
    } else {
      let endReason: string | undefined;
      const registry = new WriterRegistry((d) => new SummaryWriter(d, { maxQueue: 1, strict: true, fsImpl: sc.fsImpl?.(state), onError: () => {} } as SummaryWriterOptions));
      const state = { on: false };
      const dir = sc.dir(root);
      const s = await MonitoredTrainingSession.create({
        summaryDir: dir, writerRegistry: registry, handleSignals: false, saveSummariesSteps: 1, logStepCountSteps: 0,
        onHookError: () => {}, hooks: [new StopAtStepHook({ lastStep: LAST }), { name: 'End', end: (_s, i) => void (endReason = i.reason) }],
      });
      const file = s.writer!.path;
      await assert.rejects(
        (async () => {
          while (!s.shouldStop()) {
            await s.run(async (ctx) => {
              if (ctx.step === TROUBLE_AT) sc.start!(dir, state);
              await new Promise((r) => setImmediate(r));
              return { loss: 1 / ctx.step };
            });
          }
        })(),
        (e: Error & { code?: string }) => sc.code.test(String(e.code)),
      );
      assert.equal(endReason, 'error', 'hooks ended with reason error');
      assert.ok(s.globalStep < LAST && s.globalStep >= TROUBLE_AT, `stopped at step ${s.globalStep}`);
      if (fs.existsSync(file)) {
        const run = readRun([file]);
        assert.deepEqual(run.problems, []);
        assert.ok(run.scalars.get('loss')!.length >= TROUBLE_AT - 2);
      }
    }
    assert.equal(process.listenerCount('SIGINT'), before, 'no listener left behind');
  });
}

test('a real unusable log dir with nobody listening: exactly one stderr line for the whole session', async () => {
  const lines: string[] = [];
  const orig = process.stderr.write;
  const origErr = console.error;
  process.stderr.write = ((s: string) => { lines.push(String(s)); return true; }) as typeof process.stderr.write;
  console.error = (...a: unknown[]) => { lines.push(a.join(' ')); };
  try {
    const { ran } = await train(SCENARIOS[2], false, true);
    assert.equal(ran, LAST);
  } finally {
    process.stderr.write = orig;
    console.error = origErr;
  }
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /tbkit: cannot create the log directory .*(ENOTDIR|EEXIST).*a file is in the way/);
});
