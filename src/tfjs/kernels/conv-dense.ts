import type { SimdKernels } from './simd';
import { free, heapF32, type TensorInfo, type WasmBackendLike } from './wasm-util';

/**
 * Stride-1, unpadded ('valid') convolutions and their two gradients on the dense loops of
 * ./simd-conv-dense.ts, which sum in XNNPACK's order: the results are bit for bit those of the
 * XNNPACK convolutions the callers used before (./fused-conv2d.ts, ./conv2d-backprop-input.ts,
 * ./conv2d-backprop-filter.ts), without their costs: XNNPACK repacks its filter operand on every
 * call (for the filter gradient that operand is all of dy, behind two transposes), multiplies the
 * input gradient's zero padding, and its wasm kernels broadcast with shuffles where these load.
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

/** Output channels per panel, and pixels per tile, of the `convTiles` loop. */
const PANEL = 8;
const TILE = 4;
/** Images per `convFilterGradDense` call: the x and dy rows of one call stay in the L2 cache. */
const IMAGES_PER_CALL = 50;

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

/** Fills `list` (int32 view) with tiles of TILE input and TILE output addresses; a short last tile repeats its last pixel. */
function fillTiles(list: Int32Array, at: number, pixels: number, input: (p: number) => number, output: (p: number) => number): number {
  const tiles = Math.ceil(pixels / TILE);
  for (let t = 0; t < tiles; t++) {
    const o = (at + t) * 2 * TILE;
    for (let m = 0; m < TILE; m++) {
      const p = Math.min(t * TILE + m, pixels - 1);
      list[o + m] = input(p);
      list[o + TILE + m] = output(p);
    }
  }
  return tiles;
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

/** y = conv(x, w) + bias for a 'valid' stride-1 conv; cout a multiple of PANEL. */
export function convForwardDense(simd: SimdKernels, backend: WasmBackendLike, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | null, g: DenseConvGeometry): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co, filterHeight: fh, filterWidth: fw } = g;
  const y = backend.makeOutput([n, oh, ow, co], 'float32');
  const panels = backend.makeOutput([fh * fw * ci * co], 'float32');
  const zeros = bias ? null : backend.makeOutput([co], 'float32');
  const pixels = n * oh * ow;
  const list = backend.makeOutput([Math.ceil(pixels / TILE) * 2 * TILE], 'int32');
  // Views only after every allocation: makeOutput may grow the heap.
  const init = heapF32(backend, bias ?? zeros!);
  if (zeros) init.fill(0);
  const p = heapF32(backend, panels);
  packPanels(heapF32(backend, filter), p, fh, fw, ci, co, false);
  const x0 = heapF32(backend, x).byteOffset;
  const y0 = heapF32(backend, y).byteOffset;
  const l = backend.typedArrayFromHeap(list) as Int32Array;
  const tiles = fillTiles(l, 0, pixels, (q) => {
    const b = Math.floor(q / (oh * ow));
    const r = q - b * oh * ow;
    const i = Math.floor(r / ow);
    return x0 + ((b * h + i) * w + (r - i * ow)) * ci * 4;
  }, (q) => y0 + q * co * 4);
  const run = simd.convTiles;
  const panelBytes = fh * fw * ci * PANEL * 4;
  for (let q = 0; q < co; q += PANEL) {
    run(l.byteOffset, tiles, p.byteOffset + (q / PANEL) * panelBytes, init.byteOffset + q * 4, fh, fw, ci * 4, ci * 4, w * ci * 4, q * 4);
  }
  free(backend, panels, list);
  if (zeros) free(backend, zeros);
  return y;
}

/**
 * dx of a 'valid' stride-1 conv: the 'full' conv of dy with the rotated filter. dy is copied with
 * fw − 1 zero columns on each side (the zeros XNNPACK multiplies too); the kernel rows that fall
 * outside dy are skipped, which gives the same sums as multiplying their zeros only when the
 * filter is finite: the caller checks that. cin a multiple of PANEL.
 */
