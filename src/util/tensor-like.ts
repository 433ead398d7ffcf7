/**
 * The duck types tbkit accepts wherever a value may be a tensor or a promise: a tfjs tensor is
 * anything with `data()` (async, preferred) or `dataSync()`, so the writer and the harness accept
 * tensors without importing tfjs. One definition for the summary writer and the session.
 */

/** Anything shaped like a tfjs tensor; `dispose()`, `shape` and `dtype` are used when present. */
export interface TensorLike {
  data?(): Promise<ArrayLike<number | bigint | boolean> | ArrayLike<unknown>>;
  dataSync?(): ArrayLike<number | bigint | boolean> | ArrayLike<unknown>;
  dispose?(): void;
  shape?: readonly number[];
  dtype?: string;
}

export function isTensorLike(v: unknown): v is TensorLike {
  return (
    v !== null &&
    typeof v === 'object' &&
    (typeof (v as TensorLike).data === 'function' || typeof (v as TensorLike).dataSync === 'function')
  );
}

export function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function';
}
