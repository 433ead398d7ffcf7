import {
  add, Code, doWhileLt, f32x4Add, f32x4Mul, FuncDef, get, I32, i32c, i32Load, ifLt, inc, load32Splat, mul, set, V128, v128Load, v128Store,
} from './wasm-asm';

/**
 * Dense convolution loops for stride-1 convs, summing in exactly XNNPACK's order, so that their
 * results are bit for bit those of the XNNPACK convolutions they replace (test/tfjs checks it).
 * Both keep a register tile of 4 × 8 accumulators (4 lanes × 2 vectors per row) and do one
 * multiply and one add per product, as XNNPACK's wasm kernels do (no fused multiply-add); they
 * are faster by their blocking, not by other arithmetic.
 *
 * - `convTiles`: an implicit GEMM over output pixels, 4 pixels × 8 output channels per tile:
 *   out[m, 0..7] = init[0..7] + Σ_{r<rows, k<seg} in[inBase + list_m + r·rowBytes + 4k] · w[r, k, 0..7]
 *   in (r, k) order. With stride 1 in NHWC a window row's taps and channels are one contiguous
 *   run, so k = (tap, channel): XNNPACK's igemm order, with its bias first. `list` holds `count`
 *   tiles of 4 input and 4 output byte offsets, relative to inBase and outBase (a short tile
 *   repeats a pixel: the same value is written twice); `w` walks a panel of 8 channels, skipping
 *   wRowSkip bytes after each row. Each tile is done for `panels` panels panelBytes apart (init
 *   and the outputs move 8 channels on per panel) before the next tile. Forward: in = x, init =
 *   the bias. Input gradient: in = dy, w = the rotated filter, init = zeros, and only the window
 *   rows and columns that fall inside dy: the rest is XNNPACK's zero padding, which is exact to
 *   skip when the filter is finite.
 * - `convFilterGradDense`: dW[kh, kw, ci, co] += Σ_b x[b, i+kh, j+kw, ci] · dy[b, i, j, co] for one
 *   output position (i, j), `n` images (xImageBytes / dyImageBytes apart), all (kh, kw, ci) and
 *   the channels co in [coFrom, coTo): called for (i, j) in row-major order and images in order,
 *   it sums in XNNPACK's order for its conv with dy as the filter. dW lives in memory between
 *   calls (partial sums stored and reloaded unchanged).
 * - `transposeRows`: the row copy that puts the images innermost for it.
 */

/** Pixels per `convTiles` tile (the list holds this many input and output offsets per tile). */
export const TILE_PIXELS = 4;
/** dW rows (input channels) per `convFilterGradDense` tile. */
const DW_ROWS = 4;

