/**
 * The bench's peer rows: parsing what the Python scripts and TensorBoard answer, the paired ratios,
 * round orders, the skip path without a venv, and the targets they feed. The real peers (venv,
 * TensorBoard) run only when present, at tiny sizes; nothing asserts on speed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildCompiledCli } from '../../bench/compiled-cli';
import { END_TAG, generateLogdir } from '../../bench/logdir';
import { findMnist, parseExperimentResult, sameAsReadme } from '../../bench/peers/experiment';
import { benchLoading, roundOrder, type LoadingResult } from '../../bench/peers/loading';
import { findPeerPython, missingPeer, parseVersions, pythonCandidates, type PeerPython } from '../../bench/peers/python';
import { countServed, timeTensorBoardLoad, unfinishedRuns } from '../../bench/peers/tensorboard-load';
import { benchWriterPeers, pairedSpeedup, parseWriterRow } from '../../bench/peers/writers';
import type { BenchReport } from '../../bench/report';
import { computeTargets, loadingJudged } from '../../bench/targets';
import { readRunColumns, listRuns } from '../../src/events';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-peers-test-'));
const peer = findPeerPython();
const NO_VENV = 'no venv (test)';

test('parse the Python scripts\' lines; reject anything else', () => {
  assert.deepEqual(parseWriterRow('noise\nROW tensorboardx 20000 2.5 1.6 949520\n'), { n: 20000, seconds: 2.5, cpuSeconds: 1.6, bytes: 949520 });
  assert.throws(() => parseWriterRow('Traceback …'), /no ROW line/);
  assert.throws(() => parseWriterRow('ROW torch 10 nan-ish 1 2'), /no ROW line/);
  assert.deepEqual(parseExperimentResult('epoch:  0, …\nRESULT 1 51.7 2700 0.9848\n'), { bn: true, steps: 2700, accuracy: 0.9848 });
  assert.throws(() => parseExperimentResult('epoch: 0'), /no RESULT line/);
  assert.equal(sameAsReadme({ noBn: 0.10116, bn: 0.98478 }), true, 'the README rounds to 4 places');
  assert.equal(sameAsReadme({ noBn: 0.1012, bn: 0.9846 }), false);
  assert.deepEqual(parseVersions('py', 'warning\n{"python": "3.11.7", "torch": "2.13.0+cpu"}\n'), { python: '3.11.7', torch: '2.13.0+cpu' });
  assert.throws(() => parseVersions('py', 'SyntaxError'), /py printed "SyntaxError", not its package versions/);
});

test('TensorBoard answers: runs not yet read to their end, points served per run', () => {
  const tags = { a: { loss: {}, [END_TAG]: {} }, b: { loss: {} } };
  assert.deepEqual(unfinishedRuns(tags, ['a', 'b', 'c']), ['b', 'c']);
  assert.deepEqual([...countServed({ a: [[1, 0, 0.5], [1, 1, 0.4]], b: [] })], [['a', 2], ['b', 0]]);
  assert.throws(() => countServed({ a: 3 }), /run a has no list of points/);
  assert.throws(() => countServed(null), /not an object of runs/);
});

test('paired ratios and round orders', () => {
  // Round by round, not median ÷ median: [2/1, 30/10, 8/2] → median 3.
  assert.equal(pairedSpeedup([1, 10, 2], [2, 30, 8]), 3);
  assert.deepEqual(roundOrder(['rustboard', 'export', 'compare'], 0), ['rustboard', 'export', 'compare']);
  assert.deepEqual(roundOrder(['rustboard', 'export', 'compare'], 1), ['compare', 'export', 'rustboard']);
});

test('the venv: TBKIT_PYTHON alone when set (an error when it cannot run), else the repo\'s and the sibling venv', () => {
  assert.deepEqual(pythonCandidates({ TBKIT_PYTHON: '/x/bin/python' }), [{ python: '/x/bin/python', explicit: true }]);
  const auto = pythonCandidates({});
  assert.equal(auto.length, 2);
  assert.ok(auto[0].python.endsWith(path.join('.cache', 'tbvenv', 'bin', 'python')) && auto.every((c) => !c.explicit));
  assert.throws(() => findPeerPython({ TBKIT_PYTHON: '/nonexistent/bin/python' }), /TBKIT_PYTHON=\/nonexistent\/bin\/python does not run/);
  assert.equal(missingPeer(NO_VENV, 'torch'), NO_VENV);
  const partial: PeerPython = { python: 'py', versions: { python: '3.11', tensorboard: '2.21.0' } };
  assert.match(missingPeer(partial, 'tensorboard')!, /has no tensorboard/, 'no tensorboard script beside the python');
  assert.match(missingPeer(partial, 'tensorboardX')!, /cannot import tensorboardX/);
  assert.equal(missingPeer({ ...partial, tensorboard: 'tb' }, 'tensorboard'), undefined);
});

test('MNIST for the experiment row: MNIST_DIR, or why not', () => {
  const dir = tmp();
  try {
    assert.match(findMnist({ MNIST_DIR: dir }) as string, /no MNIST in .*train-images-idx3-ubyte\.gz, train-labels-idx1-ubyte\.gz missing/);
    for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']) fs.writeFileSync(path.join(dir, f), '');
    assert.deepEqual(findMnist({ MNIST_DIR: dir }), { dir });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('generated logdirs: every run has the stream, its hparams and the end tag', async () => {
  const dir = tmp();
  try {
    const ld = await generateLogdir(path.join(dir, 'ld'), { runs: 3, pointsPerRun: 10 });
    assert.deepEqual(ld.runs, ['run_0000', 'run_0001', 'run_0002']);
    assert.deepEqual(ld.tagCounts, { loss: 3, accuracy: 3, learning_rate: 2, grad_norm: 2, [END_TAG]: 1 });
    assert.equal(ld.totalPoints, 33);
    const runs = listRuns(ld.dir);
    assert.deepEqual(runs.map((r) => r.name), ld.runs);
    const data = readRunColumns(runs[1].files);
    assert.deepEqual(Object.fromEntries([...data.scalars].map(([t, c]) => [t, c.length])), ld.tagCounts);
    assert.deepEqual(data.hparams?.hparams, { batch_size: 100, learning_rate: 0.02, use_bn: false });
    assert.deepEqual([...data.scalars.get(END_TAG)!.steps], [2], 'after the last step of the stream');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('loading without TensorBoard: tbkit\'s rows run (the installed CLI), TensorBoard\'s are skipped with the reason', async () => {
  const dir = tmp();
  const cli = buildCompiledCli(dir);
  try {
    assert.ok(fs.existsSync(path.join(path.dirname(cli.bin), '..', 'dist', 'src', 'cli', 'main.js')));
    const r = await benchLoading(NO_VENV, cli.bin, { name: 'tiny', runs: 2, pointsPerRun: 40, rounds: 2, pythonLoader: true });
    assert.equal(r.points, 2 * 41);
    assert.deepEqual(r.rows.map((x) => [x.loader, x.seconds.length]), [['readRunColumns', 2], ['export', 2], ['compare', 2]]);
    assert.ok(r.rows.slice(1).every((x) => x.cpuSeconds.length === 2 && x.peakRssMB! > 0), 'the processes report their own CPU and peak RSS');
    assert.deepEqual(r.skipped, { rustboard: NO_VENV, 'python-loader': NO_VENV });
    assert.deepEqual(r.speedupVsRustboard, {});
  } finally {
    cli.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('targets of the peer and scale rows: met, not met, undecided', () => {
  const loading = (name: string, points: number, exportX: number, rust = true, judged = false): LoadingResult => ({
    size: { name, runs: 1, pointsPerRun: points, rounds: 1, pythonLoader: true, judged }, points, bytes: 0,
    rows: rust ? [{ loader: 'rustboard', seconds: [1], cpuSeconds: [] }] : [], speedupVsRustboard: rust ? { export: exportX, compare: 9 } : {}, skipped: {},
  });
  const l = [loading('small', 10, 2), loading('main', 1000, 6, true, true), loading('huge', 5000, 1, true)];
  assert.equal(loadingJudged(l)?.size.name, 'main', 'the marked size');
  assert.equal(loadingJudged([l[0], l[2]]), undefined, 'none marked (--quick): undecided');
  const quick = computeTargets({ skipped: {}, errors: {}, loading: [l[0]] } as unknown as BenchReport).find((t) => t.name === 'logdir loading vs RustBoard (tbkit export)')!;
  assert.match(quick.verdict, /^undecided \(not measured: judged on the full mode's main size\)/);
  const report = {
    skipped: {}, errors: {}, loading: l,
    writerPeers: { scalars: 10, rounds: 1, rows: [], tbkitSpeedup: { tensorboardX: 299, 'torch.utils.tensorboard': 500 }, skipped: {} },
    scale: { rows: [{ runs: 1, pointsPerRun: 10 }, { runs: 1000, pointsPerRun: 10 }], nsPerPointSpread: 1.6, manyRuns: { from: 100, to: 1000 }, manyRunsGrowthMB: { export: 10, compare: 100 }, manyRunsColumnsMB: 240 },
    experiment: { mnistDir: 'm', tbkit: [{ seconds: 300, accuracy: { noBn: 0.1012, bn: 0.9848 } }], pytorch: [{ seconds: 400, accuracy: { noBn: 0.1, bn: 0.98 } }], ratio: 0.75, identical: true },
  } as unknown as BenchReport;
  const met = Object.fromEntries(computeTargets(report).map((t) => [t.name, t.met]));
  assert.equal(met['writer vs tensorboardX'], false);
  assert.equal(met['logdir loading vs RustBoard (tbkit export)'], true);
  assert.equal(met['logdir loading vs RustBoard (tbkit compare)'], true);
  assert.equal(met['reader cost per point flat'], false);
  assert.equal(met['export streams run by run'], true);
  assert.equal(met['compare streams run by run'], false, '100 MB is more than a quarter of 240 MB');
  assert.equal(met['default experiment vs PyTorch'], true);
  const differs = { ...report, experiment: { ...report.experiment!, identical: false } } as BenchReport;
  const e = computeTargets(differs).find((t) => t.name === 'default experiment vs PyTorch')!;
  assert.equal(e.met, false, 'fast but with other results is not the target');
  assert.match(e.verdict, /300 s vs 400 s = 0\.75× \(paired median\); results DIFFER from the README's/);
  const small = { ...report, scale: { ...report.scale!, manyRunsColumnsMB: 20 } } as BenchReport;
  assert.match(computeTargets(small).find((t) => t.name === 'export streams run by run')!.verdict, /^undecided \(.*too few to tell from GC lag/);
  const skipped = computeTargets({ skipped: { experiment: '--no-experiment given' }, errors: {} } as unknown as BenchReport);
  assert.match(skipped.find((t) => t.name === 'default experiment vs PyTorch')!.verdict, /^undecided \(not measured: --no-experiment given\)/);
});

const tb = typeof peer === 'string' ? undefined : peer.tensorboard;
test('real RustBoard serves a tiny generated logdir, every point counted', { skip: tb ? false : `no TensorBoard (${typeof peer === 'string' ? peer : 'no tensorboard script'})` }, async () => {
  const dir = tmp();
  try {
    const ld = await generateLogdir(path.join(dir, 'ld'), { runs: 2, pointsPerRun: 30 });
    const r = await timeTensorBoardLoad(tb!, ld, 'rust', 120_000);
    assert.equal(r.pointsServed, ld.totalPoints);
    assert.ok(r.urlSeconds <= r.tagsSeconds && r.tagsSeconds <= r.seconds);
    assert.ok(r.bytesServed > 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const noWriters = typeof peer === 'string' ? peer : missingPeer(peer, 'tensorboardX') ?? missingPeer(peer, 'torch');
test('real tensorboardX and torch.utils.tensorboard write the whole stream (read back)', { skip: noWriters ?? false }, async () => {
  const r = await benchWriterPeers(peer, { scalars: 200, rounds: 1 });
  assert.deepEqual(r.rows.map((x) => x.writer), ['tbkit', 'tensorboardX', 'torch.utils.tensorboard']);
  assert.deepEqual(r.skipped, {});
  for (const x of r.rows) assert.ok(x.fileBytes > 200 * 20, `${x.writer}: ${x.fileBytes} bytes`);
  assert.ok(Number.isFinite(r.tbkitSpeedup.tensorboardX) && Number.isFinite(r.tbkitSpeedup['torch.utils.tensorboard']));
});
