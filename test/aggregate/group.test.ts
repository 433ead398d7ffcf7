/**
 * Grouping (by hparams, default every hparam except seed; by a run-name pattern), alignment of
 * runs with unequal steps, and a group's aggregate of one tag, on hand-made runs with known numbers.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { aggregate, alignSeries, groupRuns, GroupingError, type GroupableRun } from '../../src/aggregate';
import { parseGroupBy } from '../../src/cli/group-by';

const pts = (...pairs: Array<[number, number]>) => pairs.map(([step, value]) => ({ step, value, wallTime: 1000 + step }));

function run(name: string, hparams: GroupableRun['hparams'], acc: Array<[number, number]>): GroupableRun {
  return { name, hparams, scalars: new Map([['acc', pts(...acc)]]) };
}

const RUNS: GroupableRun[] = [
  run('nobn-lr0.01-s1', { use_bn: false, learning_rate: 0.01, seed: 1 }, [[10, 0.1], [20, 0.1]]),
  run('bn-lr0.01-s1', { use_bn: true, learning_rate: 0.01, seed: 1 }, [[10, 0.9], [20, 0.96]]),
  run('bn-lr0.01-s2', { use_bn: true, learning_rate: 0.01, seed: 2 }, [[10, 0.8], [20, 0.98], [30, 0.99]]),
  run('nobn-lr0.01-s2', { use_bn: false, learning_rate: 0.01, seed: 2 }, [[10, 0.2], [20, 0.11]]),
  run('bn-lr0.1-s1', { use_bn: true, learning_rate: 0.1, seed: 1 }, [[10, 0.5], [20, 0.7]]),
  { name: 'legacy', hparams: {}, scalars: new Map() },
];

test('default grouping: every hparam except seed; labels name the keys that differ; groups sorted by key', () => {
  const g = groupRuns(RUNS);
  assert.deepEqual(g.keys, ['learning_rate', 'use_bn']);
  assert.deepEqual(g.groups.map((x) => [x.label, x.runs.map((r) => r.name)]), [
    ['learning_rate=0.01,use_bn=false', ['nobn-lr0.01-s1', 'nobn-lr0.01-s2']],
    ['learning_rate=0.01,use_bn=true', ['bn-lr0.01-s1', 'bn-lr0.01-s2']],
    ['learning_rate=0.1,use_bn=true', ['bn-lr0.1-s1']],
  ]);
  assert.deepEqual(g.ungrouped, [{ run: 'legacy', reason: 'no hparams' }]);
  // Only the keys that vary are in the label.
  assert.deepEqual(groupRuns(RUNS.slice(0, 4), { hparams: ['learning_rate', 'use_bn'] }).groups.map((x) => x.label), ['use_bn=false', 'use_bn=true']);
  assert.throws(() => groupRuns(RUNS, { hparams: ['momentum'] }), (e: Error) => e instanceof GroupingError && /no run has the hparam "momentum"; the runs' hparams are: learning_rate, seed, use_bn/.test(e.message));
});

test("a run-name pattern '{bn}-lr{lr}-s*' groups by its captures; numeric captures sort as numbers", () => {
  const { by } = parseGroupBy('{bn}-lr{lr}-s*');
  const g = groupRuns(RUNS, by);
  assert.deepEqual(g.keys, ['bn', 'lr']);
  assert.deepEqual(g.groups.map((x) => [x.key, x.runs.length]), [
    [{ bn: 'bn', lr: '0.01' }, 2],
    [{ bn: 'bn', lr: '0.1' }, 1],
    [{ bn: 'nobn', lr: '0.01' }, 2],
  ]);
  assert.deepEqual(g.ungrouped, [{ run: 'legacy', reason: 'name does not match the pattern' }]);
  const sorted = groupRuns(['r10', 'r9', 'r0.5'].map((n) => run(n, {}, [])), parseGroupBy('r{x}').by).groups.map((x) => x.label);
  assert.deepEqual(sorted, ['x=0.5', 'x=9', 'x=10']);
  assert.throws(() => parseGroupBy('{a-b}-x'), /placeholder is \{name\}/);
  assert.throws(() => groupRuns(RUNS, { namePattern: /^bn/ }), /no named capture/);
});

test('alignment: the steps every run logged are averaged; the others are listed, not averaged', () => {
  const a = alignSeries([pts([10, 1], [20, 2], [30, 3]), pts([10, 3], [20, 6]), pts([10, 5], [15, 9], [20, 7])]);
  assert.equal(a.runs, 3);
  assert.deepEqual(a.partialSteps, [15, 30]);
  assert.deepEqual(a.points.map((p) => [p.step, p.mean, p.min, p.max, p.n, p.nonFinite, p.wallTime]), [
    [10, 3, 1, 5, 3, 0, 1010],
    [20, 5, 2, 7, 3, 0, 1020],
  ]);
  assert.equal(a.points[0].std, 2); // sample std of 1, 3, 5
  close(a.points[1].std, Math.sqrt(7)); // of 2, 6, 7: ((9 + 1 + 4) / 2)
});

test('alignment: a NaN run is left out at its steps and counted there', () => {
  const a = alignSeries([pts([1, 1], [2, NaN]), pts([1, 3], [2, 4]), pts([1, Infinity], [2, 6])]);
  assert.deepEqual(a.points.map((p) => [p.mean, p.n, p.nonFinite]), [[2, 2, 1], [5, 2, 1]]);
});

test("a group's aggregate: last at the last shared step, best per run, the mean curve's best step", () => {
  const bn = groupRuns(RUNS).groups[1];
  const a = aggregate(bn, 'acc')!;
  assert.equal(a.mode, 'max');
  assert.deepEqual(a.runs, ['bn-lr0.01-s1', 'bn-lr0.01-s2']);
  assert.equal(a.lastStep, 20); // s2 went on to step 30: not shared
  assert.deepEqual(a.last.values, [0.96, 0.98]);
  close(a.last.mean, 0.97);
  close(a.last.std, Math.SQRT2 * 0.01);
  // 0.97 ± t(0.975, 1) · 0.01414 / √2 = 0.97 ± 12.7062 · 0.01
  close(a.last.interval!.lo, 0.97 - 0.12706204736, 1e-8);
  assert.deepEqual(a.best.values, [0.96, 0.99]);
  assert.deepEqual(a.best.steps, [20, 30]);
  assert.deepEqual(a.bestMean, { step: 20, value: a.aligned.points[1].mean });
  assert.deepEqual(a.aligned.partialSteps, [30]);

  const one = aggregate(groupRuns(RUNS).groups[2], 'acc')!;
  assert.deepEqual([one.last.n, one.last.mean, one.last.interval, Number.isNaN(one.last.std)], [1, 0.7, undefined, true]);
  assert.equal(aggregate(bn, 'nope'), undefined);
});

test('runs that share no step: "last" is each run\'s own last value', () => {
  const g = { runs: [run('a', { x: 1 }, [[1, 1], [3, 3]]), run('b', { x: 1 }, [[2, 2], [4, 5]])] };
  const a = aggregate(g, 'acc')!;
  assert.equal(a.lastStep, undefined);
  assert.deepEqual(a.last.values, [3, 5]);
  assert.equal(a.bestMean, undefined);
});

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected}`);
}