export function convTilesFunc(): FuncDef {
  const MR = TILE_PIXELS;
  // params 0 list, 1 count, 2 w, 3 init, 4 rows, 5 segBytes, 6 rowBytes, 7 wRowSkip, 8 inBase, 9 outBase,
  // 10 panels, 11 panelBytes
  const [LIST, COUNT, W, INIT, ROWS, SEGB, ROWB, WSKIP, INBASE, OUTBASE, PANELS, PANELB] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  // i32 locals
  const [TI, LP, R, K, WP, RP, Q, PN, WB, IB, OB] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
  const P = Array.from({ length: MR }, (_, m) => 23 + m);
  // v128 locals: acc[m][v] = ACC[2m + v]
  const ACC = Array.from({ length: 2 * MR }, (_, i) => 23 + MR + i);
  const [W0, W1, S] = [23 + 3 * MR, 24 + 3 * MR, 25 + 3 * MR];
  const step: Code = [...get(WP), ...v128Load(0), ...set(W0), ...get(WP), ...v128Load(16), ...set(W1)];
  for (let m = 0; m < MR; m++) {
    step.push(...get(P[m]), ...load32Splat(0), ...set(S));
    step.push(...get(ACC[2 * m]), ...get(S), ...get(W0), ...f32x4Mul, ...f32x4Add, ...set(ACC[2 * m]));
    step.push(...get(ACC[2 * m + 1]), ...get(S), ...get(W1), ...f32x4Mul, ...f32x4Add, ...set(ACC[2 * m + 1]));
  }
  step.push(...inc(WP, i32c(32)));
  for (let m = 0; m < MR; m++) step.push(...inc(P[m], i32c(4)));
  step.push(...inc(K, i32c(4)));
  const perRow: Code = [];
  for (let m = 0; m < MR; m++) perRow.push(...get(RP), ...get(LP), ...i32Load(4 * m), ...add, ...set(P[m]));
  perRow.push(...i32c(0), ...set(K), ...doWhileLt(K, get(SEGB), step), ...inc(WP, get(WSKIP)));
  const loadAcc: Code = [];
  for (let m = 0; m < MR; m++) {
    loadAcc.push(...get(IB), ...v128Load(0), ...set(ACC[2 * m]), ...get(IB), ...v128Load(16), ...set(ACC[2 * m + 1]));
  }
  const storeAcc: Code = [];
  for (let m = 0; m < MR; m++) {
    storeAcc.push(...get(LP), ...i32Load(4 * MR + 4 * m), ...get(OB), ...add, ...set(Q));
    storeAcc.push(...get(Q), ...get(ACC[2 * m]), ...v128Store(0), ...get(Q), ...get(ACC[2 * m + 1]), ...v128Store(16));
  }
  // Every panel for one tile: its input rows stay in the L1 cache, the panels in L2.
  const perPanel = [
    ...loadAcc,
    ...get(WB), ...set(WP), ...get(INBASE), ...set(RP), ...i32c(0), ...set(R),
    ...doWhileLt(R, get(ROWS), [...perRow, ...inc(RP, get(ROWB)), ...inc(R, i32c(1))]),
    ...storeAcc,
    ...inc(WB, get(PANELB)), ...inc(IB, i32c(32)), ...inc(OB, i32c(32)), ...inc(PN, i32c(1)),
  ];
  const perTile = [
    ...get(W), ...set(WB), ...get(INIT), ...set(IB), ...get(OUTBASE), ...set(OB), ...i32c(0), ...set(PN),
    ...doWhileLt(PN, get(PANELS), perPanel),
  ];
  const body = [
    ...get(LIST), ...set(LP), ...i32c(0), ...set(TI),
    ...ifLt(i32c(0), get(COUNT), ifLt(i32c(0), get(ROWS), ifLt(i32c(0), get(SEGB), ifLt(i32c(0), get(PANELS), doWhileLt(TI, get(COUNT), [
      ...perTile, ...inc(LP, i32c(8 * MR)), ...inc(TI, i32c(1)),
    ]))))),
  ];
  return { name: 'convTiles', params: 12, locals: [[11 + MR, I32], [2 * MR + 3, V128]], body };
}

