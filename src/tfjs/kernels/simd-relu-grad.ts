import { add, Code, doWhileLt, f32x4Const, f32x4Gt, f32x4Mul, f32x4Ne, FuncDef, get, I32, i32c, inc, set, V128, v128Load, v128Store, vAnd, vOr } from './wasm-asm';

/**
 * `reluGrad(x, dy, dx, nBytes)`: dx = dy·step(x) for nBytes/4 floats (nBytes a positive multiple
 * of 16), with tfjs's step: 1 for x > 0, NaN for NaN, else 0 — so the result equals the stock
 * gradient, mul(dy, step(x)), bit for bit (NaNs and Inf·0 included), in one pass instead of two.
 */
export function reluGradFunc(): FuncDef {
  // params 0 x, 1 dy, 2 dx, 3 nBytes
  const [X, DY, DX, N] = [0, 1, 2, 3];
  const K = 4; // i32 local
  const V = 5; // v128 local
  const at = (base: number): Code => [...get(base), ...get(K), ...add];
  const body = [
    ...i32c(0), ...set(K),
    ...doWhileLt(K, get(N), [
      ...at(X), ...v128Load(), ...set(V),
      ...at(DX),
      ...at(DY), ...v128Load(),
      // step(x) = (1.0 & (x > 0)) | (x & (x != x))
      ...f32x4Const(1), ...get(V), ...f32x4Const(0), ...f32x4Gt, ...vAnd,
      ...get(V), ...get(V), ...get(V), ...f32x4Ne, ...vAnd, ...vOr,
      ...f32x4Mul, ...v128Store(),
      ...inc(K, i32c(16)),
    ]),
  ];
  return { name: 'reluGrad', params: 4, locals: [[1, I32], [1, V128]], body };
}
