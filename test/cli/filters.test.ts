import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern, makeFilter, globToRegExp } from '../../src/cli/filters';
import { detectStyle, colorizer, table, num } from '../../src/cli/format';

test('glob patterns match whole names; * stops at /, ** does not', () => {
  const m = (p: string, s: string) => compilePattern(p)(s);
  assert.ok(m('run_*', 'run_a'));
  assert.ok(!m('run_*', 'run_a/eval'));
  assert.ok(m('run_*/*', 'run_a/eval'));
  assert.ok(m('**', 'run_a/eval'));
  assert.ok(m('**/eval', 'run_a/eval'));
  assert.ok(m('**/eval', 'eval'));
  assert.ok(m('run_?', 'run_b'));
  assert.ok(!m('run_?', 'run_bb'));
  assert.ok(m('run_[ab]', 'run_a'));
  assert.ok(!m('run_[!ab]', 'run_a'));
  assert.ok(m('legacy/loss', 'legacy/loss'));
  assert.ok(!m('loss', 'legacy/loss'));
  assert.ok(m('a.b+c', 'a.b+c'));
  assert.ok(!m('a.b', 'axb'));
  assert.ok(m('.', '.'));
  assert.equal(globToRegExp('x(1)').source, '^x\\(1\\)$');
});

test('/regex/ patterns search, with flags', () => {
  const m = (p: string, s: string) => compilePattern(p)(s);
  assert.ok(m('/loss/', 'legacy/loss'));
  assert.ok(m('/^run_[ab]$/', 'run_b'));
  assert.ok(!m('/^run_[ab]$/', 'run_c'));
  assert.ok(m('/LOSS/i', 'train/loss'));
  assert.throws(() => compilePattern('/(/'), /invalid/);
});

test('several patterns are OR-ed, none means all', () => {
  const f = makeFilter(['loss', '/^acc/']);
  assert.deepEqual(['loss', 'accuracy', 'lr', 'val/loss'].filter(f), ['loss', 'accuracy']);
  assert.ok(makeFilter(undefined)('anything'));
  assert.ok(makeFilter([])('anything'));
});

test('colour detection: NO_COLOR, FORCE_COLOR, TTY', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;
  assert.deepEqual(detectStyle(tty, {}), { color: true, boxes: true });
  assert.deepEqual(detectStyle(pipe, {}), { color: false, boxes: false });
  assert.equal(detectStyle(tty, { NO_COLOR: '1' }).color, false);
  assert.equal(detectStyle(tty, { NO_COLOR: '' }).color, true);
  assert.equal(detectStyle(pipe, { FORCE_COLOR: '1' }).color, true);
  assert.equal(detectStyle(pipe, { FORCE_COLOR: '0' }).color, false);
  assert.equal(detectStyle(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }).color, false);
  assert.equal(detectStyle(tty, { TERM: 'dumb' }).color, false);
  assert.equal(colorizer(false).red('x'), 'x');
  assert.equal(colorizer(true).red('x'), '\x1b[31mx\x1b[39m');
});

test('tables: box drawing on a terminal, plain aligned columns otherwise', () => {
  const plain = table(['a', 'bb'], [['1', '2'], ['333', '4']], { color: false, boxes: false });
  assert.equal(plain, 'a    bb\n1    2\n333  4');
  const boxed = table(['a'], [['1']], { color: false, boxes: true });
  assert.match(boxed, /┌/);
});

test('numbers for humans', () => {
  assert.equal(num(3), '3');
  assert.equal(num(Math.fround(0.1)), '0.1');
  assert.equal(num(NaN), 'NaN');
  assert.equal(num(-Infinity), '-Infinity');
  assert.equal(num(1.5e-7), '1.5e-7');
  assert.equal(num(123456789.5), '1.23457e+8');
});