export function convFilterGradDenseFunc(): FuncDef {
  // params 0 x, 1 dy, 2 dw, 3 n, 4 kh, 5 kw, 6 cinBytes, 7 coutBytes, 8 rowBytes, 9 pixBytes, 10 xImageBytes, 11 dyImageBytes,
  // 12 coFrom, 13 coTo (the output channels of this call, in bytes: a thread's share)
  const [X, DY, DW, N, KH, KW, CINB, COUTB, ROWB, PIXB, XIMG, DYIMG, COFROM, COTO] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  // i32 locals
  const [A, XA, T, XB, C, CO, WR, XP, DP, BI] = [14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
  const Q = [24, 25, 26, 27]; // the 4 dW rows of the tile
  const ACC = [28, 29, 30, 31, 32, 33, 34, 35];
  const [D0, D1, S] = [36, 37, 38];
  const perImage: Code = [...get(DP), ...v128Load(0), ...set(D0), ...get(DP), ...v128Load(16), ...set(D1)];
  for (let r = 0; r < DW_ROWS; r++) {
    perImage.push(...get(XP), ...load32Splat(4 * r), ...set(S));
    perImage.push(...get(ACC[2 * r]), ...get(S), ...get(D0), ...f32x4Mul, ...f32x4Add, ...set(ACC[2 * r]));
    perImage.push(...get(ACC[2 * r + 1]), ...get(S), ...get(D1), ...f32x4Mul, ...f32x4Add, ...set(ACC[2 * r + 1]));
  }
  perImage.push(...inc(XP, get(XIMG)), ...inc(DP, get(DYIMG)), ...inc(BI, i32c(1)));
  const loadAcc: Code = [];
  const storeAcc: Code = [];
  for (let r = 0; r < DW_ROWS; r++) {
    loadAcc.push(...get(WR), ...get(CO), ...add, ...(r === 0 ? [] : [...get(COUTB), ...i32c(r), ...mul, ...add]), ...set(Q[r]));
    loadAcc.push(...get(Q[r]), ...v128Load(0), ...set(ACC[2 * r]), ...get(Q[r]), ...v128Load(16), ...set(ACC[2 * r + 1]));
    storeAcc.push(...get(Q[r]), ...get(ACC[2 * r]), ...v128Store(0), ...get(Q[r]), ...get(ACC[2 * r + 1]), ...v128Store(16));
  }
  const perCoBlock = [
    ...loadAcc,
    ...get(XB), ...get(C), ...add, ...set(XP), ...get(DY), ...get(CO), ...add, ...set(DP), ...i32c(0), ...set(BI),
    ...doWhileLt(BI, get(N), perImage),
    ...storeAcc,
    ...inc(CO, i32c(32)),
  ];
  const perCiBlock = [
    ...get(COFROM), ...set(CO),
    ...doWhileLt(CO, get(COTO), perCoBlock),
    // the next 4 input channels: 4 dW rows on
    ...inc(WR, [...get(COUTB), ...get(COUTB), ...add, ...get(COUTB), ...add, ...get(COUTB), ...add]),
    ...inc(C, i32c(16)),
  ];
  const body = [
    ...get(DW), ...set(WR), ...get(X), ...set(XA), ...i32c(0), ...set(A),
    ...ifLt(i32c(0), get(N), ifLt(i32c(0), get(KH), ifLt(i32c(0), get(KW), ifLt(get(COFROM), get(COTO), doWhileLt(A, get(KH), [
      ...get(XA), ...set(XB), ...i32c(0), ...set(T),
      ...doWhileLt(T, get(KW), [
        ...i32c(0), ...set(C),
        ...doWhileLt(C, get(CINB), perCiBlock),
        ...inc(XB, get(PIXB)), ...inc(T, i32c(1)),
      ]),
      ...inc(XA, get(ROWB)), ...inc(A, i32c(1)),
    ]))))),
  ];
  return { name: 'convFilterGradDense', params: 14, locals: [[14, I32], [11, V128]], body };
}

/**
 * `transposeRows(src, dst, outer, inner, rowBytes, srcOuterStep, srcInnerStep)`: copies `outer` ×
 * `inner` rows of rowBytes (a multiple of 16) into dst one after another, row (o, i) from
 * src + o·srcOuterStep + i·srcInnerStep: e.g. [N, P, C] → [P, N, C] with outer = P, inner = N.
 */
export function transposeRowsFunc(): FuncDef {
  const [SRC, DST, OUTER, INNER, ROWB, OSTEP, ISTEP] = [0, 1, 2, 3, 4, 5, 6];
  const [O, I, S, D, K] = [7, 8, 9, 10, 11];
  const body = [
    ...get(DST), ...set(D), ...i32c(0), ...set(O),
    ...ifLt(i32c(0), get(OUTER), ifLt(i32c(0), get(INNER), ifLt(i32c(0), get(ROWB), doWhileLt(O, get(OUTER), [
      ...get(SRC), ...get(O), ...get(OSTEP), ...mul, ...add, ...set(S), ...i32c(0), ...set(I),
      ...doWhileLt(I, get(INNER), [
        ...i32c(0), ...set(K),
        ...doWhileLt(K, get(ROWB), [...get(D), ...get(K), ...add, ...get(S), ...get(K), ...add, ...v128Load(0), ...v128Store(0), ...inc(K, i32c(16))]),
        ...inc(D, get(ROWB)), ...inc(S, get(ISTEP)), ...inc(I, i32c(1)),
      ]),
      ...inc(O, i32c(1)),
    ])))),
  ];
  return { name: 'transposeRows', params: 7, locals: [[5, I32]], body };
}
