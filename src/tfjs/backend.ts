import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels, type RegisterOptions } from './kernels/register';
import type { Tf } from './tf-types';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface SelectedBackend {
  name: string;
  tf: Tf;
}

export interface SelectBackendOptions extends RegisterOptions {
  /** Where to print why a faster backend was skipped (default: console.warn). */
  log?: (msg: string) => void;
  /**
   * XNNPACK threads for wasm; defaults to the idle cores (see
   * `wasmThreadCount`; env TBKIT_WASM_THREADS overrides). 1 = the stock
   * single-threaded SIMD build.
   */
  threads?: number;
  /**
   * Threads this process may grow to later with `setWasmThreads` (default: `threads`). Above 1 the
   * threaded build is used even when starting at 1 thread. The parallel experiment gives a run the
   * cores of the runs that finished.
   */
  maxThreads?: number;
}

const TFJS_NODE = '@tensorflow/tfjs-node';

export class BackendUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'BackendUnavailableError';
  }
}

function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0];
}

/**
 * tfjs-node registers the 'tensorflow' backend on the shared @tensorflow/tfjs
 * engine as a side effect of being required (it re-exports the same API), so
 * after this we keep using the plain `tf` import.
 */
function loadTfjsNode(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(TFJS_NODE);
}

/**
 * Threads for the wasm backend: env TBKIT_WASM_THREADS if set, else the cores
 * not already busy (cores minus the 1-minute load average, at least 1).
 * XNNPACK's thread pool splits each op evenly and waits for the slowest
 * thread, so a thread that has to share its core with another process slows
 * the whole step: more threads than idle cores make a training step slower,
 * not faster.
 */
export function wasmThreadCount(): number {
  const env = Number(process.env.TBKIT_WASM_THREADS);
  if (Number.isInteger(env) && env > 0) return env;
  const cores = Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  const busy = Math.round(os.loadavg()[0]);
  return Math.max(1, Math.min(cores, cores - busy));
}

type WasmPkg = typeof import('@tensorflow/tfjs-backend-wasm');

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: unknown[]) => unknown;
  PThread?: {
    unusedWorkers: Array<{ unref(): void }>;
    runningWorkers: Array<{ unref(): void }>;
  };
  tfjs?: { getThreadsCount(): number; initWithThreadsCount(n: number): void; [k: string]: unknown };
}

/** The Emscripten module of the threaded backend, once created (setWasmThreads resizes its pool). */
let threadedModule: EmscriptenModule | undefined;

/** Idle pool workers must not keep the process alive after the work is done. */
function unrefPoolWorkers(mod: EmscriptenModule): void {
  for (const w of [...(mod.PThread?.unusedWorkers ?? []), ...(mod.PThread?.runningWorkers ?? [])]) w.unref();
}

/**
 * Resizes XNNPACK's thread pool of the threaded wasm backend, between two ops (the C++ side's
 * init_with_threads_count replaces the pool every later op runs on; it caps at the cores). Returns
 * the threads now in use; without the threaded backend (started with threads and maxThreads 1, or
 * not wasm) nothing changes and 1 is returned. Each change makes a new pool and leaves the old
 * one's threads idle (tfjs has no call to destroy it): resize rarely, as the experiment does (at
 * most once per run).
 */
export function setWasmThreads(threads: number): number {
  const mod = threadedModule;
  if (mod?.tfjs === undefined || tf.getBackend() !== 'wasm') return 1;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`setWasmThreads: threads must be a positive integer, got ${threads}`);
  if (mod.tfjs.getThreadsCount() !== threads) {
    mod.tfjs.initWithThreadsCount(threads);
    unrefPoolWorkers(mod); // the new pool's threads run on workers taken from Emscripten's pool
  }
  return mod.tfjs.getThreadsCount();
}

/**
 * Builds the 'wasm' backend on tfjs's threaded-SIMD binary. tfjs never picks
 * that binary on Node (WASM_HAS_MULTITHREAD_SUPPORT is hard-wired false there,
 * tensorflow/tfjs#3830) because its loader hands Emscripten Blob URLs, which
 * Node's worker_threads cannot start. Emscripten's pthread code itself
 * supports Node, so we run the same factory with file paths instead. XNNPACK
 * (conv, matmul, pooling) then splits its work across cores.
 */
