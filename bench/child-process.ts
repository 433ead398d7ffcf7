/**
 * Timing a child process from its spawn to its exit: the wall time, and for node children (run
 * with bench/child-usage.cjs preloaded) their own CPU time and peak RSS.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nowMs } from './util';

export const CHILD_USAGE = path.join(__dirname, 'child-usage.cjs');

export interface ProcessTiming {
  seconds: number;
  cpuSeconds?: number;
  peakRssMB?: number;
  stdout: string;
}

/**
 * Runs `node --require child-usage.cjs ...args`; stdout is kept (pass `-o /dev/null` for large
 * output), stderr is kept for the error. A non-zero exit is an error naming the command.
 */
export function timeNode(args: readonly string[], usageFile: string, env: NodeJS.ProcessEnv = process.env): Promise<ProcessTiming> {
  fs.rmSync(usageFile, { force: true });
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    const child = spawn(process.execPath, ['--require', CHILD_USAGE, ...args], { env: { ...env, TBKIT_BENCH_USAGE: usageFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (nowMs() - t0) / 1000;
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited with ${code}: ${err.trim().split('\n').pop()}`));
      let usage: { cpuSeconds?: number; maxRssKB?: number } = {};
      try {
        usage = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
      } catch {
        // no usage file: the row has wall time only
      }
      resolve({ seconds, cpuSeconds: usage.cpuSeconds, peakRssMB: usage.maxRssKB === undefined ? undefined : usage.maxRssKB / 1024, stdout: out });
    });
  });
}
