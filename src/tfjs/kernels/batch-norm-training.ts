import type { Tf, tfTypes } from '../tf-types';
import { simdKernels } from './simd';
import { free, heapF32, wasmKernel, type KernelConfig, type TensorInfo, type WasmBackendLike } from './wasm-util';

/**
 * Batch normalization in training mode as one op with its own gradient, for the wasm backend:
 *   y = (x − mean)·scale/√(variance + ε) + offset,  mean/variance over every axis but the last.
 * tf.layers' training path builds it from ~8 ops forward (tf.moments, batchNorm) and ~20 in the
 * backward pass (Sub/Square/Mean gradients, tiles, broadcasts), each a full pass over the
 * activation. Here the forward pass is two passes (Σ(x−K) and Σ(x−K)² with K the mean of the
 * first rows, then normalize) and the backward pass two (Σdy and Σdy(x−mean); dx), all
 * per-channel loops (./simd-batch-norm.ts). Sums are accumulated in float32 over chunks of rows
 * and added in float64; shifting by K ≈ mean avoids the cancellation of Σx² − N·mean², so the
 * statistics are at least as accurate as tf.moments'.
 *
 * Outputs [y, mean, variance] (biased variance, as tf.moments); the layer uses the last two for its
 * moving averages. The gradient is exact for all three outputs (the statistics' own gradients
 * are usually zero, but are honoured: dmean/dx = 1/N, dvariance/dx = 2(x−mean)/N).
 */
export const BN_TRAINING = 'TbkitBatchNormTraining';
const BN_TRAINING_GRAD = 'TbkitBatchNormTrainingGrad';

/** Rows summed in float32 before the partial sums are added in float64. */
const CHUNK_ROWS = 512;

interface Loops {
  moments(x: number, s: number, acc1: number, acc2: number, count: number, cBytes: number): void;
  sums(a: number, b: number, s: number, acc1: number, acc2: number, count: number, cBytes: number): void;
  apply(a: number, b: number, s: number, A: number, B: number, Cc: number, out: number, count: number, cBytes: number): void;
}

/** The SIMD loops when they load and C is a multiple of 4, else the same loops in JS. */
function loopsFor(backend: WasmBackendLike, c: number): Loops {
  const k = c % 4 === 0 ? simdKernels(backend.wasm) : null;
  if (k) return { moments: k.bnMoments, sums: k.bnSums, apply: k.bnApply };
  // Byte offsets as in the SIMD versions; the heap view is taken per call (memory may grow).
  const heap = (): Float32Array => new Float32Array(backend.wasm.HEAPU8.buffer);
  return {
    moments(x, s, acc1, acc2, count, cBytes) {
      const h = heap();
      const C = cBytes >> 2;
      for (let r = 0, xi = x >> 2; r < count; r++, xi += C) {
        for (let i = 0; i < C; i++) {
          const d = h[xi + i] - h[(s >> 2) + i];
          h[(acc1 >> 2) + i] += d;
          h[(acc2 >> 2) + i] += d * d;
        }
      }
    },
    sums(a, b, s, acc1, acc2, count, cBytes) {
      const h = heap();
      const C = cBytes >> 2;
      for (let r = 0, ai = a >> 2, bi = b >> 2; r < count; r++, ai += C, bi += C) {
        for (let i = 0; i < C; i++) {
          const av = h[ai + i];
          h[(acc1 >> 2) + i] += av;
          h[(acc2 >> 2) + i] += av * (h[bi + i] - h[(s >> 2) + i]);
        }
      }
    },
    apply(a, b, s, A, B, Cc, out, count, cBytes) {
      const h = heap();
      const C = cBytes >> 2;
      for (let r = 0, ai = a >> 2, bi = b >> 2, oi = out >> 2; r < count; r++, ai += C, bi += C, oi += C) {
        for (let i = 0; i < C; i++) {
          h[oi + i] = h[ai + i] * h[(A >> 2) + i] + (h[bi + i] - h[(s >> 2) + i]) * h[(B >> 2) + i] + h[(Cc >> 2) + i];
        }
      }
    },
  };
}