async function createThreadedWasmBackend(wasmPkg: WasmPkg, threads: number): Promise<tf.KernelBackend> {
  const pkgDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const factoryPath = path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const wasmPath = path.join(pkgDir, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const factory = require(factoryPath) as (cfg: object) => Promise<EmscriptenModule>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { wasmWorkerContents } = require(path.join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  // The worker source ships inside a template literal that turned its "\n"
  // escapes into real newlines; tfjs undoes that the same way before use.
  const workerSrc = wasmWorkerContents.replace(/\n/g, '\\n');
  const workerPath = path.join(os.tmpdir(), `tfjs-backend-wasm-${tf.version_core}-threaded-simd.worker.js`);
  if (!fs.existsSync(workerPath) || fs.readFileSync(workerPath, 'utf8') !== workerSrc) {
    const tmp = `${workerPath}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, workerSrc);
    fs.renameSync(tmp, workerPath);
  }
  // The C++ side caps the pool at emscripten_num_logical_cores()/2 (it assumes
  // hyper-threading) and reads that once while the module initialises; on Node
  // that is os.cpus().length, so report twice the CPUs for that moment only.
  // (The module object itself: the `import * as` namespace is read-only.)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mutableOs = require('node:os') as { cpus: typeof os.cpus };
  const realCpus = mutableOs.cpus;
  mutableOs.cpus = () => {
    const c = realCpus();
    return [...c, ...c];
  };
  let mod: EmscriptenModule;
  try {
    mod = await factory({
      locateFile: (p: string, prefix: string) =>
        p.endsWith('.worker.js') ? workerPath : p.endsWith('.wasm') ? wasmPath : prefix + p,
      mainScriptUrlOrBlob: factoryPath,
    });
  } finally {
    mutableOs.cpus = realCpus;
  }
  mod.tfjs = {
    init: mod.cwrap('init', null, []),
    initWithThreadsCount: mod.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: mod.cwrap('get_threads_count', 'number', []) as () => number,
    registerTensor: mod.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: mod.cwrap('dispose_data', null, ['number']),
    dispose: mod.cwrap('dispose', null, []),
  };
  wasmPkg.setThreadsCount(threads);
  const backend = new wasmPkg.BackendWasm(mod as unknown as ConstructorParameters<WasmPkg['BackendWasm']>[0]);
  unrefPoolWorkers(mod);
  threadedModule = mod;
  return backend;
}

let wasmConfigured = false;

async function initWasm(opts: SelectBackendOptions, log: (m: string) => void): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wasm = require('@tensorflow/tfjs-backend-wasm') as WasmPkg;
  if (!wasmConfigured && tf.findBackend('wasm') == null) {
    wasmConfigured = true;
    const threads = opts.threads ?? wasmThreadCount();
    const capacity = Math.max(threads, opts.maxThreads ?? threads);
    // Point at the package's own dist folder as a file path: that is where the
    // Node loader reads the .wasm binaries from, independent of bundling or cwd.
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(dist + path.sep);
    const registry = (tf.engine() as unknown as {
      registryFactory: Record<string, { factory: () => tf.KernelBackend | Promise<tf.KernelBackend>; priority: number }>;
    }).registryFactory;
    const stock = registry['wasm'];
    if (capacity > 1 && stock) {
      tf.removeBackend('wasm');
      tf.registerBackend('wasm', () => createThreadedWasmBackend(wasm, threads), stock.priority);
      if (!(await tf.setBackend('wasm'))) {
        log('backend: threaded wasm failed to initialise; using the single-threaded wasm build');
        tf.removeBackend('wasm');
        tf.registerBackend('wasm', stock.factory, stock.priority);
      }
    }
  }
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('tf.setBackend("wasm") returned false');
  await tf.ready();
  // After init: our replacements keep the stock kernels as fallbacks, and those
  // only get their setup (cwrap) when the backend initialises.
  registerWasmTrainingKernels(tf, opts);
}

async function initCpu(): Promise<void> {
  const ok = await tf.setBackend('cpu');
  if (!ok) throw new Error('tf.setBackend("cpu") returned false');
  await tf.ready();
  // The CPU backend prints a "Hi, looks like you are running TensorFlow.js in
  // Node.js ... install tfjs-node" banner on its first write; we have already
  // told the user which backend they get and why, so pre-empt it.
  const b = tf.backend() as unknown as { firstUse?: boolean };
  if (typeof b.firstUse === 'boolean') b.firstUse = false;
}

/**
 * Picks and initialises the tfjs backend.
 * - 'tensorflow': native TF via @tensorflow/tfjs-node; throws a clear error when it does not load.
 * - 'wasm': WebAssembly (XNNPACK) plus our training kernels.
 * - 'cpu': pure-JS reference backend (very slow for conv training).
 * - 'auto': tensorflow, else wasm, else cpu, printing why each was skipped.
 */
export async function selectBackend(
  choice: BackendChoice,
  opts: SelectBackendOptions = {},
): Promise<SelectedBackend> {
  const log = opts.log ?? ((m: string) => console.warn(m));
  switch (choice) {
    case 'tensorflow': {
      try {
        loadTfjsNode();
        if (!(await tf.setBackend('tensorflow'))) throw new Error("the 'tensorflow' backend did not initialise");
        await tf.ready();
      } catch (e) {
        throw new BackendUnavailableError(
          `Backend 'tensorflow' needs ${TFJS_NODE}, which could not be loaded (${errorText(e)}).\n` +
            `Install it with: npm install ${TFJS_NODE}   (its install step downloads libtensorflow, so it needs internet)\n` +
            `or run with --backend wasm (no native dependency; this project registers the kernels training needs).`,
          e,
        );
      }
      return { name: tf.getBackend(), tf };
    }
    case 'wasm':
      await initWasm(opts, log);
      return { name: 'wasm', tf };
    case 'cpu':
      await initCpu();
      return { name: 'cpu', tf };
    case 'auto': {
      try {
        loadTfjsNode();
        if (await tf.setBackend('tensorflow')) {
          await tf.ready();
          return { name: 'tensorflow', tf };
        }
        log(`backend: ${TFJS_NODE} loaded but the 'tensorflow' backend did not initialise; trying wasm`);
      } catch (e) {
        log(`backend: ${TFJS_NODE} not available (${errorText(e)}); using wasm`);
      }
      try {
        await initWasm(opts, log);
        return { name: 'wasm', tf };
      } catch (e) {
        log(`backend: wasm failed to initialise (${errorText(e)}); falling back to the slow cpu backend`);
      }
      await initCpu();
      return { name: 'cpu', tf };
    }
    default: {
      const never: never = choice;
      throw new Error(`unknown backend ${String(never)}`);
    }
  }
}
