/**
 * TensorFlow.js as a type, for code outside src/tfjs: the experiment and the CLI take `tf` from
 * `selectBackend()` and name its types through this module, so that `@tensorflow/*` is written in
 * src/tfjs only (test/layering.test.ts) and no module outside it loads TensorFlow.js by accident.
 */
import type * as tfModule from '@tensorflow/tfjs';

export type Tf = typeof tfModule;
export type * as tfTypes from '@tensorflow/tfjs';

// Runtime checks that load nothing, for code outside src/tfjs (the CLI names what to install).
export { tfjsMissingMessage, tfjsNodeInstalled } from './install-check';
