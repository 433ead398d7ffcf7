/**
 * Training loops that XNNPACK has no operator for, as small hand-assembled WebAssembly SIMD
 * functions that work directly on the tfjs wasm backend's memory (this module imports the very
 * WebAssembly.Memory the backend allocates its tensors in, so there is no copy in or out):
 *
 * - `maxPoolGrad2x2Row`: the gradient of a 2x2/stride-2 max pool for one row of windows, 4 channels
 *   per instruction, branch-free (the JS loop it replaces mispredicts on every ReLU-zero tie).
 * - `conv3x3FilterGradC1`: the filter gradient of a 3x3, stride-1, one-input-channel conv (the
 *   first layer) for one image, accumulated in place: dW[kh,kw,co] += Σ_ij x[i+kh, j+kw]·dy[i,j,co],
 *   4 output channels per instruction. XNNPACK can only do this as a conv with dy as the filter,
 *   which repacks all of dy (2.1M values for the BN CNN) on every call.
 * - `bnSums` / `bnMoments` / `bnApply` (./simd-batch-norm.ts): the per-channel passes of batch norm in training.
 * - `reluGrad` (./simd-relu-grad.ts): the ReLU gradient in one pass.
 * - `convFilterGradSparse` / `convInputGradSparse` (./simd-conv-sparse.ts): conv gradients that
 *   skip the zeros of dy.
 * - `convTiles` / `convFilterGradDense` / `transposeRows` (./simd-conv-dense.ts): dense stride-1
 *   convolutions and filter gradients in XNNPACK's summation order.
 *
 * The binary is assembled here from the instruction lists below (no toolchain, nothing fetched);
 * `simdKernels()` returns null where WebAssembly SIMD or the backend's memory is unavailable, and
 * the callers then keep their JS / XNNPACK paths. test/tfjs/kernels.test.ts checks every kernel,
 * through the tfjs kernels that use them, against the CPU backend.
 */

import {
  add, assemble, Code, doWhileLt, f32x4Add, f32x4Const, f32x4Gt, f32x4Mul, FuncDef, get, I32, i32c, ifLt, inc,
  load32Splat, mul, set, V128, v128Load, v128Store, vAnd, vAndNot, vBitselect, vOr,
} from './wasm-asm';
import { bnApplyFunc, bnMomentsFunc, bnSumsFunc } from './simd-batch-norm';
import { reluGradFunc } from './simd-relu-grad';
import { convFilterGradSparseFunc, convInputGradSparseFunc, nanProbeFunc } from './simd-conv-sparse';
import { convFilterGradDenseFunc, convTilesFunc, transposeRowsFunc } from './simd-conv-dense';

// ---- the kernels ---------------------------------------------------------------------------------

/**
 * maxPoolGrad2x2Row(x, dy, dx, ow, cBytes, rowBytes): one row of `ow` 2x2 windows. `x`/`dx` point at
 * the window row's top-left input element, `dy` at the row's first output; cBytes = 4·C (C a
 * multiple of 4), rowBytes = 4·W·C. Writes all four dx positions of every window: dy to the first
 * strict maximum in the order (0,0) (0,1) (1,0) (1,1) — the CPU backend's order — and +0 to the
 * others; a window of only -Inf/NaN gets no gradient, as with the CPU backend's strict '>'.
 */
