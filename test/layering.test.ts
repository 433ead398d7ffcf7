/**
 * The architecture, checked: dependencies point one way down the layers, and only the tfjs
 * folder and the experiment import TensorFlow.js, so the public entry never loads it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '../src');

/** Lower numbers are lower layers; a file may import from its own layer or below. */
const LAYER: Record<string, number> = {
  util: 0, record: 0, proto: 0,
  events: 1,
  summary: 2, chart: 2,
  session: 3, hooks: 3,
  tfjs: 4,
  experiments: 5,
  cli: 6,
};
const TFJS_ALLOWED = new Set(['tfjs', 'experiments']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function folderOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0];
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    specs.push(m[1] ?? m[2] ?? m[3]);
  }
  return specs;
}

test('every src file belongs to a known layer', () => {
  for (const f of sourceFiles(SRC)) {
    const folder = folderOf(f);
    if (folder.endsWith('.ts')) continue; // src/index.ts, the public entry, sits above everything
    assert.ok(folder in LAYER, `${path.relative(SRC, f)}: folder "${folder}" has no layer in test/layering.test.ts`);
  }
});

test('imports point down the layers; tfjs only in src/tfjs and src/experiments', () => {
  const violations: string[] = [];
  for (const f of sourceFiles(SRC)) {
    const from = folderOf(f);
    if (from.endsWith('.ts')) continue;
    for (const spec of imports(f)) {
      if (spec.startsWith('@tensorflow/') && !TFJS_ALLOWED.has(from)) violations.push(`${path.relative(SRC, f)} imports ${spec}`);
      if (!spec.startsWith('.')) continue;
      const target = path.resolve(path.dirname(f), spec);
      if (!target.startsWith(SRC + path.sep)) continue;
      const to = folderOf(target);
      if (!(to in LAYER)) continue;
      if (LAYER[to] > LAYER[from]) violations.push(`${path.relative(SRC, f)} (${from}) imports ${spec} (${to}, a higher layer)`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the public entry loads no tfjs', () => {
  for (const k of Object.keys(require.cache)) assert.ok(!k.includes('@tensorflow'), `already loaded before the check: ${k}`);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const tbkit = require('../src/index') as Record<string, unknown>;
  assert.equal(typeof tbkit.SummaryWriter, 'function');
  assert.equal(typeof tbkit.MonitoredTrainingSession, 'function');
  assert.equal(typeof tbkit.StopAtStepHook, 'function');
  assert.equal(typeof tbkit.readRun, 'function');
  const loaded = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));
  assert.deepEqual(loaded, []);
});
