/**
 * `tbkit/tfjs`: the parts of tbkit that need TensorFlow.js. Importing this loads @tensorflow/tfjs.
 */
// First: without tfjs installed, this import fails with the install command, not "Cannot find module".
import './require-tfjs';
export { selectBackend, setWasmThreads, BackendUnavailableError, wasmThreadCount } from './backend';
export type { BackendChoice, SelectedBackend, SelectBackendOptions } from './backend';
export { TfjsCheckpointer, fileSaveHandler, fileLoadHandler } from './checkpoint';
export type { TfjsCheckpointerOptions } from './checkpoint';
export { lazyScalar, scalarValue, scalarValues } from './values';
export { registerWasmTrainingKernels } from './kernels/register';
export type { RegisterOptions, RegisterReport } from './kernels/register';
export { fuseBatchNormTraining } from './batch-norm';
// model.fit: TensorBoard logging (tfjs-node's tensorBoard on any backend) and a session's hooks.
export { tensorBoard, TensorBoardCallback, type TensorBoardCallbackArgs } from './fit/tensorboard-callback';
export { sessionCallback, SessionCallback, type SessionCallbackOptions } from './fit/session-callback';
export { fuseAdam } from './adam';
