/**
 * Small helpers shared by the bench modules: timing, medians, ratios, memory sampling, formatting.
 * Nothing here asserts on times: the bench reports, it never fails on speed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { createRng as rng } from '../src/util/random';

/** Milliseconds from a monotonic clock (sub-µs resolution). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Linear-interpolated quantile q in [0, 1] of a non-empty list. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) throw new RangeError('quantile of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('mean of an empty list');
  let t = 0;
  for (const x of xs) t += x;
  return t / xs.length;
}

/** a / b, or NaN when b is 0 or either side is not finite (never Infinity in a report). */
export function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return NaN;
  return a / b;
}

/** Runs `fn` `warmup` times untimed, then `repeats` times timed; returns each timed run's ms. */
export async function timeRepeats(warmup: number, repeats: number, fn: () => void | Promise<void>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = nowMs();
    await fn();
    out.push(nowMs() - t0);
  }
  return out;
}

let gcFn: (() => void) | undefined | null = null;

/**
 * A full GC if one can be had: `global.gc` (node --expose-gc), else the flag is turned on at run
 * time and `gc` is taken from a fresh context (a documented V8 trick). Returns false if neither works.
 */
export function tryGc(): boolean {
  if (gcFn === null) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === 'function') gcFn = g;
    else {
      try {
        v8.setFlagsFromString('--expose-gc');
        const f = vm.runInNewContext('gc') as unknown;
        gcFn = typeof f === 'function' ? (f as () => void) : undefined;
      } catch {
        gcFn = undefined;
      }
    }
  }
  if (!gcFn) return false;
  gcFn();
  return true;
}

export interface MemSample { rss: number; heapUsed: number }

export function memSample(): MemSample {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed };
}

export const MB = 1024 * 1024;

/** A fresh temp directory; `cleanup()` removes it. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tbkit-bench-${prefix}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The only event file in `dir` (throws if there is not exactly one). */
export function onlyEventFile(dir: string): string {
  const files = fs.readdirSync(dir).filter((f) => f.includes('tfevents'));
  if (files.length !== 1) throw new Error(`expected one event file in ${dir}, found ${files.length}`);
  return path.join(dir, files[0]);
}

export interface MachineInfo {
  date: string;
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  totalMemMB: number;
  loadAvg: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    arch: process.arch,
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    totalMemMB: Math.round(os.totalmem() / MB),
    loadAvg: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** 1234567 → "1.23 M", 12345 → "12.3 k". */
export function fmtRate(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)} G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(1);
}

export function fmtNum(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

export function fmtPct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(digits)} %` : 'n/a';
}

export function fmtMB(bytes: number, digits = 1): string {
  return Number.isFinite(bytes) ? `${(bytes / MB).toFixed(digits)} MB` : 'n/a';
}

/** A row that cannot run here (no venv, no MNIST): the bench prints `skipped: <message>`, not a failure. */
export class SkipError extends Error {
  override name = 'SkipError';
}

/** A verdict for a target: "met (…)", "NOT met (…)", or "undecided (…)" when `ok` is undefined. */
export function verdict(ok: boolean | undefined, detail: string): string {
  if (ok === undefined) return `undecided (${detail})`;
  return ok ? `met (${detail})` : `NOT met (${detail})`;
}

/** Standard normal samples (Box–Muller) from a seeded PRNG. */
export function normals(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(r(), 1e-12);
    const v = r();
    const m = Math.sqrt(-2 * Math.log(u));
    out[i] = m * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = m * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export { rng };
