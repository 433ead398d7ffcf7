import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { MonitoredTrainingSession, CheckpointManager } from '../../src/session';
import { StopAtStepHook, FinalOpsHook, GlobalStepWaiterHook, ProgressBarHook, LoggingTensorHook } from '../../src/hooks';
import { tmpDir } from '../session/helpers';

class Sink extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
  // cli-progress terminal API on a TTY stream
  cursorTo(x: number): boolean { this.text += `<cursorTo ${x}>`; return true; }
  moveCursor(): boolean { return true; }
  clearLine(): boolean { this.text += '<clearLine>'; return true; }
  clearScreenDown(): boolean { return true; }
  columns = 120;
}

test('FinalOpsHook runs at end (every reason) and exposes the result', async () => {
  const h = new FinalOpsHook((s, info) => ({ step: s.globalStep, reason: info.reason }));
  const s = await MonitoredTrainingSession.create({ handleSignals: false, hooks: [h] });
  await s.run(() => ({}));
  await assert.rejects(s.run(() => { throw new Error('x'); }));
  assert.deepEqual(h.finalOpsValues, { step: 1, reason: 'error' });
});

test('GlobalStepWaiterHook waits (polling) until the checkpointed global step reaches N', async () => {
  const dir = tmpDir();
  const h = new GlobalStepWaiterHook({ waitUntilStep: 5, pollMs: 10, logger: () => undefined });
  const s = await MonitoredTrainingSession.create({ handleSignals: false, isChief: false, checkpointDir: dir, hooks: [h] });
  let ran = false;
  const p = s.run(() => void (ran = true));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(ran, false, 'blocked while the chief is behind');
  await new CheckpointManager(dir).save(5, { globalStep: 5, time: 0, hooks: {} }); // the "chief" checkpoints step 5
  await p;
  assert.equal(ran, true);
  await s.close();
  const t = new GlobalStepWaiterHook({ waitUntilStep: 10, pollMs: 5, timeoutSecs: 0.02, getGlobalStep: () => 0, logger: () => undefined });
  const s2 = await MonitoredTrainingSession.create({ handleSignals: false, hooks: [t] });
  await assert.rejects(s2.run(() => ({})), /still 0 < 10/);
});

test('ProgressBarHook, not a TTY: plain lines with rate and ETA, log() lines, no escape codes', async () => {
  const out = new Sink(false);
  let now = 0;
  const bar = new ProgressBarHook({ stream: out, tags: ['cost'], plainEveryNSteps: 2, now: () => now });
  const s = await MonitoredTrainingSession.create({
    handleSignals: false,
    hooks: [new StopAtStepHook({ lastStep: 4 }), bar, new LoggingTensorHook({ tags: ['cost'], everyNIter: 3 })],
  });
  assert.equal(bar.tty, false);
  while (!s.shouldStop()) await s.run(() => ((now += 500), { cost: 1 / (s.globalStep + 1) }));
  await s.close();
  const lines = out.text.trim().split('\n');
  // hook order: StopAtStep, ProgressBar, LoggingTensor (both priority 100, registration order)
  assert.equal(lines.length, 5, out.text);
  assert.equal(lines[0], 'step 1: cost = 1');
  assert.equal(lines[1], 'step 2/4 (50.0%) | 2.00 steps/s | ETA 1s | cost=0.5');
  assert.equal(lines[2], 'step 4/4 (100.0%) | 2.00 steps/s | ETA 0s | cost=0.25');
  assert.match(lines[3], /^step 4: cost = 0\.25 \(\d+\.\d{3} sec\)$/);
  assert.equal(lines[4], 'stopped at step 4 (completed: reached last step 4)');
  assert.doesNotMatch(out.text, /\x1b/);
});

test('ProgressBarHook, TTY: a cli-progress bar; log() prints above it; stopped at end', async () => {
  const out = new Sink(true);
  const bar = new ProgressBarHook({ stream: out, tty: true, tags: ['cost'] });
  const s = await MonitoredTrainingSession.create({ handleSignals: false, hooks: [new StopAtStepHook({ lastStep: 3 }), bar] });
  while (!s.shouldStop()) {
    await s.run(() => ({ cost: 0.5 }));
    s.log(`line after ${s.globalStep}`);
  }
  await s.close();
  assert.match(out.text, /line after 1\n/);
  assert.match(out.text, /step 3\/3/);
  assert.match(out.text, /cost=0\.5/);
  assert.match(out.text, /steps\/s/);
  assert.match(out.text, /stopped at step 3 \(completed/);
  // each log line is written at column 1 of a cleared line, then a newline: the bar is redrawn below it
  for (const n of [1, 2, 3]) assert.ok(out.text.includes(`\x1b[1G\x1b[2Kline after ${n}\n`), JSON.stringify(out.text));
  assert.match(out.text, /\x1b\[\?25h/, 'cursor shown again at the end');
});
