/**
 * export and compare stream a logdir run by run: what they keep while reading (structure, not
 * timing), that a run of many points per run fits under a heap far smaller than the logdir's
 * points, and that the CSV header still finds hparams written anywhere in a file.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRuns } from '../../src/cli/compare-rows';
import { lastOffsetOf, scanHparamNames } from '../../src/cli/export-hparams';
import { bestModeFor, summarize } from '../../src/aggregate';
import { listRuns, readRun } from '../../src/events';
import { SummaryWriter } from '../../src/summary';
import { runCli, tmpDir as makeTmpDir } from './helpers';

const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
const tmpDir = (prefix: string): string => {
  const d = makeTmpDir(prefix);
  dirs.push(d);
  return d;
};

async function writeRun(dir: string, points: number, hparams?: Record<string, string | number | boolean>, hparamsLast = false): Promise<void> {
  const w = new SummaryWriter(dir);
  if (hparams && !hparamsLast) w.hparams(hparams, ['loss']);
  for (let i = 0; i < points; i++) w.scalar(i % 2 ? 'loss' : 'acc', 1 / (1 + i), i >> 1);
  if (hparams && hparamsLast) w.hparams(hparams, ['loss']);
  await w.close();
}

test('compare keeps no run\'s points for its table, and every selected run\'s when it groups or plots', async () => {
  const dir = tmpDir('stream-compare');
  await writeRun(path.join(dir, 'a'), 40, { lr: 0.1 });
  await writeRun(path.join(dir, 'b'), 40, { lr: 0.1, seed: 1 });
  await writeRun(path.join(dir, 'c'), 40, { lr: 0.1, seed: 2 });
  const table = loadRuns(dir, {}, false);
  assert.deepEqual(table.runs.map((r) => [r.name, r.scalars.size]), [['a', 0], ['b', 0], ['c', 0]]);
  // The summaries (from columns) are those of readRun's points.
  for (const info of listRuns(dir)) {
    const pts = readRun(info.files).scalars;
    for (const tag of ['acc', 'loss']) assert.deepEqual(table.summaries.get(info.name)!.get(tag), summarize(tag, pts.get(tag)!, bestModeFor(tag)), `${info.name} ${tag}`);
  }
  // A seed shows up in b: compare will group, so every run's points are kept, a's read again.
  const seeded = loadRuns(dir, { tags: ['loss'] }, 'if-seeded');
  for (const r of seeded.runs) {
    assert.deepEqual([...r.scalars.keys()], ['loss'], `${r.name}: the selected tag only`);
    assert.deepEqual(r.scalars.get('loss'), readRun(listRuns(dir).find((x) => x.name === r.name)!.files).scalars.get('loss'), r.name);
  }
  fs.rmSync(path.join(dir, 'b'), { recursive: true });
  fs.rmSync(path.join(dir, 'c'), { recursive: true });
  assert.deepEqual(loadRuns(dir, {}, 'if-seeded').runs.map((r) => r.scalars.size), [0], 'no seed: a table, no points');
  assert.deepEqual(loadRuns(dir, {}, true).runs.map((r) => r.scalars.size), [2]);
});

test('export and compare of 40 runs × 25 k points run under a 40 MB heap (one run\'s columns at a time)', async () => {
  const dir = tmpDir('stream-heap');
  for (let r = 0; r < 40; r++) await writeRun(path.join(dir, `run_${String(r).padStart(2, '0')}`), 25_000, { lr: 0.01 * (r + 1) });
  // As objects (readRun's), every point of this logdir would need several times this heap.
  const env = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=40`.trim() };
  const cmp = runCli(['compare', dir, '--json'], { env });
  assert.equal(cmp.code, 0, cmp.stderr.slice(-500));
  const rows = JSON.parse(cmp.stdout) as Array<{ run: string; metrics: Record<string, { count: number }> }>;
  assert.equal(rows.length, 40);
  assert.ok(rows.every((r) => r.metrics.loss.count === 12_500 && r.metrics.acc.count === 12_500));
  const out = path.join(dir, 'out.csv');
  const ex = runCli(['export', dir, '-o', out], { env });
  assert.equal(ex.code, 0, ex.stderr.slice(-500));
  const text = fs.readFileSync(out, 'utf8');
  assert.equal(text.split('\n').length - 2, 40 * 25_000, 'every point, one row each');
  assert.ok(text.startsWith('run,tag,step,wall_time,value,hparam/lr\n'));
});

test('the CSV header finds hparams written after a file\'s scalars', async () => {
  const dir = tmpDir('stream-hparams');
  await writeRun(path.join(dir, 'late'), 20_000, { optimizer: 'adam' }, true);
  await writeRun(path.join(dir, 'none'), 10);
  const files = listRuns(dir).flatMap((r) => r.files);
  assert.deepEqual([...scanHparamNames(files)], ['optimizer']);
  const ex = runCli(['export', dir]);
  assert.equal(ex.code, 0, ex.stderr);
  const lines = ex.stdout.split('\n');
  assert.equal(lines[0], 'run,tag,step,wall_time,value,hparam/optimizer');
  assert.match(lines[1], /^late,acc,0,[\d.]+,1,adam$/);
  assert.match(lines.find((l) => l.startsWith('none,'))!, /,$/, 'a run without the hparam: an empty cell');
});

test('lastOffsetOf: the last occurrence, across its 4 MiB read chunks', () => {
  const dir = tmpDir('stream-needle');
  const file = path.join(dir, 'f');
  const needle = Buffer.from('session_start_info');
  const buf = Buffer.alloc((4 << 20) + 100, 0x61);
  needle.copy(buf, 10);
  needle.copy(buf, (4 << 20) - 7); // straddles the first chunk's end
  fs.writeFileSync(file, buf);
  assert.equal(lastOffsetOf(file, needle), (4 << 20) - 7);
  fs.writeFileSync(file, buf.subarray(0, 1000));
  assert.equal(lastOffsetOf(file, needle), 10);
  fs.writeFileSync(file, Buffer.alloc(0));
  assert.equal(lastOffsetOf(file, needle), -1);
});