/** Per-channel vectors in one scratch tensor: shift, acc1, acc2, A, B, Cc (C floats each). */
class Scratch {
  readonly info: TensorInfo;
  private base = 0;
  constructor(private readonly backend: WasmBackendLike, private readonly c: number) {
    this.info = backend.makeOutput([6 * c], 'float32');
  }
  /** Call after the last allocation of the kernel (a later makeOutput may move the heap). */
  bind(): void {
    this.base = heapF32(this.backend, this.info).byteOffset;
  }
  addr(slot: 'shift' | 'acc1' | 'acc2' | 'A' | 'B' | 'Cc'): number {
    return this.base + ['shift', 'acc1', 'acc2', 'A', 'B', 'Cc'].indexOf(slot) * this.c * 4;
  }
  view(slot: 'shift' | 'acc1' | 'acc2' | 'A' | 'B' | 'Cc'): Float32Array {
    return new Float32Array(this.backend.wasm.HEAPU8.buffer, this.addr(slot), this.c);
  }
}

const addrOf = (backend: WasmBackendLike, t: TensorInfo): number => heapF32(backend, t).byteOffset;

/**
 * Per channel over all rows, in float64: Σa and Σa·(b − shift) (`sums`), or Σ(a − shift) and
 * Σ(a − shift)² (`moments`).
 */
function channelSums(loops: Loops, kind: 'sums' | 'moments', sc: Scratch, a: number, b: number, rows: number, c: number): [Float64Array, Float64Array] {
  const s1 = new Float64Array(c);
  const s2 = new Float64Array(c);
  const acc1 = sc.view('acc1');
  const acc2 = sc.view('acc2');
  for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows - r0);
    acc1.fill(0);
    acc2.fill(0);
    if (kind === 'sums') loops.sums(a + r0 * c * 4, b + r0 * c * 4, sc.addr('shift'), sc.addr('acc1'), sc.addr('acc2'), n, c * 4);
    else loops.moments(a + r0 * c * 4, sc.addr('shift'), sc.addr('acc1'), sc.addr('acc2'), n, c * 4);
    for (let i = 0; i < c; i++) {
      s1[i] += acc1[i];
      s2[i] += acc2[i];
    }
  }
  return [s1, s2];
}

interface Shapes {
  c: number;
  rows: number;
}

function shapesOf(tf: Tf, x: TensorInfo, what: string): Shapes {
  if (x.dtype !== 'float32' || x.shape.length < 2) throw new Error(`${what}: x must be float32 of rank >= 2, got ${x.dtype} [${x.shape}]`);
  const c = x.shape[x.shape.length - 1];
  return { c, rows: tf.util.sizeFromShape(x.shape) / c };
}

function perChannel(backend: WasmBackendLike, t: TensorInfo, c: number, what: string): Float32Array {
  if (t.dtype !== 'float32' || t.shape.length !== 1 || t.shape[0] !== c) {
    throw new Error(`${what} must be float32 [${c}], got ${t.dtype} [${t.shape}]`);
  }
  return heapF32(backend, t);
}

type Attrs = { varianceEpsilon: number };

export function makeBatchNormTrainingConfig(tf: Tf): KernelConfig {
  type Inputs = { x: TensorInfo; scale: TensorInfo; offset: TensorInfo };
  return wasmKernel<Inputs, Attrs>(BN_TRAINING, (backend, { x, scale, offset }, { varianceEpsilon: eps }) => {
    const { c, rows } = shapesOf(tf, x, BN_TRAINING);
    const loops = loopsFor(backend, c);
    const y = backend.makeOutput(x.shape, 'float32');
    const mean = backend.makeOutput([c], 'float32');
    const variance = backend.makeOutput([c], 'float32');
    const sc = new Scratch(backend, c);
    sc.bind();
    const xa = addrOf(backend, x);
    const gamma = perChannel(backend, scale, c, `${BN_TRAINING} scale`);
    const beta = perChannel(backend, offset, c, `${BN_TRAINING} offset`);
    const m = heapF32(backend, mean);
    const v = heapF32(backend, variance);

    // K = the mean of the first rows (exact enough to shift by), then one pass from K.
    const shift = sc.view('shift');
    const head = Math.min(rows, CHUNK_ROWS);
    const xs = heapF32(backend, x);
    const k = new Float64Array(c);
    for (let r = 0; r < head; r++) for (let i = 0; i < c; i++) k[i] += xs[r * c + i];
    for (let i = 0; i < c; i++) shift[i] = k[i] / head;
    const [sumD, sumD2] = channelSums(loops, 'moments', sc, xa, xa, rows, c);
    const A = sc.view('A');
    const B = sc.view('B');
    const Cc = sc.view('Cc');
    for (let i = 0; i < c; i++) {
      const d = sumD[i] / rows;
      m[i] = shift[i] + d;
      v[i] = Math.max(0, sumD2[i] / rows - d * d);
      A[i] = 0;
      B[i] = gamma[i] / Math.sqrt(v[i] + eps);
      Cc[i] = beta[i];
    }
    // The apply pass subtracts the stored float32 mean.
    shift.set(m);
    loops.apply(xa, xa, sc.addr('shift'), sc.addr('A'), sc.addr('B'), sc.addr('Cc'), addrOf(backend, y), rows, c * 4);
    free(backend, sc.info);
    return [y, mean, variance];
  });
}

