/**
 * A coarse wall clock in seconds, like Linux's CLOCK_REALTIME_COARSE: the writers' default clock.
 *
 * Why: on the VMs tbkit is benchmarked on, `Date.now()` costs more than everything else a
 * `SummaryWriter.scalar()` call does (BENCHMARKS.md). Here a small worker thread stores
 * `Date.now() / 1000` into a SharedArrayBuffer every millisecond and a read is a plain array load.
 *
 * Precision: Date.now() itself has 1 ms resolution, so a value that is at most ~1 ms old is not
 * less precise than the Date.now() it replaces. The staleness is bounded even if the ticker thread
 * is descheduled: every CHECK_EVERY reads the main thread compares with Date.now() and uses (and
 * stores) the fresh value when the shared one lags by more than MAX_LAG. Values never go backwards
 * (the largest value returned so far is returned instead), except when the system clock itself is
 * stepped back by more than MAX_STEP_BACK, which is followed as Date.now() would be.
 *
 * Cost when idle or logging slowly: nothing. The clock starts in Date.now() mode and only switches
 * to the shared value when reads are hot (HOT_READS within one Date.now() millisecond); the first
 * hot phase starts the worker (unref'd: it never keeps the process alive; it costs what a Node
 * thread costs in RSS), the next one uses it. One worker per process, whatever the number of writers.
 * Every read decrements a counter in the shared buffer; after IDLE_TICKS ticks without reads the
 * worker stores NaN, marks itself IDLE and blocks in Atomics.wait without a timeout; the next read
 * sees NaN and falls back to Date.now() until reads are hot again, which wakes the worker.
 *
 * Anything unavailable or failing (no SharedArrayBuffer or worker_threads, the worker cannot start
 * or dies) leaves the clock in Date.now() mode for good; reads never throw.
 */

// Layout of the shared buffer (Int32 indices; each field on its own 64-byte cache line).
/** Float64 index 0: the time in seconds while the worker ticks, NaN when it does not. */
const I_STATE = 16;
const I_COUNT = 32;
const I_EPOCH = 48;
const I_SLEEP = 64;
const I_READY = 80;
const SAB_BYTES = 81 * 4;

const IDLE = 0;
const RUNNING = 1;
const STOP = 2;

/** Reads within one Date.now() millisecond that switch to the shared value. */
const HOT_READS = 32;
/** Shared-value reads between two comparisons with Date.now(). */
const CHECK_EVERY = 256;
/** A shared value older than this (seconds) is replaced by Date.now()'s at the comparison. */
const MAX_LAG = 0.002;
/** A backward step of the system clock larger than this (seconds) is followed, not hidden. */
const MAX_STEP_BACK = 1;
/** Ticks (ms) without a read after which the worker stops ticking. */
const IDLE_TICKS = 20;

/** The worker: ticks while RUNNING, waits (no timeout) while IDLE, ends on STOP. Plain JS. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const F = new Float64Array(workerData, 0, 1);
const I = new Int32Array(workerData);
let count = Atomics.load(I, ${I_COUNT}), epoch = Atomics.load(I, ${I_EPOCH}), quiet = 0;
Atomics.store(I, ${I_READY}, 1);
for (;;) {
  const state = Atomics.load(I, ${I_STATE});
  if (state === ${STOP}) break;
  if (state === ${RUNNING}) {
    F[0] = Date.now() / 1000;
    Atomics.wait(I, ${I_SLEEP}, 0, 1);
    const c = Atomics.load(I, ${I_COUNT}), e = Atomics.load(I, ${I_EPOCH});
    if (c !== count || e !== epoch) { count = c; epoch = e; quiet = 0; }
    else if (++quiet >= ${IDLE_TICKS} && Atomics.compareExchange(I, ${I_STATE}, ${RUNNING}, ${IDLE}) === ${RUNNING}) F[0] = NaN;
  } else {
    Atomics.wait(I, ${I_STATE}, ${IDLE});
    quiet = 0;
  }
}
`;

const enum Mode { Cold, Hot, Disabled }

/** The shared time (or a private NaN cell until a worker exists). */
let cell: Float64Array<ArrayBufferLike> = new Float64Array([NaN]);
/** Int32 view of the shared buffer (a private one until a worker exists). */
let ints: Int32Array<ArrayBufferLike> = new Int32Array(SAB_BYTES / 4);
/** The largest value returned so far (a typed array: no heap number per store). */
const out = new Float64Array([-Infinity]);
let mode: Mode = Mode.Cold;
let worker: { terminate(): unknown } | undefined;
/** True while `ints` is the shared buffer of a live worker. */
let shared = false;
let workerStarting = false;
/** Workers started by this module (0 or 1: one clock per process). */
let workersStarted = 0;
/** Cold mode: the Date.now() millisecond of the last read and how many reads saw it. */
let coldMs = -1;
let coldReads = 0;

