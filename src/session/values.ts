/**
 * Lazy value resolution for the session (no tfjs import: tensors are duck-typed).
 *
 * A step function returns named values that may be expensive to read (a tfjs scalar lives on the
 * backend; reading it forces a GPU→CPU sync). The session resolves only the names some hook asked
 * for in `beforeRun` — the equivalent of TF1 fetches — and disposes every tensor-like the step
 * returned once the step is over.
 */
import { isPromiseLike, isTensorLike, type TensorLike } from '../util';
import type { LazyValue, RunValues } from '../hook-contract';

/** An awaited step value as a number; anything else is a step function's mistake, named in the error. */
function stepValueToNumber(name: string, v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new TypeError(
    `step value '${name}' must be a number, bigint, boolean, a Promise of one, a one-element tensor or a function returning one; got ${v === null ? 'null' : typeof v}`,
  );
}

async function tensorScalar(name: string, t: TensorLike): Promise<number> {
  const data = typeof t.data === 'function' ? await t.data() : t.dataSync!();
  if (data.length !== 1) {
    throw new TypeError(`step value '${name}' must be a tensor with exactly one element, got ${data.length} elements`);
  }
  return stepValueToNumber(name, data[0]);
}

/**
 * Resolves one lazy value into a number. Tensor-likes created by thunks are pushed into
 * `created` so the caller can dispose them.
 */
export async function resolveLazy(name: string, v: LazyValue | unknown, created?: TensorLike[]): Promise<number> {
  let x: unknown = v;
  if (typeof x === 'function') {
    x = (x as () => unknown)();
    if (isTensorLike(x) && created) created.push(x);
  }
  if (isPromiseLike(x)) {
    x = await x;
    if (isTensorLike(x) && created && !created.includes(x)) created.push(x);
  }
  if (isTensorLike(x)) return tensorScalar(name, x);
  return stepValueToNumber(name, x);
}

/** Calls `dispose()` on every tensor-like (direct values, and the ones thunks created). Never throws. */
export function disposeAll(values: Iterable<unknown>): void {
  const seen = new Set<unknown>();
  for (const v of values) {
    if (seen.has(v)) continue;
    seen.add(v);
    if (v !== null && typeof v === 'object' && typeof (v as TensorLike).dispose === 'function') {
      try {
        (v as TensorLike).dispose!();
      } catch {
        // already disposed, or not ours to care about
      }
    }
  }
}

function isDisposable(v: unknown): v is TensorLike {
  return isTensorLike(v) || (v !== null && typeof v === 'object' && typeof (v as TensorLike).dispose === 'function');
}

/**
 * Resolves the requested names of one step's values ('*' = all of them). With `dispose`, then
 * disposes every tensor-like the step returned or a thunk created, requested or not, and whatever
 * an unrequested Promise resolves to; a rejected unrequested Promise is never left unhandled.
 */
export async function resolveStepValues(values: Record<string, LazyValue>, requested: ReadonlySet<string>, dispose: boolean): Promise<RunValues> {
  const resolved: RunValues = {};
  const created: TensorLike[] = [];
  const all = requested.has('*');
  try {
    for (const name of Object.keys(values)) {
      if (all || requested.has(name)) resolved[name] = await resolveLazy(name, values[name], created);
    }
  } finally {
    if (dispose) {
      disposeAll([...Object.values(values).filter(isDisposable), ...created]);
      for (const [name, v] of Object.entries(values)) {
        if (!(all || requested.has(name)) && v instanceof Promise) v.then((x) => disposeAll([x]), () => undefined);
      }
    }
  }
  return resolved;
}
