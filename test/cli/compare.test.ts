import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { compareRuns } from '../../src/cli/compare';
import { bestModeFor, summarize } from '../../src/aggregate';
import { SummaryWriter } from '../../src/summary';
import { golden, manifest, runCli, tmpDir, f32 } from './helpers';

const last = (run: string, tag: string) => {
  const pts = manifest.runs[run].scalars![tag];
  return pts[pts.length - 1];
};

test('compareRuns on the golden logdir: hparams, last and best per tag', () => {
  const rows = compareRuns(golden);
  assert.deepEqual(rows.map((r) => r.run), ['legacy_v1', 'run_a', 'run_b', 'writer_api']);
  const a = rows.find((r) => r.run === 'run_a')!;
  assert.deepEqual(a.hparams, manifest.runs.run_a.hparams);
  assert.deepEqual(rows.find((r) => r.run === 'run_b')!.hparams, manifest.runs.run_b.hparams);
  assert.deepEqual(Object.keys(a.metrics).sort(), ['accuracy', 'loss']);
  assert.equal(a.metrics.loss.last, last('run_a', 'loss')[2]);
  assert.equal(a.metrics.loss.lastStep, 9);
  assert.equal(a.metrics.loss.mode, 'min');
  assert.equal(a.metrics.loss.best, f32(0.1));
  assert.equal(a.metrics.loss.bestStep, 9);
  assert.equal(a.metrics.accuracy.mode, 'max');
  assert.equal(a.metrics.accuracy.best, f32(0.9));
  assert.equal(a.metrics.accuracy.bestStep, 9);
  const b = rows.find((r) => r.run === 'run_b')!;
  assert.equal(b.metrics.loss.last, f32(0.1 + 0.05));
  assert.equal(b.metrics.accuracy.last, last('run_b', 'accuracy')[2]);
  const legacy = rows.find((r) => r.run === 'legacy_v1')!;
  assert.deepEqual([legacy.metrics['legacy/loss'].best, legacy.metrics['legacy/loss'].bestStep], [f32(0.4), 40]);
  assert.deepEqual(legacy.hparams, {});
  // no keyword in "writer_api/value": --mode decides
  const w = rows.find((r) => r.run === 'writer_api')!.metrics['writer_api/value'];
  assert.deepEqual([w.mode, w.best, w.bestStep, w.last], ['min', 0.5, 0, 4.5]);
  const wmax = compareRuns(golden, { mode: 'max' }).find((r) => r.run === 'writer_api')!.metrics['writer_api/value'];
  assert.deepEqual([wmax.mode, wmax.best, wmax.bestStep], ['max', 4.5, 2]);
});

test('--metric sorts runs best first, in the tag direction; --tag/--run filter', () => {
  assert.deepEqual(compareRuns(golden, { metric: 'accuracy' }).map((r) => r.run), ['run_b', 'run_a', 'legacy_v1', 'writer_api']);
  assert.deepEqual(compareRuns(golden, { metric: 'loss', runs: ['run_*'] }).map((r) => r.run), ['run_a', 'run_b']);
  const rows = compareRuns(golden, { tags: ['loss'], runs: ['/^run_/'] });
  assert.deepEqual(rows.map((r) => Object.keys(r.metrics)), [['loss'], ['loss']]);
  assert.throws(() => compareRuns(golden, { metric: 'nope' }), /--metric nope/);
});

test('best-direction keywords and NaN handling', () => {
  assert.equal(bestModeFor('train/loss', 'max'), 'min');
  assert.equal(bestModeFor('total_cost', 'max'), 'min');
  assert.equal(bestModeFor('val/error_rate', 'max'), 'min');
  assert.equal(bestModeFor('val_acc', 'min'), 'max');
  assert.equal(bestModeFor('Accuracy', 'min'), 'max');
  assert.equal(bestModeFor('reward', 'max'), 'max');
  const s = summarize('loss', [{ step: 1, wallTime: 0, value: NaN }, { step: 2, wallTime: 0, value: 3 }, { step: 3, wallTime: 0, value: 1 }, { step: 4, wallTime: 0, value: 1 }, { step: 5, wallTime: 0, value: NaN }], 'min')!;
  assert.deepEqual([s.best, s.bestStep, s.lastStep], [1, 3, 5]);
  assert.ok(Number.isNaN(s.last));
});

