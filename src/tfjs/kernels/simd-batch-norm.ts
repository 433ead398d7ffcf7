import { add, Code, doWhileLt, f32x4Add, f32x4Mul, f32x4Sub, FuncDef, get, I32, i32c, ifLt, inc, set, V128, v128Load, v128Store } from './wasm-asm';

/**
 * The three per-channel loops of batch normalization in training, over `count` rows of C channels
 * (NHWC flattened to [rows, C]; cBytes = 4·C, C a multiple of 4), 4 channels per instruction.
 * Per-channel vectors (s, A, B, Cc, acc1, acc2) are C floats each. Every pass of the forward and
 * the backward step is one of these (./batch-norm-training.ts):
 *
 * - `bnSums(a, b, s, acc1, acc2, count, cBytes)`: acc1[c] += Σ a[r,c]; acc2[c] += Σ a[r,c]·(b[r,c] − s[c]).
 *   (The backward pass: a = dy, b = x, s = mean gives Σdy and Σdy·(x−mean).)
 *   The accumulators live in memory, not registers: successive updates of one accumulator are C/4
 *   iterations apart, so the store-to-load latency is hidden, and any C works with one loop.
 * - `bnMoments(x, s, acc1, acc2, count, cBytes)`: d = x − s[c]; acc1[c] += Σd; acc2[c] += Σd². With s
 *   close to the mean (the mean of the first rows) this gives mean and variance in one pass
 *   without the cancellation of Σx² − N·mean².
 * - `bnApply(a, b, s, A, B, Cc, out, count, cBytes)`: out[r,c] = a[r,c]·A[c] + (b[r,c] − s[c])·B[c] + Cc[c].
 *   (Forward: a = b = x, A = 0, s = mean; backward: a = dy, b = x, s = mean. Subtracting the mean
 *   before scaling keeps float32 precision when the mean is large next to the spread.)
 */
export function bnSumsFunc(): FuncDef {
  // params 0 a, 1 b, 2 s, 3 acc1, 4 acc2, 5 count, 6 cBytes
  const [A, B, S, ACC1, ACC2, COUNT, CB] = [0, 1, 2, 3, 4, 5, 6];
  const [R, K, AP, BP] = [7, 8, 9, 10]; // i32 locals
  const [VA, VD] = [11, 12]; // v128 locals
  const at = (base: number): Code => [...get(base), ...get(K), ...add];
  const inner = [
    ...at(AP), ...v128Load(), ...set(VA),
    ...at(ACC1), ...at(ACC1), ...v128Load(), ...get(VA), ...f32x4Add, ...v128Store(),
    ...at(BP), ...v128Load(), ...at(S), ...v128Load(), ...f32x4Sub, ...set(VD),
    ...at(ACC2), ...at(ACC2), ...v128Load(), ...get(VA), ...get(VD), ...f32x4Mul, ...f32x4Add, ...v128Store(),
    ...inc(K, i32c(16)),
  ];
  const body = [
    ...get(A), ...set(AP), ...get(B), ...set(BP), ...i32c(0), ...set(R),
    ...ifLt(i32c(0), get(COUNT), doWhileLt(R, get(COUNT), [
      ...i32c(0), ...set(K),
      ...doWhileLt(K, get(CB), inner),
      ...inc(AP, get(CB)), ...inc(BP, get(CB)), ...inc(R, i32c(1)),
    ])),
  ];
  return { name: 'bnSums', params: 7, locals: [[4, I32], [2, V128]], body };
}

export function bnMomentsFunc(): FuncDef {
  // params 0 x, 1 s, 2 acc1, 3 acc2, 4 count, 5 cBytes
  const [X, S, ACC1, ACC2, COUNT, CB] = [0, 1, 2, 3, 4, 5];
  const [R, K, XP] = [6, 7, 8]; // i32 locals
  const VD = 9; // v128 local
  const at = (base: number): Code => [...get(base), ...get(K), ...add];
  const inner = [
    ...at(XP), ...v128Load(), ...at(S), ...v128Load(), ...f32x4Sub, ...set(VD),
    ...at(ACC1), ...at(ACC1), ...v128Load(), ...get(VD), ...f32x4Add, ...v128Store(),
    ...at(ACC2), ...at(ACC2), ...v128Load(), ...get(VD), ...get(VD), ...f32x4Mul, ...f32x4Add, ...v128Store(),
    ...inc(K, i32c(16)),
  ];
  const body = [
    ...get(X), ...set(XP), ...i32c(0), ...set(R),
    ...ifLt(i32c(0), get(COUNT), doWhileLt(R, get(COUNT), [
      ...i32c(0), ...set(K),
      ...doWhileLt(K, get(CB), inner),
      ...inc(XP, get(CB)), ...inc(R, i32c(1)),
    ])),
  ];
  return { name: 'bnMoments', params: 6, locals: [[3, I32], [1, V128]], body };
}

export function bnApplyFunc(): FuncDef {
  // params 0 a, 1 b, 2 s, 3 A, 4 B, 5 Cc, 6 out, 7 count, 8 cBytes
  const [A, B, S, PA, PB, PC, OUT, COUNT, CB] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [R, K, AP, BP, OP] = [9, 10, 11, 12, 13]; // i32 locals
  const at = (base: number): Code => [...get(base), ...get(K), ...add];
  const inner = [
    ...at(OP),
    ...at(AP), ...v128Load(), ...at(PA), ...v128Load(), ...f32x4Mul,
    ...at(BP), ...v128Load(), ...at(S), ...v128Load(), ...f32x4Sub, ...at(PB), ...v128Load(), ...f32x4Mul, ...f32x4Add,
    ...at(PC), ...v128Load(), ...f32x4Add,
    ...v128Store(),
    ...inc(K, i32c(16)),
  ];
  const body = [
    ...get(A), ...set(AP), ...get(B), ...set(BP), ...get(OUT), ...set(OP), ...i32c(0), ...set(R),
    ...ifLt(i32c(0), get(COUNT), doWhileLt(R, get(COUNT), [
      ...i32c(0), ...set(K),
      ...doWhileLt(K, get(CB), inner),
      ...inc(AP, get(CB)), ...inc(BP, get(CB)), ...inc(OP, get(CB)), ...inc(R, i32c(1)),
    ])),
  ];
  return { name: 'bnApply', params: 9, locals: [[5, I32]], body };
}
