/**
 * Where the tests' vendored fixtures live. Everything a test reads comes from the repo, so a fresh
 * clone tests itself: `test/fixtures/golden/` holds files written by TensorBoard's own Python writer
 * (see its README.md), copied from the project's shared golden set.
 */
import * as path from 'node:path';

export const GOLDEN = path.resolve(__dirname, 'fixtures/golden');
export const GOLDEN_LOGDIR = path.join(GOLDEN, 'logdir');
export const GOLDEN_MANIFEST = path.join(GOLDEN, 'manifest.json');
