import type { Tf, tfTypes } from '../tf-types';
import { makeAdamUpdateConfig } from './adam-update';
import { makeBatchMatMulConfig } from './batch-mat-mul';
import { makeBatchNormTrainingConfig, makeBatchNormTrainingGradConfig, makeBatchNormTrainingGradKernelConfig, BN_TRAINING } from './batch-norm-training';
import { makeCastConfig } from './cast';
import { makeConv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { makeConv2dBackpropInputConfig } from './conv2d-backprop-input';
import { makeFusedBatchNormConfig } from './fused-batch-norm';
import { makeFusedBatchNormGradConfig } from './fused-batch-norm-grad';
import { makeFusedConv2DConfig } from './fused-conv2d';
import { makeIdentityConfig } from './identity';
import { makeMaxPoolGradConfig } from './max-pool-grad';
import { makeMeanGradConfig } from './mean-grad';
import { makeReduceLeadingConfig } from './reduce-leading';
import { makeReluGradConfig, makeReluGradKernelConfig } from './relu-grad';
import { makeTileConfig } from './tile';
import type { KernelConfig } from './wasm-util';

export interface RegisterOptions {
  /**
   * Also replace stock wasm kernels that exist but are slow for training
   * (Conv2DBackpropInput, MaxPoolGrad, Sum, Mean, Tile, Identity,
   * FusedBatchNorm, BatchMatMul, Cast, FusedConv2D) and the Mean / FusedBatchNorm / Relu gradients
   * while wasm is active, and add the fused batch-norm training op that
   * `fuseBatchNormTraining` layers use. Each keeps the stock kernel as its fallback for the
   * cases it does not speed up. Default: true on tfjs 4.x (what these were
   * measured against), false on other versions, which may have fixed them.
   * false registers only what is missing: the benchmark's "before" baseline.
   */
  replaceSlowKernels?: boolean;
}

export interface RegisterReport {
  /** Kernels that were missing and are now ours. */
  added: string[];
  /** Stock kernels we replaced by faster ones. */
  replaced: string[];
  /** Kernels left alone because they were already registered by tfjs. */
  kept: string[];
}

// Stock configs we replaced, remembered so that `replaceSlowKernels: false` can put them back
// (the bench compares before/after in one process).
const originals = new Map<string, KernelConfig>();
const ours = new Set<string>();
// Gradient overrides (global registry, but each falls through to the stock
// gradient unless the wasm backend is active), with the stock configs saved.
const gradOverrides: Array<[string, (tf: Tf, stock: tfTypes.GradConfig) => tfTypes.GradConfig]> = [
  ['Mean', makeMeanGradConfig],
  ['FusedBatchNorm', makeFusedBatchNormGradConfig],
  ['Relu', makeReluGradConfig],
];
const gradStock = new Map<string, tfTypes.GradConfig>();

/**
 * Registers the wasm kernels training the BN-experiment CNN needs. Missing
 * kernels are only added when absent, so a future tfjs release that ships its
 * own keeps it. Idempotent.
 */
export function registerWasmTrainingKernels(tf: Tf, opts: RegisterOptions = {}): RegisterReport {
  const replace = opts.replaceSlowKernels ?? tf.version_core.startsWith('4.');
  const report: RegisterReport = { added: [], replaced: [], kept: [] };

  const addIfMissing = (cfg: KernelConfig): void => {
    if (tf.getKernel(cfg.kernelName, 'wasm') == null) {
      tf.registerKernel(cfg);
      ours.add(cfg.kernelName);
      report.added.push(cfg.kernelName);
    } else {
      report.kept.push(cfg.kernelName);
    }
  };
  addIfMissing(makeConv2dBackpropFilterConfig(tf));

  const slow: Array<[string, (stock: KernelConfig | undefined) => KernelConfig]> = [
    ['Conv2DBackpropInput', (stock) => makeConv2dBackpropInputConfig(tf, stock)],
    ['MaxPoolGrad', () => makeMaxPoolGradConfig(tf)],
    ['Sum', (stock) => makeReduceLeadingConfig(tf, 'Sum', stock)],
    ['Mean', (stock) => makeReduceLeadingConfig(tf, 'Mean', stock)],
    ['Tile', (stock) => makeTileConfig(stock)],
    ['Identity', (stock) => makeIdentityConfig(stock)],
    ['FusedBatchNorm', (stock) => makeFusedBatchNormConfig(tf, stock)],
    ['BatchMatMul', (stock) => makeBatchMatMulConfig(tf, required(stock, 'BatchMatMul'))],
    ['Cast', (stock) => makeCastConfig(stock)],
    ['FusedConv2D', (stock) => makeFusedConv2DConfig(tf, required(stock, 'FusedConv2D'))],
  ];
  for (const [name, make] of slow) {
    if (ours.has(name)) {
      if (!replace) restoreKernel(tf, name);
      else report.replaced.push(name);
      continue;
    }
    if (!replace) {
      report.kept.push(name);
      continue;
    }
    const stock = tf.getKernel(name, 'wasm');
    if (stock) {
      originals.set(name, stock);
      tf.unregisterKernel(name, 'wasm');
      report.replaced.push(name);
    } else {
      report.added.push(name);
    }
    tf.registerKernel(make(stock));
    ours.add(name);
  }
  // Fused ops of our own (no stock kernel of that name): present only while replacing, so the
  // "before" baseline runs tf.layers' own BN ops.
  for (const make of [makeBatchNormTrainingConfig, makeBatchNormTrainingGradKernelConfig, makeReluGradKernelConfig, makeAdamUpdateConfig]) {
    const cfg = make(tf as Tf);
    const have = tf.getKernel(cfg.kernelName, 'wasm') != null;
    if (replace && !have) {
      tf.registerKernel(cfg);
      report.added.push(cfg.kernelName);
    } else if (!replace && have) {
      tf.unregisterKernel(cfg.kernelName, 'wasm');
    }
  }
  if (replace && tf.getGradient(BN_TRAINING) == null) tf.registerGradient(makeBatchNormTrainingGradConfig(tf));
  for (const [name, make] of gradOverrides) {
    const stockGrad = gradStock.get(name);
    if (replace && !stockGrad) {
      const g = tf.getGradient(name);
      if (g) {
        gradStock.set(name, g);
        tf.registerGradient(make(tf, g));
        report.replaced.push(`${name} (gradient)`);
      }
    } else if (!replace && stockGrad) {
      tf.registerGradient(stockGrad);
      gradStock.delete(name);
    }
  }
  return report;
}

function required(cfg: KernelConfig | undefined, name: string): KernelConfig {
  if (!cfg) throw new Error(`stock wasm ${name} kernel missing: cannot wrap it`);
  return cfg;
}

function restoreKernel(tf: Tf, name: string): void {
  if (!ours.has(name)) return;
  tf.unregisterKernel(name, 'wasm');
  ours.delete(name);
  const stock = originals.get(name);
  if (stock) tf.registerKernel(stock);
}