/**
 * Now, in seconds since the epoch (float, ~1 ms resolution). Hot path: one shared load, one
 * comparison, one counter decrement.
 */
export function coarseNow(): number {
  const v = cell[0];
  if (v >= out[0] && --ints[I_COUNT] > 0) {
    out[0] = v;
    return v;
  }
  return slowNow(v);
}

/**
 * Everything but a fresh shared value. Small, with the rare cases in functions of their own: in a
 * process's first milliseconds (before the worker runs) this is taken on every read, so V8 inlines
 * it into the caller's loop, and what it inlines costs the writer's own code its inlining budget.
 */
function slowNow(v: number): number {
  if (mode !== Mode.Cold) return hotCheck(v);
  const ms = Date.now();
  if (ms !== coldMs) {
    coldMs = ms;
    coldReads = 1;
  } else if (++coldReads === HOT_READS) {
    goHot();
  }
  return monotonic(ms / 1000);
}

/** Hot (or disabled) mode, every CHECK_EVERY reads or when the shared value is NaN or went back. */
function hotCheck(v: number): number {
  if (mode === Mode.Hot && v === v) {
    const fresh = Date.now() / 1000;
    ints[I_COUNT] = CHECK_EVERY;
    ints[I_EPOCH]++;
    // The ticker may be descheduled: a lagging shared value is replaced by a fresh one.
    if (fresh - v > MAX_LAG) cell[0] = v = fresh;
    return monotonic(v);
  }
  if (mode === Mode.Hot) mode = Mode.Cold; // NaN: the worker went idle
  return monotonic(Date.now() / 1000);
}

function monotonic(v: number): number {
  const last = out[0];
  if (v >= last || last - v > MAX_STEP_BACK) out[0] = v;
  return out[0];
}

/** Hot reads: use the shared value if the worker is up (waking it), else start the worker. */
function goHot(): void {
  if (worker === undefined) {
    if (!workerStarting) startWorker();
    return;
  }
  if (Atomics.load(ints, I_READY) !== 1) return;
  cell[0] = Date.now() / 1000; // the main thread stores the first value itself
  ints[I_COUNT] = CHECK_EVERY;
  ints[I_EPOCH]++;
  if (Atomics.compareExchange(ints, I_STATE, IDLE, RUNNING) === IDLE) Atomics.notify(ints, I_STATE);
  mode = Mode.Hot;
}

function startWorker(): void {
  workerStarting = true;
  try {
    if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') throw new Error('no SharedArrayBuffer');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    const sab = new SharedArrayBuffer(SAB_BYTES);
    const sharedTime = new Float64Array(sab, 0, 1);
    const sharedInts = new Int32Array(sab);
    sharedTime[0] = NaN;
    sharedInts[I_STATE] = IDLE;
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: sab,
      execArgv: [], // no loaders (tsx) or profilers in a thread that only ticks
      name: 'tbkit-coarse-clock',
    });
    w.on('error', disable);
    w.on('exit', disable);
    w.unref();
    worker = w;
    workersStarted++;
    cell = sharedTime;
    ints = sharedInts;
    shared = true;
    process.once('exit', stopWorker);
  } catch {
    disable();
  }
}

/** Date.now() mode for good (the worker failed or cannot exist). */
function disable(): void {
  mode = Mode.Disabled;
  shared = false;
  cell = new Float64Array([NaN]);
  ints = new Int32Array(SAB_BYTES / 4);
}

/** At exit: lets a waiting worker end by itself (belt and braces: exit also terminates it). */
function stopWorker(): void {
  const i = ints;
  if (!shared) return;
  try {
    Atomics.store(i, I_STATE, STOP);
    Atomics.notify(i, I_STATE);
    Atomics.notify(i, I_SLEEP);
  } catch { /* never throw at exit */ }
}

export interface CoarseClockState {
  /** 'cold': Date.now() per read; 'hot': the shared value; 'disabled': Date.now() for good. */
  mode: 'cold' | 'hot' | 'disabled';
  /** The worker's state word ('none' without a live worker). */
  worker: 'none' | 'running' | 'idle' | 'stopped';
  workersStarted: number;
}

/** @internal For tests: the clock's state. */
export function coarseClockState(): CoarseClockState {
  const m = mode === Mode.Hot ? 'hot' : mode === Mode.Cold ? 'cold' : 'disabled';
  if (!shared) return { mode: m, worker: 'none', workersStarted };
  const s = Atomics.load(ints, I_STATE);
  return { mode: m, worker: s === RUNNING ? 'running' : s === IDLE ? 'idle' : 'stopped', workersStarted };
}
