import type { SimdKernels } from './simd';
import { TILE_PIXELS } from './simd-conv-dense';
import { runSimdCalls, type SimdCall } from './simd-threads';
import { free, heapF32, type TensorInfo, type WasmBackendLike } from './wasm-util';

/**
 * Stride-1, unpadded ('valid') convolutions and their two gradients on the dense loops of
 * ./simd-conv-dense.ts, which sum in XNNPACK's order: the results are bit for bit those of the
 * XNNPACK convolutions the callers used before (./fused-conv2d.ts, ./conv2d-backprop-input.ts,
 * ./conv2d-backprop-filter.ts), without their costs: XNNPACK repacks its filter operand on every
 * call (for the filter gradient that operand is all of dy, behind two transposes), multiplies the
 * input gradient's zero padding, and its wasm kernels broadcast with shuffles where these load.
 * The tile lists depend on the geometry only and are built once per geometry.
 * NHWC float32, at least one output row and column; the callers check the shapes
 * (`denseConvApplies` and the channel multiples each function states).
 */

export interface DenseConvGeometry {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
}

/** Output channels per panel of the `convTiles` loop (its two vectors per pixel). */
const PANEL = 8;
const TILE = TILE_PIXELS;

/**
 * Whether a conv of this geometry runs on the dense loops: stride 1, no padding, no dilation.
 * Env TBKIT_NO_DENSE_CONV=1 turns them off (XNNPACK then runs these convs, with the same
 * results), for comparisons.
 */
export function denseConvApplies(g: DenseConvGeometry & { strideHeight: number; strideWidth: number; dilationHeight?: number; dilationWidth?: number; padInfo: { top: number; left: number; bottom: number; right: number } }): boolean {
  const p = g.padInfo;
  return process.env.TBKIT_NO_DENSE_CONV !== '1' && g.strideHeight === 1 && g.strideWidth === 1 && (g.dilationHeight ?? 1) === 1 && (g.dilationWidth ?? 1) === 1 &&
    p.top === 0 && p.left === 0 && p.bottom === 0 && p.right === 0 &&
    g.outHeight === g.inHeight - g.filterHeight + 1 && g.outWidth === g.inWidth - g.filterWidth + 1;
}

/**
 * The `convTiles` calls of one conv geometry: `list` (pairs of TILE input and TILE output byte
 * offsets per tile) and the groups of tiles that share their window (rows, columns, and where they
 * start in the filter panel). Built once per geometry.
 */
interface TilePlan {
  list: Int32Array;
  groups: Array<{ at: number; tiles: number; rows: number; segBytes: number; wOffset: number; wRowSkip: number }>;
}

const plans = new Map<string, TilePlan>();

function cachedPlan(key: string, build: () => TilePlan): TilePlan {
  let plan = plans.get(key);
  if (!plan) {
    if (plans.size >= 32) plans.clear();
    plan = build();
    plans.set(key, plan);
  }
  return plan;
}

/** A plan from pixels keyed by their group: each group's pixels in order, TILE at a time (a short tile repeats its last pixel). */
function planFromGroups(pixels: Map<string, { shape: Omit<TilePlan['groups'][number], 'at' | 'tiles'>; input: number[]; output: number[] }>): TilePlan {
  let total = 0;
  for (const g of pixels.values()) total += Math.ceil(g.input.length / TILE);
  const list = new Int32Array(total * 2 * TILE);
  const groups: TilePlan['groups'] = [];
  let at = 0;
  for (const g of pixels.values()) {
    const n = g.input.length;
    const tiles = Math.ceil(n / TILE);
    for (let t = 0; t < tiles; t++) {
      for (let m = 0; m < TILE; m++) {
        const p = Math.min(t * TILE + m, n - 1);
        list[(at + t) * 2 * TILE + m] = g.input[p];
        list[(at + t) * 2 * TILE + TILE + m] = g.output[p];
      }
    }
    groups.push({ ...g.shape, at, tiles });
    at += tiles;
  }
  return { list, groups };
}

/**
 * Copies a filter [fh, fw, cin, cout] into panels of PANEL output channels: panel q is
 * [fh, fw, cin, PANEL] of channels q·PANEL.. . `rotate` makes the input gradient's filter: the
 * 180° rotation with cin and cout swapped (panel q then holds its input channels q·PANEL..).
 */
