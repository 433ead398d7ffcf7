import { Worker } from 'node:worker_threads';
import { sharedSimdModule, type SimdKernels } from './simd';
import type { WasmBackendLike } from './wasm-util';

/**
 * A second thread for the SIMD kernels. XNNPACK splits its ops over its thread pool; the kernels
 * of ./simd.ts run on the calling thread only. When the backend runs XNNPACK on more than one
 * thread (the experiment grows a run's pool once the other run has ended), `runSimdCalls` gives
 * part of a kernel's calls to a worker thread that runs the same WebAssembly module on the
 * backend's shared memory, and runs the rest here at the same time. The two parts write disjoint
 * outputs and each output's sum is made by one thread in its usual order, so the results do not
 * depend on the split. The worker sleeps in Atomics.wait between jobs and does not keep the
 * process alive.
 */

/** Jobs the worker thread has run (for tests and the bench: whether the second thread was used). */
export const simdThreadStats = { jobs: 0 };

/** One call of a SIMD kernel: its export name and its (i32) arguments. */
export type SimdCall = [name: keyof SimdKernels, ...args: number[]];

/** Control words: job number, finished job number, error flag, call count; then the calls. */
const [JOB, DONE, FAILED, COUNT, HEADER] = [0, 1, 2, 3, 4];
const CONTROL_INTS = 1 << 16;
/** A job takes milliseconds; a worker that has not answered in this long is gone. */
const WORKER_TIMEOUT_MS = 60_000;

// The worker's source: plain JavaScript (it runs without this project's TypeScript loader).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, bytes, names, control } = workerData;
const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const fns = names.map((n) => exports[n]);
const c = new Int32Array(control);
let seen = 0;
for (;;) {
  Atomics.wait(c, ${JOB}, seen);
  seen = Atomics.load(c, ${JOB});
  try {
    let p = ${HEADER};
    for (let i = 0, n = c[${COUNT}]; i < n; i++) {
      const argc = c[p + 1];
      fns[c[p]](...c.subarray(p + 2, p + 2 + argc));
      p += 2 + argc;
    }
  } catch (e) {
    Atomics.store(c, ${FAILED}, 1);
  }
  Atomics.store(c, ${DONE}, seen);
  Atomics.notify(c, ${DONE});
}
`;

interface SimdWorker {
  control: Int32Array;
  names: string[];
  job: number;
}

const workers = new WeakMap<object, SimdWorker | null>();

function workerFor(wasmModule: object): SimdWorker | null {
  if (workers.has(wasmModule)) return workers.get(wasmModule)!;
  let w: SimdWorker | null = null;
  const shared = sharedSimdModule(wasmModule);
  if (shared) {
    try {
      const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
      const { memory, bytes, names } = shared;
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { memory, bytes, names, control: control.buffer } });
      worker.unref();
      worker.on('error', () => workers.set(wasmModule, null));
      w = { control, names, job: 0 };
    } catch {
      w = null;
    }
  }
  workers.set(wasmModule, w);
  return w;
}

/** XNNPACK's threads in the backend's pool (1 without the threaded build). */
export function poolThreads(backend: WasmBackendLike): number {
  const t = (backend.wasm as unknown as { tfjs?: { getThreadsCount?: () => number } }).tfjs?.getThreadsCount?.();
  return typeof t === 'number' && t > 0 ? t : 1;
}

/**
 * Runs `calls`, the first `split` of them on the worker thread while this thread runs the rest,
 * when the backend's pool has more than one thread and the worker can run; otherwise all of them
 * here, in order. Calls before and after `split` must not write what the other part reads.
 */
export function runSimdCalls(backend: WasmBackendLike, simd: SimdKernels, calls: SimdCall[], split: number): void {
  const wanted = split > 0 && split < calls.length && poolThreads(backend) > 1 && process.env.TBKIT_NO_SIMD_THREADS !== '1'; // env: for comparisons
  const w = wanted ? workerFor(backend.wasm) : null;
  let size = HEADER;
  for (let i = 0; i < split; i++) size += calls[i].length + 1;
  if (!w || size > CONTROL_INTS) {
    for (const [name, ...args] of calls) (simd[name] as (...a: number[]) => void)(...args);
    return;
  }
  const c = w.control;
  let p = HEADER;
  for (let i = 0; i < split; i++) {
    const [name, ...args] = calls[i];
    c[p] = w.names.indexOf(name);
    c[p + 1] = args.length;
    c.set(args, p + 2);
    p += 2 + args.length;
  }
  c[COUNT] = split;
  c[FAILED] = 0;
  const job = ++w.job;
  simdThreadStats.jobs++;
  Atomics.store(c, JOB, job);
  Atomics.notify(c, JOB);
  for (let i = split; i < calls.length; i++) {
    const [name, ...args] = calls[i];
    (simd[name] as (...a: number[]) => void)(...args);
  }
  const started = Date.now();
  while (Atomics.load(c, DONE) !== job) {
    Atomics.wait(c, DONE, job - 1, 1000);
    if (Atomics.load(c, DONE) !== job && Date.now() - started > WORKER_TIMEOUT_MS) {
      workers.set(backend.wasm, null);
      throw new Error(`the SIMD worker thread did not answer within ${WORKER_TIMEOUT_MS / 1000} s`);
    }
  }
  if (c[FAILED] !== 0) throw new Error('a SIMD kernel failed on its worker thread');
}
