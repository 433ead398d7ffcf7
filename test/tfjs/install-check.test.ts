/** Without TensorFlow.js installed, what needs it names the missing packages and the one command that installs them. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { tfjsMissingMessage } from '../../src/tfjs/tf-types';

const INSTALL = 'npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm';

test('installed: no message (checked by resolving, in this repo where both are dev dependencies)', () => {
  assert.equal(tfjsMissingMessage('tbkit experiment'), undefined);
});

test('missing: the packages and the install command', () => {
  const none = () => false;
  assert.equal(
    tfjsMissingMessage('tbkit experiment', { isInstalled: none }),
    `tbkit experiment needs TensorFlow.js, and @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm are not installed: ${INSTALL}`,
  );
  const onlyTfjs = (name: string) => name === '@tensorflow/tfjs';
  assert.equal(
    tfjsMissingMessage('tbkit experiment', { isInstalled: onlyTfjs }),
    `tbkit experiment needs TensorFlow.js, and @tensorflow/tfjs-backend-wasm is not installed: ${INSTALL}`,
  );
  // Without the WASM backend (--backend cpu, or tbkit/tfjs itself), tfjs alone is enough.
  assert.equal(tfjsMissingMessage('tbkit/tfjs', { wasm: false, isInstalled: onlyTfjs }), undefined);
});
