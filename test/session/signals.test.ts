import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnTs } from './child';
import { readScalars, steps, tmpDir } from './helpers';

const FIXTURE = 'test/session/fixtures/train.ts';

/** The fixture's environment: its run and checkpoint directories under `dir`, plus one test's knobs. */
function trainEnv(dir: string, knobs: Record<string, string>): Record<string, string> & { TB_LOGDIR: string; TB_CKPT: string } {
  return { TB_LOGDIR: path.join(dir, 'run'), TB_CKPT: path.join(dir, 'ckpt'), ...knobs };
}

test('SIGINT mid-step: the step finishes, end runs with interrupted, checkpoint saved, events flushed, exit code 130', async () => {
  const dir = tmpDir();
  const env = trainEnv(dir, { TB_LAST_STEP: '1000', TB_CKPT_STEPS: '100', TB_DELAY_MS: '500', TB_REPORT: path.join(dir, 'report.json') });
  const child = spawnTs(FIXTURE, env);
  await child.waitForLine('step-begin 4');
  child.proc.kill('SIGINT');
  const { code, signal, stdout, stderr } = await child.exited;
  assert.equal(signal, null, stderr);
  assert.equal(code, 130, stdout + stderr);
  assert.match(stdout, /^step 4$/m, 'the interrupted step finished');
  assert.doesNotMatch(stdout, /step-begin 5/, 'no step after the signal');
  const report = JSON.parse(fs.readFileSync(env.TB_REPORT, 'utf8'));
  assert.equal(report.reason, 'interrupted');
  assert.equal(report.signal, 'SIGINT');
  assert.equal(report.globalStep, 4);
  assert.equal(report.exitCode, 130);
  const idx = JSON.parse(fs.readFileSync(path.join(env.TB_CKPT, 'checkpoint.json'), 'utf8'));
  assert.equal(idx.latestStep, 4, 'checkpoint saved at the interrupted step');
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(env.TB_CKPT, 'ckpt-4', 'model', 'model.json'), 'utf8')), { w: 4 });
  assert.deepEqual(steps(readScalars(env.TB_LOGDIR).scalars.get('loss')), [1, 2, 3, 4]);
});

test('SIGTERM: exit code 143; a second signal aborts', async () => {
  const dir = tmpDir();
  const env = trainEnv(dir, { TB_LAST_STEP: '1000', TB_DELAY_MS: '3000' });
  const child = spawnTs(FIXTURE, env);
  await child.waitForLine('step-begin 1');
  child.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  child.proc.kill('SIGTERM');
  const { code, stdout } = await child.exited;
  assert.equal(code, 143);
  assert.doesNotMatch(stdout, /^step 1$/m, 'aborted before the 3 s step finished');
});

test('resume after SIGKILL: one clean TensorBoard curve, no duplicate steps, global step continues from the checkpoint', async () => {
  const dir = tmpDir();
  // TB_FLUSH: the dead run's points after the checkpoint reach the disk
  const env = trainEnv(dir, { TB_LAST_STEP: '30', TB_CKPT_STEPS: '10', TB_DELAY_MS: '100', TB_FLUSH: '1' });
  const first = spawnTs(FIXTURE, env);
  await first.waitForLine('step 15');
  first.proc.kill('SIGKILL');
  const r1 = await first.exited;
  assert.equal(r1.signal, 'SIGKILL');
  const idx = JSON.parse(fs.readFileSync(path.join(env.TB_CKPT, 'checkpoint.json'), 'utf8'));
  assert.equal(idx.latestStep, 10);

  const second = spawnTs(FIXTURE, { ...env, TB_DELAY_MS: '0', TB_REPORT: path.join(dir, 'report.json') });
  const r2 = await second.exited;
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stdout, /^start 10 w=10$/m, 'global step and model restored from ckpt-10');
  assert.match(r2.stdout, /^step-begin 11$/m);
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
  assert.equal(report.reason, 'completed');
  assert.equal(report.globalStep, 30);

  const files = fs.readdirSync(env.TB_LOGDIR).filter((f) => f.includes('tfevents'));
  assert.equal(files.length, 2, 'one event file per process');
  const run = readScalars(env.TB_LOGDIR);
  const loss = run.scalars.get('loss')!;
  assert.deepEqual(steps(loss), Array.from({ length: 30 }, (_, i) => i + 1), 'one clean curve 1..30');
  assert.deepEqual(run.duplicates, []);
  for (const p of loss) assert.ok(Math.abs(p.value - 1 / p.step) < 1e-6);
  // the dead run's points after the checkpoint (11..15 at least) were purged by the SessionLog START
  const purged = run.purged.filter((p) => p.tag === 'loss').map((p) => p.step);
  assert.ok(purged.length >= 5 && purged.every((s) => s > 10), `purged: ${purged}`);
});
