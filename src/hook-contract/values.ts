/**
 * Step values: what a step function returns, what a hook asks for, what it receives.
 *
 * No tfjs here: tensors are duck-typed (util's TensorLike: `data()` / `dataSync()` / `dispose()`),
 * so any training loop can drive the session.
 */
import type { TensorLike } from '../util';

/**
 * A value a step function may return under a name. It is only turned into a number when some hook
 * (or the caller, via `run(fn, { fetch })`) requested that name for this step:
 * - number / bigint: used as is;
 * - Promise: awaited;
 * - tensor-like: `await v.data()` (or `dataSync()`), must hold exactly one element;
 * - a function (thunk): called only when requested, its result resolved as above — use it for
 *   values that are expensive to compute, e.g. `acc: () => accuracy(batch)`.
 */
export type LazyValue =
  | number
  | bigint
  | boolean
  | TensorLike
  | Promise<number | bigint | boolean | TensorLike>
  | (() => number | bigint | boolean | TensorLike | Promise<number | bigint | boolean | TensorLike>);

/** What a step function returns: named lazy values (or nothing). */
export type StepValues = Record<string, LazyValue> | void | undefined;

/** Resolved values passed to `afterRun`. Shared by all hooks of one step, so producers (ValidationHook) can add to it. */
export type RunValues = Record<string, number>;

/** What `beforeRun` may return: names of values it needs this step ('*' = every value the step returns). */
export type RunRequest = readonly string[] | string | void | undefined | null;
