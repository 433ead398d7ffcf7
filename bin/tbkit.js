#!/usr/bin/env node
'use strict';
// Launcher: the compiled CLI when it has been built (npm run build), else the TypeScript sources via tsx.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const compiled = path.join(root, 'dist', 'src', 'cli', 'main.js');
let entry;
if (fs.existsSync(compiled)) {
  entry = compiled;
} else {
  require('tsx/cjs');
  entry = path.join(root, 'src', 'cli', 'main.ts');
}
const { main } = require(entry);
main(process.argv).then((code) => {
  process.exitCode = code;
});
