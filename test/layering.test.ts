/**
 * docs/architecture.md, enforced: the folders' import table, no cycles between files, imports
 * across folders only through a folder's index.ts, TensorFlow.js written only in src/tfjs, short
 * files, kebab-case names. Each failure names the file and the rule, so a violation says where to look.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');

/** Which folders each folder may import (besides itself): the table of docs/architecture.md. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  util: [],
  proto: [],
  record: ['util', 'proto'],
  events: ['record', 'proto', 'util'],
  summary: ['events', 'record', 'proto', 'util'],
  chart: ['util'],
  'hook-contract': ['util'],
  hooks: ['hook-contract', 'summary', 'events', 'util'],
  session: ['hooks', 'hook-contract', 'summary', 'events', 'util'],
  aggregate: ['summary', 'events', 'record', 'proto', 'util'],
  tfjs: ['session', 'hooks', 'hook-contract', 'summary', 'events', 'util'],
  experiments: ['tfjs', 'aggregate', 'session', 'hooks', 'hook-contract', 'summary', 'chart', 'events', 'util'],
  cli: ['experiments', 'tfjs', 'aggregate', 'session', 'hooks', 'hook-contract', 'summary', 'chart', 'events', 'record', 'proto', 'util'],
};
/** src/index.ts, the public entry: everything but what needs tfjs. */
const PUBLIC_ENTRY_MAY_NOT = new Set(['tfjs', 'experiments', 'cli']);
/** Files other folders may import besides index.ts files (type-only boundary of tfjs, loads nothing). */
const EXTRA_ENTRIES = new Set(['tfjs/tf-types.ts']);
const MAX_LINES = 300;
/** A long file says why at its top, in a line starting with this. */
const LONG_FILE_REASON = /^\s*\*?\s*Why one file:/m;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const rel = (file: string): string => path.relative(SRC, file).split(path.sep).join('/');
const folderOf = (file: string): string => rel(file).split('/')[0];

/** Every module specifier a file names: static imports/exports (type-only too), import(), require(). */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

function resolveLocal(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base + '.ts', path.join(base, 'index.ts'), base]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return undefined;
}

const FILES = sourceFiles(SRC);
const GRAPH = new Map<string, string[]>(
  FILES.map((f) => [f, specifiers(f).filter((s) => s.startsWith('.')).map((s) => resolveLocal(f, s)).filter((t): t is string => t !== undefined)]),
);

test('every src folder has a row in the import table', () => {
  const unknown = [...new Set(FILES.map(folderOf))].filter((d) => !d.endsWith('.ts') && !(d in MAY_IMPORT));
  assert.deepEqual(unknown, [], 'add the folder to docs/architecture.md and MAY_IMPORT in test/layering.test.ts');
});

test('imports follow the table of docs/architecture.md', () => {
  const violations: string[] = [];
  for (const [file, targets] of GRAPH) {
    const from = folderOf(file);
    for (const target of targets) {
      const to = folderOf(target);
      if (to === from || !target.startsWith(SRC + path.sep)) continue;
      if (from.endsWith('.ts')) {
        if (PUBLIC_ENTRY_MAY_NOT.has(to)) violations.push(`${rel(file)} (the public entry) imports ${rel(target)}: ${to} must stay out of 'tbkit'`);
        continue;
      }
      if (!MAY_IMPORT[from]?.includes(to)) violations.push(`${rel(file)} imports ${rel(target)}: ${from}/ may not import ${to}/`);
      else if (path.basename(target) !== 'index.ts' && !EXTRA_ENTRIES.has(rel(target))) {
        violations.push(`${rel(file)} imports ${rel(target)}: import ${to}/ through its index.ts`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('no import cycles between files', () => {
  // Tarjan's strongly connected components; every component of more than one file is a cycle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of GRAPH.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(rel(w));
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const f of FILES) if (!index.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

test('TensorFlow.js is written only in src/tfjs', () => {
  const violations = FILES.filter((f) => folderOf(f) !== 'tfjs')
    .flatMap((f) => specifiers(f).filter((s) => s.startsWith('@tensorflow/')).map((s) => `${rel(f)} names ${s}`));
  assert.deepEqual(violations, []);
});

test('source files stay short, or say at their top why they are one file', () => {
  const long: string[] = [];
  for (const f of [...FILES, ...sourceFiles(path.join(ROOT, 'bench'))]) {
    const text = fs.readFileSync(f, 'utf8');
    const lines = text.split('\n').length;
    const head = text.slice(0, 3000);
    if (lines > MAX_LINES && !LONG_FILE_REASON.test(head)) long.push(`${path.relative(ROOT, f)}: ${lines} lines`);
  }
  assert.deepEqual(long, [], `split these files, or give the reason in a "Why one file:" line of the header comment`);
});

test('file names are kebab-case', () => {
  const bad = FILES.map(rel).filter((r) => !/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)*\.ts$/.test(path.basename(r)));
  assert.deepEqual(bad, []);
});

test('the public entry loads no tfjs', () => {
  for (const k of Object.keys(require.cache)) assert.ok(!k.includes('@tensorflow'), `already loaded before the check: ${k}`);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const tbkit = require('../src/index') as Record<string, unknown>;
  assert.equal(typeof tbkit.SummaryWriter, 'function');
  assert.equal(typeof tbkit.MonitoredTrainingSession, 'function');
  const loaded = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));
  assert.deepEqual(loaded, []);
});
