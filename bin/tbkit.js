#!/usr/bin/env node
'use strict';
// Launcher. In a clone (src/ present, tsx a dev dependency) the TypeScript sources run through tsx,
// so a dist/ left by `npm pack` can never be a stale CLI; the published package ships only dist/.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const source = path.join(root, 'src', 'cli', 'main.ts');
const compiled = path.join(root, 'dist', 'src', 'cli', 'main.js');

function canRunSources() {
  if (!fs.existsSync(source)) return false;
  try {
    require.resolve('tsx/cjs');
    return true;
  } catch {
    return false;
  }
}

let entry;
if (canRunSources()) {
  require('tsx/cjs');
  entry = source;
} else if (fs.existsSync(compiled)) {
  entry = compiled;
} else {
  process.stderr.write(`tbkit: neither ${compiled} nor tsx to run ${source}: run npm install (and npm run build)\n`);
  process.exit(1);
}
const { main } = require(entry);
main(process.argv).then((code) => {
  process.exitCode = code;
});
