/**
 * What a multi-seed experiment concludes: BN vs no BN per learning rate (Welch), the verdict line
 * the CLI prints for each conclusion, and the sweep chart (log learning-rate axis, interval bars).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { aggregate, type GroupableRun } from '../../src/aggregate';
import { verdictLine } from '../../src/cli/experiment-summary';
import { bnVerdicts, renderSweepChart, type VerdictGroup } from '../../src/experiments/bn';

/** A group of runs whose final validation accuracies are `finals`. */
function group(useBn: boolean, lr: number, finals: number[]): VerdictGroup {
  const runs: GroupableRun[] = finals.map((v, i) => ({
    name: `${useBn ? 'bn' : 'nobn'}-lr${lr}-s${i + 1}`,
    hparams: { use_bn: useBn, learning_rate: lr, seed: i + 1 },
    scalars: new Map([['validation/accuracy', [{ step: 10, value: 0.5, wallTime: 1 }, { step: 20, value: v, wallTime: 2 }]]]),
  }));
  return { key: { learning_rate: lr, use_bn: useBn }, metrics: { 'validation/accuracy': aggregate({ runs }, 'validation/accuracy')! } };
}

test('BN vs no BN: higher when the Welch interval excludes 0, "no difference shown" when it contains 0, too few with one seed', () => {
  const groups = [
    group(false, 0.01, [0.1012, 0.1012, 0.1135]),
    group(true, 0.01, [0.981, 0.983, 0.985]),
    group(false, 0.001, [0.976, 0.978, 0.98]),
    group(true, 0.001, [0.975, 0.979, 0.983]),
    group(false, 0.1, [0.1]),
    group(true, 0.1, [0.9]),
  ];
  const v = bnVerdicts(groups);
  assert.deepEqual(v.map((x) => [x.learningRate, x.conclusion]), [[0.01, 'bn-higher'], [0.001, 'no-difference-shown'], [0.1, 'too-few-seeds']]);
  // 0.983 − 0.105300 = 0.8777; se = √(0.002² / 3 + 0.0071014² / 3) = 0.0042595; Welch df 2.315, t = 3.77: ± 0.0161
  assert.ok(Math.abs(v[0].difference!.diff - (0.983 - (0.1012 * 2 + 0.1135) / 3)) < 1e-6);
  assert.equal(
    verdictLine(v[0]),
    'BN vs no BN at lr 0.01: validation accuracy 98.30 ± 0.20 % vs 10.53 ± 0.71 % (mean ± std, 3 seeds each; 95 % interval of the difference +86.2 to +89.4 points, Welch): BN higher',
  );
  assert.equal(
    verdictLine(v[1]),
    'BN vs no BN at lr 0.001: validation accuracy 97.90 ± 0.40 % vs 97.80 ± 0.20 % (mean ± std, 3 seeds each; 95 % interval of the difference -0.7 to +0.9 points, Welch): no difference shown (the interval contains 0)',
  );
  assert.equal(verdictLine(v[2]), 'BN vs no BN at lr 0.1: validation accuracy 90.00 % vs 10.00 % (1 seed each): too few seeds for an interval (--seeds 3 gives one)');
});

test('the sweep chart: accuracy against a log learning-rate axis, one line per BN setting with interval bars', () => {
  const groups = [0.1, 0.01, 0.001].flatMap((lr) => [group(false, lr, [0.1, 0.12]), group(true, lr, [0.9, 0.95])]);
  const png = PNG.sync.read(renderSweepChart(groups));
  assert.deepEqual([png.width, png.height], [640, 420]);
});