export function convInputGradDense(simd: SimdKernels, backend: WasmBackendLike, dy: TensorInfo, filter: TensorInfo, g: DenseConvGeometry): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co, filterHeight: fh, filterWidth: fw } = g;
  const owp = ow + 2 * (fw - 1);
  const dx = backend.makeOutput([n, h, w, ci], 'float32');
  const padded = backend.makeOutput([n, oh, owp, co], 'float32');
  const panels = backend.makeOutput([fh * fw * ci * co], 'float32');
  const zeros = backend.makeOutput([ci], 'float32');
  const list = backend.makeOutput([(Math.ceil((n * w) / TILE) * h) * 2 * TILE], 'int32');
  const pv = heapF32(backend, padded);
  const dyv = heapF32(backend, dy);
  pv.fill(0);
  for (let r = 0; r < n * oh; r++) pv.set(dyv.subarray(r * ow * co, (r + 1) * ow * co), (r * owp + fw - 1) * co);
  const p = heapF32(backend, panels);
  packPanels(heapF32(backend, filter), p, fh, fw, ci, co, true);
  const z = heapF32(backend, zeros);
  z.fill(0);
  const dx0 = heapF32(backend, dx).byteOffset;
  const l = backend.typedArrayFromHeap(list) as Int32Array;
  const run = simd.convTiles;
  const panelBytes = fh * fw * co * PANEL * 4;
  const tapRowBytes = fw * co * PANEL * 4;
  // Output rows with the same valid kernel rows form one group: one call per group and panel.
  const groups: Array<{ at: number; tiles: number; rows: number; skip: number }> = [];
  let at = 0;
  for (let y = 0; y < h; y++) {
    const first = Math.max(0, y - fh + 1);
    const rows = Math.min(oh - 1, y) - first + 1;
    const skip = first - (y - fh + 1);
    const pixels = n * w;
    const tiles = fillTiles(l, at, pixels, (q) => {
      const b = Math.floor(q / w);
      return pv.byteOffset + ((b * oh + first) * owp + (q - b * w)) * co * 4;
    }, (q) => {
      const b = Math.floor(q / w);
      return dx0 + ((b * h + y) * w + (q - b * w)) * ci * 4;
    });
    const last = groups[groups.length - 1];
    if (last && last.rows === rows && last.skip === skip && last.at + last.tiles === at) last.tiles += tiles;
    else groups.push({ at, tiles, rows, skip });
    at += tiles;
  }
  for (let q = 0; q < ci; q += PANEL) {
    for (const gr of groups) {
      run(l.byteOffset + gr.at * 2 * TILE * 4, gr.tiles, p.byteOffset + (q / PANEL) * panelBytes + gr.skip * tapRowBytes, z.byteOffset + q * 4, gr.rows, fw, co * 4, co * 4, owp * co * 4, q * 4);
    }
  }
  free(backend, padded, panels, zeros, list);
  return dx;
}

/** dW [fh, fw, cin, cout] of a 'valid' stride-1 conv; cin a multiple of 4, cout of PANEL. */
export function convFilterGradDense(simd: SimdKernels, backend: WasmBackendLike, x: TensorInfo, dy: TensorInfo, g: DenseConvGeometry): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co, filterHeight: fh, filterWidth: fw } = g;
  const dw = backend.makeOutput([fh, fw, ci, co], 'float32');
  const dwv = heapF32(backend, dw);
  dwv.fill(0);
  const x0 = heapF32(backend, x).byteOffset;
  const dy0 = heapF32(backend, dy).byteOffset;
  const [pixBytes, rowBytes, xImage, dyImage] = [ci * 4, w * ci * 4, h * w * ci * 4, oh * ow * co * 4];
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      for (let b = 0; b < n; b += IMAGES_PER_CALL) {
        simd.convFilterGradDense(x0 + b * xImage + i * rowBytes + j * pixBytes, dy0 + b * dyImage + (i * ow + j) * co * 4, dwv.byteOffset,
          Math.min(IMAGES_PER_CALL, n - b), fh, fw, ci * 4, co * 4, rowBytes, pixBytes, xImage, dyImage);
      }
    }
  }
  return dw;
}