test('compare CLI: table and --json (child process via bin/tbkit.js)', () => {
  const r = runCli(['compare', golden, '--metric', 'accuracy'], { via: 'bin' });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0], /^run\s+layers\s+lr\s+optimizer\s+use_bn\s+accuracy last\s+accuracy max@step/);
  assert.match(lines[1], /^run_b\s+2\s+0\.001\s+sgd\s+false\s+0\.91\s+0\.91 @9/);
  assert.match(lines[2], /^run_a\s+3\s+0\.01\s+adam\s+true\s+0\.9\s+0\.9 @9/);
  assert.match(r.stdout, /sorted by last accuracy \(highest first\)/);
  const j = runCli(['compare', golden, '--json', '--tag', 'loss', '--run', 'run_*']);
  assert.equal(j.code, 0, j.stderr);
  const rows = JSON.parse(j.stdout);
  assert.deepEqual(rows.map((x: { run: string; metrics: { loss: { last: number } } }) => [x.run, x.metrics.loss.last]), [['run_a', f32(0.1)], ['run_b', f32(0.15)]]);
});

test('compare --plot writes a PNG of the requested size and an SVG; bad values are usage errors', () => {
  const dir = tmpDir('compare-plot');
  const png = path.join(dir, 'chart.png');
  const r = runCli(['compare', golden, '--plot', png, '--width', '900', '--height', '640', '--smoothing', '0.6']);
  assert.equal(r.code, 0, r.stderr);
  const img = PNG.sync.read(fs.readFileSync(png));
  assert.deepEqual([img.width, img.height], [900, 640]);
  const svgFile = path.join(dir, 'chart.svg');
  const s = runCli(['compare', golden, '--plot', svgFile, '--tag', 'loss', '--log-y']);
  assert.equal(s.code, 0, s.stderr);
  const svg = fs.readFileSync(svgFile, 'utf8');
  assert.equal((svg.match(/<path class="series"/g) ?? []).length, 2);
  assert.match(svg, /data-log-y="1"/);
  assert.equal(runCli(['compare', golden, '--plot', path.join(dir, 'x.gif')]).code, 2);
  assert.equal(runCli(['compare', golden, '--smoothing', '1.5']).code, 2);
  assert.equal(runCli(['compare', golden, '--mode', 'median']).code, 2);
  assert.equal(runCli(['compare', golden, '--plot', png, '--tag', 'nothing']).code, 2);
});

test('compare on a logdir written with SummaryWriter', async () => {
  const dir = tmpDir('compare-writer');
  const specs = [
    { run: 'lr_0.1', f: (s: number) => 1 / (s + 1) },
    { run: 'lr_0.01', f: (s: number) => 2 / (s + 1) },
  ];
  for (const { run, f } of specs) {
    const w = new SummaryWriter(path.join(dir, run), { now: () => 1700004000 });
    for (let s = 0; s <= 20; s++) {
      w.scalar('train/loss', f(s) + (s === 10 ? (run === 'lr_0.01' ? -6 : -5) : 0), s, { wallTime: 1700004000 + s });
      w.scalar('eval/accuracy', 1 - f(s), s, { wallTime: 1700004000 + s });
    }
    await w.close();
  }
  const rows = compareRuns(dir, { metric: 'eval/accuracy' });
  assert.deepEqual(rows.map((r) => r.run), ['lr_0.1', 'lr_0.01']);
  const a = rows[0].metrics;
  assert.deepEqual([a['train/loss'].best, a['train/loss'].bestStep], [f32(1 / 11 - 5), 10]);
  assert.deepEqual([a['train/loss'].last, a['train/loss'].lastStep], [f32(1 / 21), 20]);
  assert.equal(a['eval/accuracy'].best, f32(1 - 1 / 21));
  const byBest = compareRuns(dir, { metric: 'train/loss', by: 'best' });
  assert.deepEqual(byBest.map((r) => r.run), ['lr_0.01', 'lr_0.1']); // 2/11-6 < 1/11-5
  assert.deepEqual(compareRuns(dir, { metric: 'train/loss' }).map((r) => r.run), ['lr_0.1', 'lr_0.01']); // last: 1/21 < 2/21
});
