/**
 * Crash and shutdown behavior, with real child processes: SIGKILL after flush() loses nothing that
 * was flushed and never leaves a torn record; SIGTERM/SIGINT/exit/uncaught exceptions flush pending
 * events and keep the process's default exit status.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readEvents, type RecordProblem } from '../../src/events';

const ROOT = path.resolve(__dirname, '../..');
const CHILD = path.join(__dirname, 'fixtures', 'writer-child.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-proc-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;

interface Child {
  file: Promise<string>;
  waitFor(marker: string): Promise<void>;
  kill(sig: NodeJS.Signals): void;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function run(mode: string, n: number): Child {
  const logdir = path.join(tmp, `d${dirs++}`);
  const cp = spawn(process.execPath, ['--import', 'tsx', CHILD, logdir, mode, String(n)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  const waiters: Array<() => void> = [];
  cp.stdout.on('data', (d) => { stdout += d; for (const w of waiters.splice(0)) w(); });
  cp.stderr.on('data', (d) => { stderr += d; });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    cp.on('close', (code, signal) => { for (const w of waiters.splice(0)) w(); resolve({ code, signal, stdout, stderr }); }));
  const waitFor = (marker: string) => new Promise<void>((resolve, reject) => {
    const check = () => {
      if (stdout.split('\n').includes(marker)) return resolve();
      if (cp.exitCode !== null || cp.signalCode !== null) return reject(new Error(`child exited before "${marker}": ${stderr}`));
      waiters.push(check);
    };
    check();
  });
  const file = new Promise<string>((resolve, reject) => {
    const check = () => {
      const i = stdout.indexOf('\n');
      if (i >= 0) return resolve(stdout.slice(0, i));
      if (cp.exitCode !== null || cp.signalCode !== null) return reject(new Error(`child failed: ${stderr}`));
      waiters.push(check);
    };
    check();
  });
  return { file, waitFor, kill: (sig) => cp.kill(sig), done };
}

function read(file: string) {
  const problems: RecordProblem[] = [];
  const steps = [...readEvents(file, (p) => problems.push(p))].map((e) => e.event.step);
  return { steps, problems };
}
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

test('SIGKILL after flush(): every flushed record is on disk, no CRC problem', { timeout: 60_000 }, async () => {
  const c = run('flush-then-wait', 200);
  await c.waitFor('flushed');
  c.kill('SIGKILL');
  const r = await c.done;
  assert.equal(r.signal, 'SIGKILL');
  const file = await c.file;
  // First writer of a fresh process: counter 0.
  assert.match(path.basename(file), /^events\.out\.tfevents\.1700000000\..+\.\d+\.0$/);
  const { steps, problems } = read(file);
  assert.deepEqual(problems, []);
  assert.deepEqual(steps, [0, ...range(1, 200)]);
});

test('SIGTERM with pending events: they are flushed, and the process dies of SIGTERM', { timeout: 60_000 }, async () => {
  const c = run('pending-wait', 50);
  await c.waitFor('ready');
  c.kill('SIGTERM');
  const r = await c.done;
  assert.equal(r.signal, 'SIGTERM');
  assert.equal(r.code, null);
  const { steps, problems } = read(await c.file);
  assert.deepEqual(problems, []);
  assert.deepEqual(steps, [0, ...range(1, 50)]);
});

test('SIGINT with pending events: flushed, default SIGINT death', { timeout: 60_000 }, async () => {
  const c = run('pending-wait', 20);
  await c.waitFor('ready');
  c.kill('SIGINT');
  const r = await c.done;
  assert.equal(r.signal, 'SIGINT');
  assert.deepEqual(read(await c.file).steps, [0, ...range(1, 20)]);
});

test('SIGINT when the app has its own handler: flushed, not re-raised, the app decides the exit', { timeout: 60_000 }, async () => {
  const c = run('pending-wait-own-handler', 20);
  await c.waitFor('ready');
  c.kill('SIGINT');
  const r = await c.done;
  assert.deepEqual([r.code, r.signal], [7, null]);
  assert.match(r.stdout, /app handler/);
  assert.deepEqual(read(await c.file).steps, [0, ...range(1, 20)]);
});

test('natural exit without close(): pending events flushed, the unref\'d timer does not hold the process', { timeout: 60_000 }, async () => {
  const t0 = Date.now();
  const c = run('natural-exit', 30);
  const r = await c.done;
  assert.equal(r.code, 0);
  assert.ok(Date.now() - t0 < 30_000);
  assert.deepEqual(read(await c.file).steps, [0, ...range(1, 30)]);
});

test('uncaught exception: Node\'s behavior is unchanged (stack, exit 1) and pending events are flushed', { timeout: 60_000 }, async () => {
  const c = run('uncaught', 30);
  const r = await c.done;
  assert.equal(r.code, 1);
  assert.match(r.stderr, /boom from the training loop/);
  assert.deepEqual(read(await c.file).steps, [0, ...range(1, 30)]);
});