export function makeBatchNormTrainingGradKernelConfig(tf: Tf): KernelConfig {
  type Inputs = Record<'dy' | 'x' | 'scale' | 'mean' | 'variance' | 'dmean' | 'dvariance', TensorInfo>;
  return wasmKernel<Inputs, Attrs>(BN_TRAINING_GRAD, (backend, ins, { varianceEpsilon: eps }) => {
    const { c, rows } = shapesOf(tf, ins.x, BN_TRAINING_GRAD);
    if (tf.util.sizeFromShape(ins.dy.shape) !== rows * c) throw new Error(`${BN_TRAINING_GRAD}: dy [${ins.dy.shape}] does not match x [${ins.x.shape}]`);
    const loops = loopsFor(backend, c);
    const dx = backend.makeOutput(ins.x.shape, 'float32');
    const dscale = backend.makeOutput([c], 'float32');
    const doffset = backend.makeOutput([c], 'float32');
    const sc = new Scratch(backend, c);
    sc.bind();
    const [gamma, m, v, gm, gv] = (['scale', 'mean', 'variance', 'dmean', 'dvariance'] as const).map((n) =>
      perChannel(backend, ins[n], c, `${BN_TRAINING_GRAD} ${n}`),
    );
    const dyA = addrOf(backend, ins.dy);
    const xA = addrOf(backend, ins.x);
    sc.view('shift').set(m);
    const [sumDy, sumDyXm] = channelSums(loops, 'sums', sc, dyA, xA, rows, c);
    const ds = heapF32(backend, dscale);
    const dof = heapF32(backend, doffset);
    const A = sc.view('A');
    const B = sc.view('B');
    const Cc = sc.view('Cc');
    for (let i = 0; i < c; i++) {
      const r = 1 / Math.sqrt(v[i] + eps);
      ds[i] = r * sumDyXm[i];
      dof[i] = sumDy[i];
      // dx = γr·dy + (x−m)·(2·dvar − γr³·Σdy(x−m))/N + (dmean − γr·Σdy)/N
      A[i] = gamma[i] * r;
      B[i] = (2 * gv[i] - gamma[i] * r * r * r * sumDyXm[i]) / rows;
      Cc[i] = (gm[i] - gamma[i] * r * sumDy[i]) / rows;
    }
    loops.apply(dyA, xA, sc.addr('shift'), sc.addr('A'), sc.addr('B'), sc.addr('Cc'), addrOf(backend, dx), rows, c * 4);
    free(backend, sc.info);
    return [dx, dscale, doffset];
  });
}

/** The gradient of BN_TRAINING: one BN_TRAINING_GRAD kernel for dx, dscale and doffset together. */
export function makeBatchNormTrainingGradConfig(tf: Tf): tfTypes.GradConfig {
  return {
    kernelName: BN_TRAINING,
    inputsToSave: ['x', 'scale'],
    outputsToSave: [false, true, true],
    gradFunc: (dy, saved, attrs) => {
      const [x, scale, mean, variance] = saved;
      const [dyY, dMean, dVar] = dy as tfTypes.Tensor[];
      const [dx, dscale, doffset] = tf.engine().runKernel(
        BN_TRAINING_GRAD,
        { dy: dyY, x, scale, mean, variance, dmean: dMean, dvariance: dVar },
        attrs as tfTypes.NamedAttrMap,
      ) as tfTypes.Tensor[];
      return { x: () => dx, scale: () => dscale, offset: () => doffset };
    },
  };
}
