/**
 * Value resolution: numbers, bigints, Promises of them, and tensors duck-typed on
 * `data()` / `dataSync()` (a tfjs tensor — tfjs itself is never imported, so tbkit works for
 * users who do not have it).
 *
 * A tensor's `data()` is called synchronously, at the time of the logging call, so that the
 * read is started before the caller can dispose the tensor (tfjs keeps the data alive for a
 * pending read). The result is awaited later, off the caller's path.
 */
import { isPromiseLike, isTensorLike, type TensorLike } from '../util';
import { argError } from './validate';

type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

export type ScalarValue = number | bigint | TensorLike | Promise<number | bigint | TensorLike>;

export type ArrayValue =
  | readonly number[]
  | NumericArray
  | TensorLike
  | Promise<readonly number[] | NumericArray | TensorLike>;

function readTensor(t: TensorLike): ArrayLike<unknown> | Promise<ArrayLike<unknown>> {
  if (typeof t.data === 'function') return t.data();
  return t.dataSync!();
}

function tensorToScalar(method: string, argument: string, data: ArrayLike<unknown>): number {
  if (data.length !== 1) {
    throw argError(method, argument, 'a tensor with exactly one element', `a tensor with ${data.length} elements`);
  }
  return plainScalar(method, argument, data[0]);
}

function plainScalar(method: string, argument: string, v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw argError(method, argument, 'a number, a bigint, a Promise of one, or a tensor with one element', v);
}

/**
 * Resolves a scalar. Returns a number when it is available now, else a Promise of it.
 * Throws synchronously for a value of the wrong type (so the caller's bug surfaces at the call).
 */
export function resolveScalar(method: string, argument: string, v: unknown): number | Promise<number> {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (isTensorLike(v)) {
    const d = readTensor(v);
    if (isPromiseLike(d)) return Promise.resolve(d).then((x) => tensorToScalar(method, argument, x));
    return tensorToScalar(method, argument, d);
  }
  if (isPromiseLike(v)) {
    return Promise.resolve(v).then((x) => resolveScalar(method, argument, x));
  }
  throw argError(method, argument, 'a number, a bigint, a Promise of one, or a tensor (an object with data()/dataSync())', v);
}

/** A resolved array of numbers plus the tensor shape when known. */
export interface ResolvedArray {
  values: ArrayLike<number>;
  shape?: readonly number[];
}

function toResolvedArray(method: string, argument: string, data: ArrayLike<unknown>, shape?: readonly number[]): ResolvedArray {
  if (ArrayBuffer.isView(data)) return { values: data as unknown as ArrayLike<number>, shape };
  for (let i = 0; i < data.length; i++) {
    if (typeof data[i] !== 'number') {
      throw argError(method, `${argument}[${i}]`, 'a number', data[i]);
    }
  }
  return { values: data as ArrayLike<number>, shape };
}

/** Resolves an array-like of numbers: an array, a typed array, a tensor, or a Promise of one. */
export function resolveArray(method: string, argument: string, v: unknown): ResolvedArray | Promise<ResolvedArray> {
  if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
    return toResolvedArray(method, argument, v as ArrayLike<unknown>);
  }
  if (isTensorLike(v)) {
    const shape = Array.isArray(v.shape) ? v.shape.slice() : undefined;
    const d = readTensor(v);
    if (isPromiseLike(d)) return Promise.resolve(d).then((x) => toResolvedArray(method, argument, x, shape));
    return toResolvedArray(method, argument, d, shape);
  }
  if (isPromiseLike(v)) {
    return Promise.resolve(v).then((x) => resolveArray(method, argument, x));
  }
  throw argError(method, argument, 'an array of numbers, a typed array, a tensor (data()/dataSync()), or a Promise of one', v);
}
