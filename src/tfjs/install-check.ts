/**
 * TensorFlow.js is an optional peer dependency of tbkit: the writer, reader, hooks and CLI work
 * without it, and what needs it (`tbkit/tfjs`, `tbkit experiment`) says exactly what to install
 * instead of failing on a bare "Cannot find module". Checked by resolving, never by loading.
 */

/** What `tbkit/tfjs` and the experiment need, in the order of the install command. */
const TFJS_PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'] as const;
const TFJS_INSTALL_COMMAND = `npm install ${TFJS_PACKAGES.join(' ')}`;

/** Whether package `name` is installed (resolvable from here), without loading it. */
function resolvable(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Whether @tensorflow/tfjs-node is installed, without loading it. */
export function tfjsNodeInstalled(): boolean {
  return resolvable('@tensorflow/tfjs-node');
}

/**
 * Undefined when TensorFlow.js is installed (and its WASM backend, unless `wasm: false`); else the
 * message for `what` (e.g. "tbkit experiment"), naming the missing packages and the install command.
 */
export function tfjsMissingMessage(what: string, opts: { wasm?: boolean; isInstalled?: (name: string) => boolean } = {}): string | undefined {
  const isInstalled = opts.isInstalled ?? resolvable;
  const needs = opts.wasm === false ? TFJS_PACKAGES.slice(0, 1) : TFJS_PACKAGES;
  const missing = needs.filter((p) => !isInstalled(p));
  if (missing.length === 0) return undefined;
  return `${what} needs TensorFlow.js, and ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not installed: ${TFJS_INSTALL_COMMAND}`;
}
