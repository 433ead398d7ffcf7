/**
 * Grouped `tbkit compare`: the default grouping when runs record a seed, --group-by keys and
 * name patterns, --no-group, the table's numbers and notes, --json, and the banded chart's SVG
 * (band polygons, faint runs, marks on steps not every run logged).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SummaryWriter } from '../../src/summary';
import { runCli, tmpDir } from './helpers';

/** 2 × 3 seeds; bn-s3 stops a step early; nobn-s2's accuracy is NaN at the end. */
async function seedLogdir(): Promise<string> {
  const logdir = tmpDir('groups');
  for (const bn of [false, true]) {
    for (const seed of [1, 2, 3]) {
      const w = new SummaryWriter(path.join(logdir, `${bn ? 'bn' : 'nobn'}-lr0.01-s${seed}`));
      w.hparams({ use_bn: bn, learning_rate: 0.01, seed });
      const last = bn && seed === 3 ? 20 : 30;
      for (let step = 10; step <= last; step += 10) {
        const acc = bn ? 0.5 + step / 100 + seed / 100 : 0.25 + seed / 100; // bn: 0.6+s/100, 0.7+…, 0.8+…
        w.scalar('acc', !bn && seed === 2 && step === 30 ? NaN : acc, step, { wallTime: 1000 + step });
      }
      await w.close();
    }
  }
  return logdir;
}

const cli = (args: string[]) => runCli(['compare', ...args], { env: { NO_COLOR: '1' } });

test('runs that record a seed are grouped by every other hparam: n, mean ± std, 95 % CI, best mean @step', async () => {
  const logdir = await seedLogdir();
  const r = cli([logdir]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.deepEqual(lines[0].split(/\s{2,}/), ['use_bn', 'tag', 'n', 'last (mean ± std)', '95 % CI', 'best (mean ± std)', '95 % CI', 'best mean @step']);
  // no BN: last (step 30) = 0.26, NaN, 0.28 → n 3 (1 NaN), mean 0.27 ± 0.014; t(0.975, 1) · 0.01 = 0.127
  assert.deepEqual(lines[1].split(/\s{2,}/), ['false', 'acc', '3 (1 NaN/Inf)', '0.270 ± 0.014', '[0.14, 0.40]', '0.270 ± 0.010', '[0.245, 0.295]', '0.27 @10']);
  // BN: last shared step is 20 (s3 stopped there): 0.71, 0.72, 0.73; best 0.81, 0.82, 0.73 → 0.7867 ± 4.303 · 0.0493 / √3
  assert.deepEqual(lines[2].split(/\s{2,}/), ['true', 'acc', '3', '0.720 ± 0.010', '[0.695, 0.745]', '0.787 ± 0.049', '[0.66, 0.91]', '0.72 @20']);
  assert.match(r.stdout, /grouped by every hparam except seed: mean ± sample std/);
  assert.match(r.stdout, /NaN\/Inf values \(diverged runs\) are left out of the statistics and counted beside n/);
  assert.match(r.stdout, /not averaged: steps logged by only some runs of a group: use_bn=true acc: 1 \(from step 30\)/);

  const perRun = cli([logdir, '--no-group']);
  assert.match(perRun.stdout, /^run +learning_rate +seed +use_bn +acc last/);
  assert.equal(perRun.stdout.split('\n').filter((l) => /-lr0\.01-s\d/.test(l)).length, 6);
  assert.match(cli([logdir, '--no-group', '--group-by', 'use_bn']).stderr, /contradict/);
  fs.rmSync(logdir, { recursive: true });
});

test('--group-by a name pattern, --metric sorts the groups, --json gives the same numbers', async () => {
  const logdir = await seedLogdir();
  const r = cli([logdir, '--group-by', '{bn}-lr{lr}-s*', '--metric', 'acc', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.groupedBy, 'run names matching {bn}-lr{lr}-s*');
  assert.deepEqual(j.groups.map((g: { label: string }) => g.label), ['bn=bn', 'bn=nobn']); // best (highest) mean first
  const nobn = j.groups[1];
  assert.deepEqual(nobn.runs, ['nobn-lr0.01-s1', 'nobn-lr0.01-s2', 'nobn-lr0.01-s3']);
  const acc = nobn.metrics.acc;
  assert.equal(acc.lastStep, 30);
  assert.deepEqual(acc.last.values, [Math.fround(0.26), 'NaN', Math.fround(0.28)]);
  assert.deepEqual([acc.last.n, acc.last.nonFinite], [2, 1]);
  assert.ok(Math.abs(acc.last.interval.lo - (0.27 - 0.127062)) < 1e-6);
  assert.equal(acc.last.interval.df, 1);
  assert.deepEqual([acc.sharedSteps, acc.partialSteps], [3, []]);
  assert.deepEqual(j.groups[0].metrics.acc.partialSteps, [30]);

  const one = JSON.parse(cli([logdir, '--group-by', '{bn}-lr{lr}-s{seed}', '--json']).stdout);
  assert.equal(one.groups.length, 6);
  assert.equal(one.groups[0].metrics.acc.last.interval, null, 'a group of one has no interval, said as null');
  assert.match(cli([logdir, '--group-by', '{bn}-lr{lr}-s{seed}']).stdout, /none \(n=1\)/);
  fs.rmSync(logdir, { recursive: true });
});

test('--plot with groups: a mean line and a band per group, the runs faint, marks where not every run logged', async () => {
  const logdir = await seedLogdir();
  const svgFile = path.join(logdir, 'g.svg');
  const r = cli([logdir, '--plot', svgFile, '--band', 'minmax']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /wrote 1 chart of 2 groups of 6 runs/);
  const svg = fs.readFileSync(svgFile, 'utf8');
  const legend = [...svg.matchAll(/<g class="legend-item" data-run="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(legend, ['use_bn=false (3 runs)', 'use_bn=true (3 runs)']);
  assert.equal((svg.match(/<path class="band" /g) ?? []).length, 2);
  assert.equal((svg.match(/<path class="series-faint" data-run="use_bn=true \(3 runs\)"/g) ?? []).length, 3);
  // The BN mean stops at step 20; two runs reached step 30 (marked), and no BN has a NaN at 30 (marked).
  const bnMean = svg.match(/<path class="series" data-run="use_bn=true \(3 runs\)"[^>]* d="([^"]*)"/)![1];
  assert.equal(bnMean.split(/[ML]/).filter(Boolean).length, 2);
  assert.equal((svg.match(/<circle class="partial-step" data-run="use_bn=true \(3 runs\)"/g) ?? []).length, 2);
  assert.equal((svg.match(/<circle class="partial-step" data-run="use_bn=false \(3 runs\)"/g) ?? []).length, 1);
  // The band's vertical extent at step 10 is the min–max of the BN runs: 0.61..0.63, inside the panel's y domain.
  assert.match(svg, /data-y-domain="0\.2 0\.9"/);
  const std = cli([logdir, '--plot', svgFile, '--band', 'std']);
  assert.equal(std.code, 0, std.stderr);
  assert.match(fs.readFileSync(svgFile, 'utf8'), /±1 std band/);
  fs.rmSync(logdir, { recursive: true });
});
