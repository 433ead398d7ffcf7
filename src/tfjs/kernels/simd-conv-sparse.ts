import {
  add, Code, doWhileLt, f32Const, f32Load, f32Ne, f32x4Add, f32x4Const, f32x4Mul, f32x4Ne, FuncDef, get, I32, i32c,
  ifLt, ifTrue, inc, load32Splat, mul, set, V128, v128Load, v128Store, vAnyTrue,
} from './wasm-asm';

/**
 * The two gradients of a convolution, driven by the nonzeros of dy. Behind a ReLU and a max pool
 * at most a quarter of dy is nonzero (one position per pool window, and only where the ReLU was
 * open), and a network whose units died gives an all-zero dy; a dense GEMM multiplies every zero.
 * Here each nonzero g = dy[i,j,co] costs one axpy per filter row, over KW·Cin contiguous floats on
 * both sides (the kw taps of one filter row are adjacent in NHWC, and so are they in the
 * [co, kh, kw, ci] filter layout used here):
 *
 * - `convFilterGradSparse`: dWᵀ[co,kh,:] += g · x[i·sH+kh, j·sW : j·sW+KW, :]   (x zero-padded)
 * - `convInputGradSparse`:  dx[i·sH+kh, j·sW : j·sW+KW, :] += g · Wᵀ[co,kh,:]   (dx zero-padded)
 *
 * One call handles one image. Arguments (bytes unless counts): p = the image-side tensor (x or
 * dx, NHWC with rows pRowBytes apart), q = the [CO, KH, KW·Cin] filter-side tensor, dy = the
 * image's dy [OH, OW, CO]; oh, ow, co = counts (co a multiple of 4); rowStep/colStep = how far p moves per output row /
 * column (sH·pRowBytes, sW·4·Cin); kh = filter rows; segBytes = 4·KW·Cin (a multiple of 16);
 * tapsBytes = KH·segBytes. Zero tests are f32 '!=': NaN counts as nonzero, −0 as zero.
 */
function convGradSparseFunc(name: string, intoFilter: boolean): FuncDef {
  const [P, Q, DY, OH, OW, CO, ROWSTEP, COLSTEP, PROWB, KH, SEGB, TAPSB] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [I, J, C, PROW, PPIX, D, QC, A, K, PA, QA, DA, SA] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
  const GV = 25;
  const [dst, src] = intoFilter ? [QA, PA] : [PA, QA];
  const at = (base: number): Code => [...get(base), ...get(K), ...add];
  // dst[K + o] += g · src[K + o] for one vector at byte offset o: addresses once per group, the
  // offsets as the instructions' immediates.
  const axpy = (o: number): Code => [...get(DA), ...get(DA), ...v128Load(o), ...get(GV), ...get(SA), ...v128Load(o), ...f32x4Mul, ...f32x4Add, ...v128Store(o)];
  const group = (n: number): Code => [...at(dst), ...set(DA), ...at(src), ...set(SA), ...Array.from({ length: n }, (_, i) => axpy(16 * i)).flat(), ...inc(K, i32c(16 * n))];
  // Four vectors per iteration while they fit, then one at a time (segBytes is a multiple of 16).
  const axpyRow = [
    ...i32c(0), ...set(K),
    ...ifLt(i32c(48), get(SEGB), doWhileLt(K, [...get(SEGB), ...i32c(-48), ...add], group(4))),
    ...ifLt(get(K), get(SEGB), doWhileLt(K, get(SEGB), group(1))),
  ];
  // One nonzero, lane `l` of the 4 dy values at D: its axpy into / from the filter rows of channel C+l.
  const perNonzero = (l: number): Code => [
    ...get(D), ...load32Splat(4 * l), ...set(GV),
    ...get(PPIX), ...set(PA), ...get(QC), ...get(TAPSB), ...i32c(l), ...mul, ...add, ...set(QA), ...i32c(0), ...set(A),
    ...doWhileLt(A, get(KH), [
      ...axpyRow,
      ...inc(PA, get(PROWB)), ...inc(QA, get(SEGB)), ...inc(A, i32c(1)),
    ]),
  ];
  // dy is scanned 4 channels at a time: an all-zero group (the common case) costs one test.
  const lanes: Code = [];
  for (let l = 0; l < 4; l++) lanes.push(...get(D), ...f32Load(4 * l), ...f32Const(0), ...f32Ne, ...ifTrue(perNonzero(l)));
  const perPixel = [
    ...get(Q), ...set(QC), ...i32c(0), ...set(C),
    ...doWhileLt(C, get(CO), [
      ...get(D), ...v128Load(), ...f32x4Const(0), ...f32x4Ne, ...vAnyTrue, ...ifTrue(lanes),
      ...inc(D, i32c(16)), ...inc(QC, [...get(TAPSB), ...get(TAPSB), ...add, ...get(TAPSB), ...add, ...get(TAPSB), ...add]), ...inc(C, i32c(4)),
    ]),
  ];
  const body = [
    ...get(DY), ...set(D), ...get(P), ...set(PROW), ...i32c(0), ...set(I),
    ...ifLt(i32c(0), get(OH), ifLt(i32c(0), get(OW), ifLt(i32c(0), get(CO), ifLt(i32c(0), get(KH), doWhileLt(I, get(OH), [
      ...get(PROW), ...set(PPIX), ...i32c(0), ...set(J),
      ...doWhileLt(J, get(OW), [...perPixel, ...inc(PPIX, get(COLSTEP)), ...inc(J, i32c(1))]),
      ...inc(PROW, get(ROWSTEP)), ...inc(I, i32c(1)),
    ]))))),
  ];
  return { name, params: 12, locals: [[13, I32], [1, V128]], body };
}

export const convFilterGradSparseFunc = (): FuncDef => convGradSparseFunc('convFilterGradSparse', true);
export const convInputGradSparseFunc = (): FuncDef => convGradSparseFunc('convInputGradSparse', false);

/**
 * `nanProbe(p, nBytes, out)`: out[0..3] = lane sums of p[i]·0 over nBytes/4 floats (nBytes a
 * positive multiple of 16): all zero exactly when every value is finite.
 */
export function nanProbeFunc(): FuncDef {
  const [P, N, OUT] = [0, 1, 2];
  const K = 3;
  const [S0, S1] = [4, 5];
  const body = [
    ...i32c(0), ...set(K), ...f32x4Const(0), ...set(S0), ...f32x4Const(0), ...set(S1),
    // two accumulators: the adds' latency, not the loads, bounds this loop
    ...ifLt(i32c(16), get(N), doWhileLt(K, [...get(N), ...i32c(-16), ...add], [
      ...get(S0), ...get(P), ...get(K), ...add, ...v128Load(), ...f32x4Const(0), ...f32x4Mul, ...f32x4Add, ...set(S0),
      ...get(S1), ...get(P), ...get(K), ...add, ...v128Load(16), ...f32x4Const(0), ...f32x4Mul, ...f32x4Add, ...set(S1),
      ...inc(K, i32c(32)),
    ])),
    ...ifLt(get(K), get(N), [
      ...get(S0), ...get(P), ...get(K), ...add, ...v128Load(), ...f32x4Const(0), ...f32x4Mul, ...f32x4Add, ...set(S0),
    ]),
    ...get(OUT), ...get(S0), ...get(S1), ...f32x4Add, ...v128Store(),
  ];
  return { name: 'nanProbe', params: 3, locals: [[1, I32], [2, V128]], body };
}
