/**
 * Imported first by `tbkit/tfjs` (src/tfjs/index.ts): without @tensorflow/tfjs, the import throws
 * one line saying what to install, before any module of this folder requires it. The WASM backend
 * is only required when `selectBackend` picks it, so only tfjs itself is checked here.
 */
import { tfjsMissingMessage } from './install-check';

const message = tfjsMissingMessage('tbkit/tfjs', { wasm: false });
if (message !== undefined) throw Object.assign(new Error(`tbkit: ${message}`), { code: 'TBKIT_TFJS_MISSING' });