function packPanels(w: Float32Array, out: Float32Array, fh: number, fw: number, cin: number, cout: number, rotate: boolean): void {
  const [rows, cols] = rotate ? [cout, cin] : [cin, cout]; // the GEMM's k channels and n channels
  let o = 0;
  for (let q = 0; q < cols; q += PANEL) {
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        const tap = rotate ? (fh - 1 - kh) * fw + (fw - 1 - kw) : kh * fw + kw;
        for (let k = 0; k < rows; k++) {
          for (let l = 0; l < PANEL; l++) {
            // w[tap, ci, co]: forward ci = k, co = q + l; rotated ci = q + l, co = k
            out[o++] = rotate ? w[(tap * cin + q + l) * cout + k] : w[(tap * cin + k) * cout + q + l];
          }
        }
      }
    }
  }
}

/** Runs the plan's groups for every panel of PANEL output channels. */
function runPlan(simd: SimdKernels, backend: WasmBackendLike, plan: TilePlan, panels: TensorInfo, panelBytes: number, init: TensorInfo, channels: number, rowBytes: number, input: TensorInfo, output: TensorInfo): void {
  const list = backend.makeOutput([plan.list.length], 'int32');
  // Addresses only after every allocation: makeOutput may grow the heap.
  const l = backend.typedArrayFromHeap(list) as Int32Array;
  l.set(plan.list);
  const [inBase, outBase, w0, init0] = [input, output, panels, init].map((t) => heapF32(backend, t).byteOffset);
  // Every panel per tile; a second thread, when the pool has one, takes the first half of each group's tiles.
  const calls: SimdCall[][] = [[], []];
  for (const g of plan.groups) {
    const half = Math.floor(g.tiles / 2);
    for (const [part, at, tiles] of [[0, g.at, half], [1, g.at + half, g.tiles - half]]) {
      if (tiles > 0) {
        calls[part].push(['convTiles', l.byteOffset + at * 2 * TILE * 4, tiles, w0 + g.wOffset, init0, g.rows, g.segBytes, rowBytes, g.wRowSkip, inBase, outBase, channels / PANEL, panelBytes]);
      }
    }
  }
  runSimdCalls(backend, simd, [...calls[0], ...calls[1]], calls[0].length);
  free(backend, list);
}

/** y = conv(x, w) + bias for a 'valid' stride-1 conv; cout a multiple of PANEL. */
export function convForwardDense(simd: SimdKernels, backend: WasmBackendLike, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | null, g: DenseConvGeometry): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co, filterHeight: fh, filterWidth: fw } = g;
  const plan = cachedPlan(`fwd ${n} ${h} ${w} ${ci} ${co} ${fh} ${fw}`, () => {
    const input: number[] = [];
    const output: number[] = [];
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          input.push(((b * h + i) * w + j) * ci * 4);
          output.push(((b * oh + i) * ow + j) * co * 4);
        }
      }
    }
    return planFromGroups(new Map([['all', { shape: { rows: fh, segBytes: fw * ci * 4, wOffset: 0, wRowSkip: 0 }, input, output }]]));
  });
  const y = backend.makeOutput([n, oh, ow, co], 'float32');
  const panels = backend.makeOutput([fh * fw * ci * co], 'float32');
  const zeros = bias ? null : backend.makeOutput([co], 'float32');
  if (zeros) heapF32(backend, zeros).fill(0);
  packPanels(heapF32(backend, filter), heapF32(backend, panels), fh, fw, ci, co, false);
  runPlan(simd, backend, plan, panels, fh * fw * ci * PANEL * 4, bias ?? zeros!, co, w * ci * 4, x, y);
  free(backend, panels);
  if (zeros) free(backend, zeros);
  return y;
}

/**
 * dx of a 'valid' stride-1 conv: the 'full' conv of dy with the rotated filter, over only the
 * window rows and columns inside dy. XNNPACK multiplies the zeros of its padding there; skipping
 * them gives the same sums only for a finite filter: the caller checks that. cin a multiple of PANEL.
 */
