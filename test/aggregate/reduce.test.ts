/**
 * reduceGroups: the reduced runs read back by our reader with exact values (float32, as event
 * files store them), the descriptions, the custom-scalars Margin layout, the group's hparams, and
 * the refusal to mix into an existing reduced run. Also `tbkit reduce` end to end on files.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { groupRuns, reduceGroups, type GroupableRun } from '../../src/aggregate';
import { listRuns, readEvents, readRun } from '../../src/events';
import { messageType } from '../../src/proto';
import { SummaryWriter } from '../../src/summary';
import { runCli, tmpDir } from '../cli/helpers';

const f32 = Math.fround;
const series = (...pairs: Array<[number, number]>) => pairs.map(([step, value]) => ({ step, value, wallTime: 1000 + step }));

const RUNS: GroupableRun[] = [
  { name: 'a-s1', hparams: { lr: 0.1, seed: 1 }, scalars: new Map([['loss', series([0, 4], [10, 2], [20, 1])]]) },
  { name: 'a-s2', hparams: { lr: 0.1, seed: 2 }, scalars: new Map([['loss', series([0, 6], [10, 4], [20, NaN], [30, 0.5])]]) },
  { name: 'a-s3', hparams: { lr: 0.1, seed: 3 }, scalars: new Map([['loss', series([0, 8], [10, 3], [20, 2])]]) },
  { name: 'b-s1', hparams: { lr: 0.5, seed: 1 }, scalars: new Map([['loss', series([0, 9], [10, 9])]]) },
];

test('reduced runs read back: <tag>/mean, /min, /max, /std at the shared steps, exact', async () => {
  const out = tmpDir('reduce');
  const reduced = await reduceGroups(groupRuns(RUNS).groups, out);
  assert.deepEqual(reduced.map((r) => [path.basename(r.dir), r.runs, r.tags]), [
    ['lr=0.1', ['a-s1', 'a-s2', 'a-s3'], [{ tag: 'loss', steps: 3, partialSteps: 1 }]],
    ['lr=0.5', ['b-s1'], [{ tag: 'loss', steps: 2, partialSteps: 0 }]],
  ]);
  const runs = listRuns(out);
  assert.deepEqual(runs.map((r) => r.name), ['lr=0.1', 'lr=0.5']);
  const a = readRun(runs[0].files);
  assert.deepEqual(a.problems, []);
  const at = (tag: string) => a.scalars.get(tag)!.map((p) => [p.step, p.value, p.wallTime]);
  // Steps 0, 10, 20 (30: only a-s2); at step 20 a-s2 is NaN: left out, the others are 1 and 2.
  assert.deepEqual(at('loss/mean'), [[0, 6, 1000], [10, 3, 1010], [20, 1.5, 1020]]);
  assert.deepEqual(at('loss/min'), [[0, 4, 1000], [10, 2, 1010], [20, 1, 1020]]);
  assert.deepEqual(at('loss/max'), [[0, 8, 1000], [10, 4, 1010], [20, 2, 1020]]);
  assert.deepEqual(at('loss/std'), [[0, 2, 1000], [10, 1, 1010], [20, f32(Math.SQRT1_2), 1020]]);
  assert.equal(a.tags.get('loss/mean')!.description, 'Mean of 3 runs (a-s1, a-s2, a-s3) at the 3 steps all of them logged; 1 step logged by only some of them left out; NaN/Inf values left out at 1 step.');
  assert.deepEqual(a.hparams!.hparams, { lr: 0.1, seeds: '1,2,3', reduced_runs: 3 });

  // A group of one: no /std (no spread to show).
  const b = readRun(runs[1].files);
  assert.deepEqual([...b.scalars.keys()].sort(), ['loss/max', 'loss/mean', 'loss/min']);
  assert.deepEqual(b.scalars.get('loss/mean')!.map((p) => p.value), [9, 9]);
  assert.deepEqual(b.hparams!.hparams, { lr: 0.5, seeds: '1', reduced_runs: 1 });

  // The custom-scalars layout: one Margin chart per tag, mean with the min–max band.
  const L = messageType('tensorboard.Layout');
  const ev = [...readEvents(runs[0].files[0])].map((e) => e.event).find((e) => e.summary?.value?.[0]?.tag === 'custom_scalars__config__')!;
  const layout = L.toObject(L.decode(ev.summary!.value![0].tensor!.string_val![0])) as { category: unknown[] };
  assert.deepEqual(layout.category, [{
    title: 'mean with the min–max band of the runs (tbkit reduce)',
    chart: [{ title: 'loss', margin: { series: [{ value: 'loss/mean', lower: 'loss/min', upper: 'loss/max' }] } }],
  }]);

  // Never mixed into: a second reduce into the same place is refused before anything is written, unless overwrite.
  await assert.rejects(reduceGroups(groupRuns(RUNS).groups, out), /lr=0\.1, .*lr=0\.5 already hold runs/);
  assert.equal(listRuns(out)[0].files.length, 1);
  await reduceGroups(groupRuns(RUNS).groups, out, { overwrite: true });
  assert.equal(listRuns(out)[0].files.length, 1);
  fs.rmSync(out, { recursive: true });
});

test('tbkit reduce: groups by every hparam except seed, writes <logdir>/agg, skips it when run again', async () => {
  const logdir = tmpDir('reduce-cli');
  for (const r of RUNS) {
    const w = new SummaryWriter(path.join(logdir, r.name));
    w.hparams({ ...r.hparams });
    for (const p of r.scalars.get('loss')!) w.scalar('loss', p.value, p.step, { wallTime: p.wallTime });
    await w.close();
  }
  const first = runCli(['reduce', logdir], { env: { NO_COLOR: '1' } });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /agg\/lr=0\.1: 3 runs \(a-s1, a-s2, a-s3\), 1 tag, 3 steps; 1 step logged by only some runs left out\n/);
  assert.deepEqual(listRuns(path.join(logdir, 'agg')).map((r) => r.name), ['lr=0.1', 'lr=0.5']);
  const again = runCli(['reduce', logdir], { env: { NO_COLOR: '1' } });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already hold runs: .*pass --overwrite/);
  const over = runCli(['reduce', logdir, '--overwrite', '--group-by', 'lr'], { env: { NO_COLOR: '1' } });
  assert.equal(over.code, 0, over.stderr);
  assert.doesNotMatch(over.stdout, /agg\/lr=0\.1\/agg/, 'reduced runs are not inputs');
  const data = readRun(listRuns(path.join(logdir, 'agg'))[0].files);
  assert.deepEqual(data.scalars.get('loss/mean')!.map((p) => p.value), [6, 3, 1.5]);
  const bad = runCli(['reduce', logdir, '--group-by', 'momentum'], { env: { NO_COLOR: '1' } });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--group-by: no run has the hparam "momentum"/);
  fs.rmSync(logdir, { recursive: true });
});
