/**
 * `tbkit/tfjs`: the parts of tbkit that need TensorFlow.js. Importing this loads @tensorflow/tfjs.
 */
export { selectBackend, setWasmThreads, BackendUnavailableError, wasmThreadCount } from './backend';
export type { BackendChoice, SelectedBackend, SelectBackendOptions } from './backend';
export { TfjsCheckpointer, fileSaveHandler, fileLoadHandler } from './checkpoint';
export type { TfjsCheckpointerOptions } from './checkpoint';
export { lazyScalar, scalarValue, scalarValues } from './values';
export { registerWasmTrainingKernels } from './kernels/register';
export type { RegisterOptions, RegisterReport } from './kernels/register';
export { fuseBatchNormTraining } from './batch-norm';
export { fuseAdam } from './adam';
