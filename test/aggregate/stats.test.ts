/**
 * aggregate/'s statistics against hand-computed numbers: the t critical values against the
 * tables (and, for fractional df, against a numerical integration of the t density done apart),
 * mean / sample std / Student-t interval of [1, 2, 3, 4], Welch's interval of [1, 2, 3, 4] − [2, 4, 6],
 * NaN/Inf values left out and counted, a group of one without interval.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeValues, mean, meanInterval, sampleStd, tCritical, welchDifference } from '../../src/aggregate';

const close = (actual: number, expected: number, tol = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);

test('t critical values (95 %, two-sided) match the tables for integer and fractional df', () => {
  const table: Array<[number, number]> = [
    [1, 12.706204736], [2, 4.302652730], [3, 3.182446305], [4, 2.776445105], [5, 2.570581836],
    [9, 2.262157163], [29, 2.045229642], [100, 1.983971519], [1000, 1.962339081],
    // Welch's df are fractional: the t density integrated numerically (Simpson), independently.
    [2.5, 3.574654842], [3.234718826405868, 3.055712710], [7.3, 2.345066737],
  ];
  for (const [df, t] of table) close(tCritical(0.95, df), t, 1e-8);
  close(tCritical(0.99, 4), 4.604094871, 1e-8);
  close(tCritical(0.9, 10), 1.812461123, 1e-8);
  assert.ok(Number.isNaN(tCritical(0.95, 0)));
  assert.ok(Number.isNaN(tCritical(1, 3)));
});

test('mean, sample std (n − 1) and the Student-t interval of [1, 2, 3, 4]', () => {
  assert.equal(mean([1, 2, 3, 4]), 2.5);
  close(sampleStd([1, 2, 3, 4]), Math.sqrt(5 / 3));
  // 2.5 ± t(0.975, 3) · √(5/3) / √4 = 2.5 ± 3.182446305 · 0.645497224
  const iv = meanInterval([1, 2, 3, 4])!;
  close(iv.lo, 0.4457397432394772);
  close(iv.hi, 4.554260256760523);
  assert.equal(iv.df, 3);
});

test('a group of one has a mean and no spread, no interval', () => {
  const d = describeValues([0.98]);
  assert.deepEqual({ ...d }, { n: 1, nonFinite: 0, mean: 0.98, std: NaN, min: 0.98, max: 0.98, interval: undefined });
  assert.equal(meanInterval([0.98]), undefined);
  assert.equal(welchDifference([0.98], [0.1, 0.2]), undefined);
});

test('NaN and ±Infinity are left out of every statistic and counted', () => {
  const d = describeValues([1, NaN, 2, Infinity, 3, -Infinity, 4]);
  assert.equal(d.n, 4);
  assert.equal(d.nonFinite, 3);
  assert.equal(d.mean, 2.5);
  assert.deepEqual([d.min, d.max], [1, 4]);
  close(d.interval!.lo, 0.4457397432394772);
  const all = describeValues([NaN, NaN]);
  assert.deepEqual([all.n, all.nonFinite, all.mean, all.min, all.interval], [0, 2, NaN, NaN, undefined]);
});

test("Welch's interval of a difference of means: [1, 2, 3, 4] − [2, 4, 6]", () => {
  const d = welchDifference([1, 2, 3, 4], [2, 4, 6])!;
  assert.equal(d.diff, -1.5);
  close(d.se, Math.sqrt(5 / 12 + 4 / 3)); // s_a²/n_a + s_b²/n_b
  close(d.interval.df, 3.234718826405868); // Welch–Satterthwaite
  close(d.interval.lo, -5.542327954922851, 1e-8);
  close(d.interval.hi, 2.5423279549228512, 1e-8);
  // NaN values do not count towards n: [1, 2, NaN] is a group of two.
  const withNan = welchDifference([1, 2, 3, 4, NaN], [2, 4, 6, NaN])!;
  assert.deepEqual(withNan, d);
});

test('two groups without spread: the interval is the point difference (no t distribution applies)', () => {
  const d = welchDifference([0.98, 0.98, 0.98], [0.1012, 0.1012])!;
  close(d.diff, 0.8788);
  assert.equal(d.se, 0);
  assert.deepEqual([d.interval.lo, d.interval.hi], [d.diff, d.diff]);
  assert.ok(Number.isNaN(d.interval.df));
  // One group constant, one not: df = n − 1 of the varying one.
  close(welchDifference([1, 1, 1], [1, 2, 3])!.interval.df, 2);
});