function maxPoolGradFunc(): FuncDef {
  // params 0 x, 1 dy, 2 dx, 3 ow, 4 cBytes, 5 rowBytes
  const [X, DY, DX, OW, CB, RB] = [0, 1, 2, 3, 4, 5];
  // i32 locals
  const [K, OX, XP, DXP, DYP] = [6, 7, 8, 9, 10];
  // v128 locals
  const [A, B, C, D, G, M, S0, S1, S2, S3, T] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
  const addr = (base: number, extra: Code): Code => [...get(base), ...get(K), ...add, ...extra];
  const inner = [
    // a, b, c, d: the window's four inputs at channels k..k+3; g: their gradient
    ...addr(XP, []), ...v128Load(), ...set(A),
    ...addr(XP, [...get(CB), ...add]), ...v128Load(), ...set(B),
    ...addr(XP, [...get(RB), ...add]), ...v128Load(), ...set(C),
    ...addr(XP, [...get(RB), ...add, ...get(CB), ...add]), ...v128Load(), ...set(D),
    ...addr(DYP, []), ...v128Load(), ...set(G),
    // s0 = a > -inf; m = s0 ? a : -inf; s1 = b > m; m = s1 ? b : m; s2 = c > m; m = s2 ? c : m; s3 = d > m
    ...get(A), ...f32x4Const(-Infinity), ...f32x4Gt, ...set(S0),
    ...get(A), ...f32x4Const(-Infinity), ...get(S0), ...vBitselect, ...set(M),
    ...get(B), ...get(M), ...f32x4Gt, ...set(S1),
    ...get(B), ...get(M), ...get(S1), ...vBitselect, ...set(M),
    ...get(C), ...get(M), ...f32x4Gt, ...set(S2),
    ...get(C), ...get(M), ...get(S2), ...vBitselect, ...set(M),
    ...get(D), ...get(M), ...f32x4Gt, ...set(S3),
    // the last strict maximum wins: (1,1) if s3, else (1,0) if s2, else (0,1) if s1, else (0,0) if s0
    ...addr(DXP, [...get(RB), ...add, ...get(CB), ...add]), ...get(G), ...get(S3), ...vAnd, ...v128Store(),
    ...addr(DXP, [...get(RB), ...add]), ...get(G), ...get(S2), ...vAnd, ...get(S3), ...vAndNot, ...v128Store(),
    ...get(S3), ...get(S2), ...vOr, ...set(T),
    ...addr(DXP, [...get(CB), ...add]), ...get(G), ...get(S1), ...vAnd, ...get(T), ...vAndNot, ...v128Store(),
    ...get(T), ...get(S1), ...vOr, ...set(T),
    ...addr(DXP, []), ...get(G), ...get(S0), ...vAnd, ...get(T), ...vAndNot, ...v128Store(),
    ...inc(K, i32c(16)),
  ];
  const body = [
    ...get(X), ...set(XP), ...get(DX), ...set(DXP), ...get(DY), ...set(DYP), ...i32c(0), ...set(OX),
    ...ifLt(i32c(0), get(OW), doWhileLt(OX, get(OW), [
      ...i32c(0), ...set(K),
      ...doWhileLt(K, get(CB), inner),
      // next window: two input columns on, one output on
      ...inc(XP, [...get(CB), ...get(CB), ...add]),
      ...inc(DXP, [...get(CB), ...get(CB), ...add]),
      ...inc(DYP, get(CB)),
      ...inc(OX, i32c(1)),
    ])),
  ];
  return { name: 'maxPoolGrad2x2Row', params: 6, locals: [[5, I32], [11, V128]], body };
}

/**
 * conv3x3FilterGradC1(x, dy, acc, oh, ow, xRowBytes, coBytes): for one image, x [oh+2.., W] (one
 * channel, rows xRowBytes apart), dy [oh, ow, CO] and acc [3, 3, CO] (coBytes = 4·CO, CO a multiple
 * of 4): acc[kh,kw,co] += Σ_{i<oh, j<ow} x[i+kh, j+kw]·dy[i,j,co]. Four output channels at a time,
 * the nine accumulators kept in registers over the whole image.
 */
function filterGradFunc(): FuncDef {
  // params 0 x, 1 dy, 2 acc, 3 oh, 4 ow, 5 xRowBytes, 6 coBytes
  const [X, DY, ACC, OH, OW, XRB, COB] = [0, 1, 2, 3, 4, 5, 6];
  // i32 locals
  const [CB, I, J, XR0, XP0, XP1, XP2, DYP, AP] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
  // v128 locals: 9 accumulators and the dy vector
  const ACCV = [16, 17, 18, 19, 20, 21, 22, 23, 24];
  const V = 25;
  const tapRows = [XP0, XP1, XP2];
  const accAddr = (t: number): Code => [...get(AP), ...get(COB), ...i32c(t), ...mul, ...add];
  const taps: Code = [];
  for (let kh = 0; kh < 3; kh++) {
    for (let kw = 0; kw < 3; kw++) {
      const a = ACCV[kh * 3 + kw];
      taps.push(...get(a), ...get(tapRows[kh]), ...load32Splat(4 * kw), ...get(V), ...f32x4Mul, ...f32x4Add, ...set(a));
    }
  }
  const loadAcc: Code = [];
  const storeAcc: Code = [];
  for (let t = 0; t < 9; t++) {
    loadAcc.push(...accAddr(t), ...v128Load(), ...set(ACCV[t]));
    storeAcc.push(...accAddr(t), ...get(ACCV[t]), ...v128Store());
  }
  const body = [
    ...i32c(0), ...set(CB),
    ...ifLt(i32c(0), get(COB), doWhileLt(CB, get(COB), [
      ...get(ACC), ...get(CB), ...add, ...set(AP),
      ...loadAcc,
      ...get(DY), ...get(CB), ...add, ...set(DYP),
      ...get(X), ...set(XR0),
      ...i32c(0), ...set(I),
      ...ifLt(i32c(0), get(OH), doWhileLt(I, get(OH), [
        ...get(XR0), ...set(XP0),
        ...get(XR0), ...get(XRB), ...add, ...set(XP1),
        ...get(XR0), ...get(XRB), ...add, ...get(XRB), ...add, ...set(XP2),
        ...i32c(0), ...set(J),
        ...ifLt(i32c(0), get(OW), doWhileLt(J, get(OW), [
          ...get(DYP), ...v128Load(), ...set(V),
          ...taps,
          ...inc(DYP, get(COB)),
          ...inc(XP0, i32c(4)), ...inc(XP1, i32c(4)), ...inc(XP2, i32c(4)),
          ...inc(J, i32c(1)),
        ])),
        ...inc(XR0, get(XRB)),
        ...inc(I, i32c(1)),
      ])),
      ...storeAcc,
      ...inc(CB, i32c(16)),
    ])),
  ];
  return { name: 'conv3x3FilterGradC1', params: 7, locals: [[9, I32], [10, V128]], body };
}

