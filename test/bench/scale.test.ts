/** The scale rows at tiny sizes: structure, the points read, the memory figures' arithmetic. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { benchScale, readRepeats } from '../../bench/scale';
import { scaleSizes } from '../../bench/sizes';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'tbkit.js');

test('scale sizes: 10 k to 10 M points in one run, 10 to 1 000 runs of 10 k (quick: smaller)', () => {
  assert.deepEqual(scaleSizes(false).map((s) => `${s.runs}x${s.pointsPerRun}`), ['1x10000', '1x100000', '1x1000000', '1x10000000', '10x10000', '100x10000', '1000x10000']);
  assert.ok(scaleSizes(true).every((s) => s.runs * s.pointsPerRun <= 1_000_000));
  assert.deepEqual([readRepeats(10_000), readRepeats(1_000_000), readRepeats(10_000_000), readRepeats(10)], [200, 3, 2, 200]);
});

test('benchScale: every point read in a child, export and compare as processes, growth from 1 run to many', async () => {
  const r = await benchScale(BIN, [{ runs: 1, pointsPerRun: 10_000 }, { runs: 3, pointsPerRun: 10_000 }]);
  assert.deepEqual(r.rows.map((x) => [x.runs, x.points]), [[1, 10_001], [3, 30_003]]);
  for (const x of r.rows) {
    assert.equal(x.read.points, x.points);
    assert.ok(x.read.ms.length >= 2 && x.bestNsPerPoint > 0 && x.read.peakRssMB >= x.read.baselineRssMB);
    assert.ok(x.export.peakRssMB! > 0 && x.compare.peakRssMB! > 0);
  }
  const ns = r.rows.map((x) => x.bestNsPerPoint);
  assert.equal(r.nsPerPointSpread, Math.max(...ns) / Math.min(...ns));
  assert.equal(r.manyRunsGrowthMB.compare, r.rows[1].compare.peakRssMB! - r.rows[0].compare.peakRssMB!);
  assert.deepEqual(r.manyRuns, { from: 1, to: 3 });
  assert.equal(r.manyRunsColumnsMB, ((30_003 - 10_001) * 24) / (1024 * 1024), 'the added runs\' columns');
});
