import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export interface Child {
  proc: ChildProcess;
  out: () => string;
  /** Resolves when stdout has a line equal to `line`. */
  waitForLine: (line: string, timeoutMs?: number) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export function spawnTs(script: string, env: Record<string, string>, args: string[] = []): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ line: string; resolve: () => void }> = [];
  const check = (): void => {
    const lines = new Set(stdout.split('\n'));
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (lines.has(waiters[i].line)) {
        waiters[i].resolve();
        waiters.splice(i, 1);
      }
    }
  };
  proc.stdout!.on('data', (d) => {
    stdout += d;
    check();
  });
  proc.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    proc.on('exit', (code, signal) => setImmediate(() => resolve({ code, signal, stdout, stderr }))),
  );
  return {
    proc,
    out: () => stdout,
    exited,
    waitForLine: (line, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for '${line}'; stdout:\n${stdout}\nstderr:\n${stderr}`)), timeoutMs);
        waiters.push({ line, resolve: () => (clearTimeout(t), resolve()) });
        exited.then(() => {
          check();
          clearTimeout(t);
          reject(new Error(`child exited before printing '${line}'; stdout:\n${stdout}\nstderr:\n${stderr}`));
        });
        check();
      }),
  };
}