function allFuncs(): FuncDef[] {
  return [maxPoolGradFunc(), filterGradFunc(), bnSumsFunc(), bnMomentsFunc(), bnApplyFunc(), reluGradFunc(), convFilterGradSparseFunc(), convInputGradSparseFunc(), nanProbeFunc(),
    convTilesFunc(), convFilterGradDenseFunc(), transposeRowsFunc()];
}

// ---- loading -------------------------------------------------------------------------------------

export interface SimdKernels {
  maxPoolGrad2x2Row(x: number, dy: number, dx: number, ow: number, cBytes: number, rowBytes: number): void;
  conv3x3FilterGradC1(x: number, dy: number, acc: number, oh: number, ow: number, xRowBytes: number, coBytes: number): void;
  bnSums(a: number, b: number, s: number, acc1: number, acc2: number, count: number, cBytes: number): void;
  bnMoments(x: number, s: number, acc1: number, acc2: number, count: number, cBytes: number): void;
  bnApply(a: number, b: number, s: number, A: number, B: number, Cc: number, out: number, count: number, cBytes: number): void;
  reluGrad(x: number, dy: number, dx: number, nBytes: number): void;
  convFilterGradSparse(x: number, dwT: number, dy: number, oh: number, ow: number, co: number, rowStep: number, colStep: number, xRowBytes: number, kh: number, segBytes: number, tapsBytes: number): void;
  nanProbe(p: number, nBytes: number, out: number): void;
  convInputGradSparse(dx: number, wT: number, dy: number, oh: number, ow: number, co: number, rowStep: number, colStep: number, dxRowBytes: number, kh: number, segBytes: number, tapsBytes: number): void;
  convTiles(list: number, count: number, w: number, init: number, rows: number, segBytes: number, rowBytes: number, wRowSkip: number, inBase: number, outBase: number, panels: number, panelBytes: number): void;
  transposeRows(src: number, dst: number, outer: number, inner: number, rowBytes: number, srcOuterStep: number, srcInnerStep: number): void;
  convFilterGradDense(x: number, dy: number, dw: number, n: number, kh: number, kw: number, cinBytes: number, coutBytes: number, rowBytes: number, pixBytes: number, xImageBytes: number, dyImageBytes: number, coFromBytes: number, coToBytes: number): void;
}

// The WebAssembly JS API, typed locally (this project's tsconfig has no DOM lib, and @types/node
// does not declare it).
interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmApi {
  Memory: new (d: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface EmscriptenLike {
  wasmMemory?: WasmMemory;
  asm?: { memory?: WasmMemory };
}

const cache = new WeakMap<object, SimdKernels | null>();
/** The module bytes and memory behind the kernels of a backend whose memory is shared (the threaded build). */
const sharedModules = new WeakMap<object, { memory: WasmMemory; bytes: Uint8Array; names: string[] }>();

/** The backend module's WebAssembly.Memory: `wasmMemory` (threaded build) or the exported one. */
function memoryOf(wasm: EmscriptenLike): WasmMemory | undefined {
  const m = wasm.wasmMemory ?? wasm.asm?.memory;
  return WA && m instanceof WA.Memory ? m : undefined;
}

/**
 * The kernels bound to `wasmModule`'s memory (the backend's `wasm` property), or null where they
 * cannot run (no SIMD, memory not reachable; env TBKIT_NO_SIMD_KERNELS=1 also turns them off, for
 * comparisons).
 */
export function simdKernels(wasmModule: object): SimdKernels | null {
  if (cache.has(wasmModule)) return cache.get(wasmModule)!;
  let k: SimdKernels | null = null;
  try {
    const memory = process.env.TBKIT_NO_SIMD_KERNELS === '1' ? undefined : memoryOf(wasmModule as EmscriptenLike);
    if (memory && WA) {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const bytes = assemble(allFuncs(), shared);
      const inst = new WA.Instance(new WA.Module(bytes), { env: { memory } });
      k = inst.exports as unknown as SimdKernels;
      if (shared) sharedModules.set(wasmModule, { memory, bytes, names: Object.keys(inst.exports) });
    }
  } catch {
    k = null; // e.g. a runtime without WebAssembly SIMD
  }
  cache.set(wasmModule, k);
  return k;
}

/**
 * What a second thread needs to run the same kernels on the same memory (./simd-threads.ts): set
 * once `simdKernels` has loaded them on a shared memory, else undefined.
 */
export function sharedSimdModule(wasmModule: object): { memory: object; bytes: Uint8Array; names: string[] } | undefined {
  return sharedModules.get(wasmModule);
}
