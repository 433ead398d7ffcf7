import type { Tf, tfTypes } from '../tf-types';
import { convFilterGradDense, denseConvApplies } from './conv-dense';
import { convFilterGradSparse, sparseApplies } from './conv-grad-sparse';
import { simdKernels } from './simd';
import { free, heapF32, isChannelsLast, runWasmKernel, transposeKeepLast, wasmKernel, type KernelConfig, type TensorInfo, type WindowAttrs } from './wasm-util';

/**
 * Conv2DBackpropFilter for the wasm backend (tfjs 4.22 ships none, so training
 * any conv net on wasm fails without it).
 *
 * dW[kh,kw,ci,co] = sum_{b,i,j} x[b, i*sH+kh-pT, j*sW+kw-pL, ci] * dy[b,i,j,co]
 * is itself a convolution once batch and channels swap roles: input
 * x' = x^T[ci,H,W,b] (ci acts as batch, b as channels), filter dy' = dy^T[oh,ow,b,co],
 * dilated by the forward stride. That runs on XNNPACK's fast Conv2D instead of
 * a scalar loop. The cost that remains is moving dy: XNNPACK repacks dy' as a
 * filter on every call (all 2.1M values for the first layer, plus the
 * transpose). The alternatives tried are no better: im2col + BatchMatMul
 * repacks the same operand, and making x the filter instead needs a transpose
 * that moves dy's channel axis (the slow kind).
 */
export function makeConv2dBackpropFilterConfig(tf: Tf): KernelConfig {
  type Attrs = WindowAttrs & {
    dataFormat?: 'NHWC' | 'NCHW';
    filterShape: [number, number, number, number];
  };
  return wasmKernel<{ x: TensorInfo; dy: TensorInfo }, Attrs>('Conv2DBackpropFilter', (backend, { x, dy }, attrs) => {
    if (!isChannelsLast(attrs.dataFormat)) {
      throw new Error(`wasm Conv2DBackpropFilter supports only NHWC, got ${attrs.dataFormat}`);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
    const { filterHeight: fh, filterWidth: fw, strideHeight: sH, strideWidth: sW } = info;
    const padTop = info.padInfo.top;
    const padLeft = info.padInfo.left;

    // Rows/cols of x the forward conv actually read; anything past that is
    // never multiplied and must be cropped (XNNPACK cannot take negative pads).
    const usedH = Math.min(inHeight, (outHeight - 1) * sH + fh - padTop);
    const usedW = Math.min(inWidth, (outWidth - 1) * sW + fw - padLeft);
    const padBottom = (outHeight - 1) * sH + fh - padTop - usedH;
    const padRight = (outWidth - 1) * sW + fw - padLeft - usedW;

    const simd =
      inChannels === 1 && fh === 3 && fw === 3 && sH === 1 && sW === 1 && padTop === 0 && padLeft === 0 &&
      padBottom === 0 && padRight === 0 && outChannels % 4 === 0 && x.dtype === 'float32' && dy.dtype === 'float32'
        ? simdKernels(backend.wasm)
        : null;
    if (simd) {
      // The first layer (one input channel, 3x3): a direct SIMD loop over dy as it lies, instead of
      // transposing dy and having XNNPACK repack all of it as a filter.
      const out = backend.makeOutput([3, 3, 1, outChannels], 'float32');
      const o = heapF32(backend, out);
      o.fill(0);
      const xv = heapF32(backend, x);
      const dyv = heapF32(backend, dy);
      const xImage = inHeight * inWidth * 4;
      const dyImage = outHeight * outWidth * outChannels * 4;
      for (let b = 0; b < batchSize; b++) {
        simd.conv3x3FilterGradC1(xv.byteOffset + b * xImage, dyv.byteOffset + b * dyImage, o.byteOffset, outHeight, outWidth, inWidth * 4, outChannels * 4);
      }
      return out;
    }

    // Behind a ReLU and a max pool most of dy is zero: skip those (./conv-grad-sparse.ts).
    const sparse = x.dtype === 'float32' && inChannels % 4 === 0 ? simdKernels(backend.wasm) : null;
    if (sparse) {
      const g = { ...info, filterHeight: fh, filterWidth: fw, padTop, padLeft };
      if (sparseApplies(g, backend, dy)) {
        const dw = convFilterGradSparse(sparse, backend, x, dy, g);
        if (dw) return dw;
      }
    }

    // Stride 1, unpadded: the dense loop in XNNPACK's order, without dy's transpose and repacking.
    const dense = x.dtype === 'float32' && dy.dtype === 'float32' && inChannels % 4 === 0 && outChannels % 8 === 0 && batchSize > 0 && outHeight > 0 && outWidth > 0 && denseConvApplies(info)
      ? simdKernels(backend.wasm)
      : null;
    if (dense) return convFilterGradDense(dense, backend, x, dy, info);

    let xSrc: TensorInfo = x;
    let cropped: TensorInfo | null = null;
    if (usedH < inHeight || usedW < inWidth) {
      cropped = runWasmKernel(tf, backend, 'Slice', { x }, {
        begin: [0, 0, 0, 0],
        size: [batchSize, usedH, usedW, inChannels],
      });
      xSrc = cropped;
    }
    const xT = runWasmKernel(tf, backend, 'Transpose', { x: xSrc }, { perm: [3, 1, 2, 0] });
    const dyT = transposeKeepLast(tf, backend, dy, [1, 2, 0, 3]);
    const dyFilter: TensorInfo = { ...dyT, shape: [outHeight, outWidth, batchSize, outChannels] };
    const explicitPad: tfTypes.backend_util.ExplicitPadding = [
      [0, 0],
      [padTop, padBottom],
      [padLeft, padRight],
      [0, 0],
    ];
    const convOut = runWasmKernel(tf, backend, 'Conv2D', { x: xT, filter: dyFilter }, {
      strides: [1, 1],
      pad: explicitPad,
      dataFormat: 'NHWC',
      dilations: [sH, sW],
      dimRoundingMode: undefined,
    });
    free(backend, xT, dyT);
    if (cropped) free(backend, cropped);
    // convOut is [ci, fh, fw, co]; the filter gradient wants [fh, fw, ci, co].
    let dw: TensorInfo;
    if (inChannels === 1) {
      dw = { ...convOut, shape: [fh, fw, 1, outChannels] };
    } else {
      dw = runWasmKernel(tf, backend, 'Transpose', { x: convOut }, { perm: [1, 2, 0, 3] });
      free(backend, convOut);
    }
    return dw;
  });
}