export function convInputGradDense(simd: SimdKernels, backend: WasmBackendLike, dy: TensorInfo, filter: TensorInfo, g: DenseConvGeometry): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co, filterHeight: fh, filterWidth: fw } = g;
  const tapBytes = co * PANEL * 4; // one filter tap in a panel
  const plan = cachedPlan(`dx ${n} ${h} ${w} ${ci} ${co} ${fh} ${fw}`, () => {
    const groups = new Map<string, { shape: Omit<TilePlan['groups'][number], 'at' | 'tiles'>; input: number[]; output: number[] }>();
    for (let b = 0; b < n; b++) {
      for (let y = 0; y < h; y++) {
        const i0 = Math.max(0, y - fh + 1);
        const rows = Math.min(oh - 1, y) - i0 + 1;
        const skipRows = i0 - (y - fh + 1);
        for (let x = 0; x < w; x++) {
          const j0 = Math.max(0, x - fw + 1);
          const cols = Math.min(ow - 1, x) - j0 + 1;
          const skipCols = j0 - (x - fw + 1);
          const key = `${rows} ${skipRows} ${cols} ${skipCols}`;
          let gr = groups.get(key);
          if (!gr) {
            gr = { shape: { rows, segBytes: cols * co * 4, wOffset: (skipRows * fw + skipCols) * tapBytes, wRowSkip: (fw - cols) * tapBytes }, input: [], output: [] };
            groups.set(key, gr);
          }
          gr.input.push(((b * oh + i0) * ow + j0) * co * 4);
          gr.output.push(((b * h + y) * w + x) * ci * 4);
        }
      }
    }
    return planFromGroups(groups);
  });
  const dx = backend.makeOutput([n, h, w, ci], 'float32');
  const panels = backend.makeOutput([fh * fw * ci * co], 'float32');
  const zeros = backend.makeOutput([ci], 'float32');
  heapF32(backend, zeros).fill(0);
  packPanels(heapF32(backend, filter), heapF32(backend, panels), fh, fw, ci, co, true);
  runPlan(simd, backend, plan, panels, fh * fw * co * PANEL * 4, zeros, ci, ow * co * 4, dy, dx);
  free(backend, panels, zeros);
  return dx;
}

/**
 * dW [fh, fw, cin, cout] of a 'valid' stride-1 conv; cin a multiple of 4, cout of PANEL. x and dy
 * are first copied with the images innermost ([H, W, N, C]), so that the loop over the images, the
 * innermost of XNNPACK's order, reads memory in sequence.
 */
export function convFilterGradDense(simd: SimdKernels, backend: WasmBackendLike, x: TensorInfo, dy: TensorInfo, g: DenseConvGeometry): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co, filterHeight: fh, filterWidth: fw } = g;
  const dw = backend.makeOutput([fh, fw, ci, co], 'float32');
  const xT = backend.makeOutput([h, w, n, ci], 'float32');
  const dyT = backend.makeOutput([oh, ow, n, co], 'float32');
  const [x0, dy0, xT0, dyT0] = [x, dy, xT, dyT].map((t) => heapF32(backend, t).byteOffset);
  const dwv = heapF32(backend, dw);
  dwv.fill(0);
  runSimdCalls(backend, simd, [
    ['transposeRows', x0, xT0, h * w, n, ci * 4, ci * 4, h * w * ci * 4],
    ['transposeRows', dy0, dyT0, oh * ow, n, co * 4, co * 4, oh * ow * co * 4],
  ], 1);
  const [pixBytes, rowBytes, dyPixBytes] = [n * ci * 4, w * n * ci * 4, n * co * 4];
  // Two shares of the output channels (the first for a second thread, when the pool has one),
  // each summed over every position and image in order.
  const half = Math.floor(co / PANEL / 2) * PANEL * 4;
  const calls: SimdCall[] = [];
  for (const [from, to] of [[0, half], [half, co * 4]]) {
    if (from === to) continue;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        calls.push(['convFilterGradDense', xT0 + i * rowBytes + j * pixBytes, dyT0 + (i * ow + j) * dyPixBytes, dwv.byteOffset,
          n, fh, fw, ci * 4, co * 4, rowBytes, pixBytes, ci * 4, co * 4, from, to]);
      }
    }
  }
  runSimdCalls(backend, simd, calls, half > 0 ? calls.length / 2 : 0);
  free(backend, xT, dyT);
  return dw;
}
