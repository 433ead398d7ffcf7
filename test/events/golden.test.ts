/**
 * Our reader against files written by TensorBoard's own Python writer (test/fixtures/golden):
 * every value is compared with manifest.json (what was written), and the general decoder/encoder
 * is checked to round-trip every golden record byte for byte.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listRuns, readRun, readEvents, encodeEvent, type RecordProblem } from '../../src/events';
import { iterateRecordFile } from '../../src/record';
import { T } from '../../src/proto';
import { GOLDEN, GOLDEN_LOGDIR } from '../fixture-paths';

const LOGDIR = GOLDEN_LOGDIR;
interface Manifest {
  files: Array<{ path: string; records: number; run: string; size: number }>;
  runs: Record<string, {
    scalars?: Record<string, Array<[number, number, number]>>;
    histograms?: Record<string, number[]>;
    images?: Record<string, number[]>;
    text?: Record<string, number[]>;
    hparams?: Record<string, unknown> | string[];
  }>;
}
const manifest: Manifest = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'manifest.json'), 'utf8'));

test('listRuns finds the five golden runs, files in name order', () => {
  const runs = listRuns(LOGDIR);
  assert.deepEqual(runs.map((r) => r.name), ['.', 'legacy_v1', 'run_a', 'run_b', 'writer_api']);
  const byRun = new Map<string, string[]>();
  for (const f of manifest.files) byRun.set(f.run, [...(byRun.get(f.run) ?? []), path.join(LOGDIR, f.path)]);
  for (const r of runs) assert.deepEqual(r.files, byRun.get(r.name), r.name);
  assert.deepEqual(runs[3].files.map((f) => path.basename(f)), ['events.out.tfevents.1700000100.tbref.0.2', 'events.out.tfevents.1700000150.tbref.0.3.v2']);
});

test('listRuns on a missing logdir is an Error naming it', () => {
  assert.throws(() => listRuns('/nonexistent/tbkit-logdir'), /\/nonexistent\/tbkit-logdir.*ENOENT/);
});

test('readEvents: record counts equal the manifest, no problems, first event is file_version', () => {
  for (const f of manifest.files) {
    const problems: RecordProblem[] = [];
    const events = [...readEvents(path.join(LOGDIR, f.path), (p) => problems.push(p))];
    assert.equal(events.length, f.records, f.path);
    assert.deepEqual(problems, []);
    assert.equal(events[0].event.file_version, 'brain.Event:2');
    assert.equal(events[0].event.source_metadata?.writer, 'tensorboard.summary.writer.event_file_writer');
    assert.equal(events[0].event.step, 0);
    assert.equal(events[0].offset, 0);
  }
});

test('readRun: every scalar point equals the manifest (step, wall_time, float32 value)', () => {
  for (const run of listRuns(LOGDIR)) {
    const data = readRun(run.files);
    const want = manifest.runs[run.name].scalars ?? {};
    assert.deepEqual([...data.scalars.keys()].sort(), Object.keys(want).sort(), run.name);
    for (const [tag, points] of Object.entries(want)) {
      const got = data.scalars.get(tag)!.map((p) => [p.step, p.wallTime, p.value]);
      assert.deepEqual(got, points, `${run.name}/${tag}`);
    }
    assert.deepEqual(data.problems, []);
    assert.deepEqual(data.purged, []);
    assert.deepEqual(data.duplicates, []);
  }
});

test('readRun: record counts and bytes per file equal the manifest', () => {
  for (const run of listRuns(LOGDIR)) {
    const data = readRun(run.files);
    const want = manifest.files.filter((f) => f.run === run.name);
    assert.deepEqual(data.files, want.map((f) => ({ path: path.join(LOGDIR, f.path), records: f.records, bytes: f.size })));
    assert.equal(data.records, want.reduce((s, f) => s + f.records, 0));
  }
});

test('readRun: histogram/image/text tag steps, plugins and descriptions', () => {
  for (const run of listRuns(LOGDIR)) {
    const data = readRun(run.files);
    const m = manifest.runs[run.name];
    for (const [kind, plugin] of [['histograms', 'histograms'], ['images', 'images'], ['text', 'text']] as const) {
      for (const [tag, steps] of Object.entries(m[kind] ?? {})) {
        const info = data.tags.get(tag);
        assert.ok(info, `${run.name}: ${tag}`);
        assert.equal(info.plugin, plugin);
        assert.deepEqual(info.steps, steps, `${run.name}/${tag}`);
      }
    }
  }
  const a = readRun(listRuns(LOGDIR).find((r) => r.name === 'run_a')!.files);
  assert.deepEqual(
    [...a.tags.values()].map((t) => [t.tag, t.plugin, t.dataClass, t.count, t.description]),
    [
      ['_hparams_/session_start_info', 'hparams', 2, 1, undefined],
      ['loss', 'scalars', 1, 10, 'training loss'],
      ['accuracy', 'scalars', 1, 10, undefined],
      ['weights', 'histograms', 2, 3, 'weights histogram'],
      ['samples', 'images', 3, 2, 'two 4x3 images'],
      ['notes', 'text', 2, 2, 'notes'],
      ['_hparams_/session_end_info', 'hparams', 2, 1, undefined],
    ],
  );
});

test('readRun: hparams of run_a and run_b, experiment of the root run', () => {
  const runs = listRuns(LOGDIR);
  for (const name of ['run_a', 'run_b']) {
    const d = readRun(runs.find((r) => r.name === name)!.files);
    assert.deepEqual(d.hparams?.hparams, manifest.runs[name].hparams);
    assert.equal(d.hparams?.groupName, name);
    assert.equal(d.hparams?.status, 'STATUS_SUCCESS');
    const base = name === 'run_a' ? 1700000000 : 1700000100;
    assert.equal(d.hparams?.startTimeSecs, base);
    assert.equal(d.hparams?.endTimeSecs, base + 99);
  }
  const root = readRun(runs[0].files);
  assert.equal(root.hparams, undefined);
  const exp = root.experiment as { time_created_secs: number; hparam_infos: Array<Record<string, unknown>>; metric_infos: unknown[] };
  assert.equal(exp.time_created_secs, 1700000000);
  assert.deepEqual(exp.hparam_infos.map((h) => [h.name, h.type, h.domain_discrete ?? h.domain_interval]), [
    ['lr', 'DATA_TYPE_FLOAT64', { min_value: 0.0001, max_value: 0.1 }],
    ['optimizer', 'DATA_TYPE_STRING', ['adam', 'sgd']],
    ['layers', 'DATA_TYPE_FLOAT64', { min_value: 1, max_value: 8 }],
    ['use_bn', 'DATA_TYPE_BOOL', [false, true]],
  ]);
  assert.equal(exp.hparam_infos[0].display_name, 'learning rate');
  assert.deepEqual(exp.metric_infos, [
    { name: { tag: 'loss' }, display_name: 'Loss', dataset_type: 'DATASET_TRAINING' },
    { name: { tag: 'accuracy' }, display_name: 'Accuracy', dataset_type: 'DATASET_VALIDATION' },
  ]);
});

test('legacy_v1: simple_value, HistogramProto and Summary.Image are migrated to their plugins', () => {
  const d = readRun(listRuns(LOGDIR).find((r) => r.name === 'legacy_v1')!.files);
  assert.deepEqual(
    [...d.tags.values()].map((t) => [t.tag, t.plugin, t.dataClass, t.steps]),
    [['legacy/loss', 'scalars', 1, [0, 10, 20, 30, 40]], ['legacy/weights', 'histograms', 2, [20]], ['legacy/image', 'images', 3, [40]]],
  );
  assert.deepEqual(d.scalars.get('legacy/loss')!.map((p) => p.value), [2, 1.600000023841858, 1.2000000476837158, 0.800000011920929, 0.4000000059604645]);
});

test('run_b: the two files merge in name order (steps 0..4 then 5..9)', () => {
  const run = listRuns(LOGDIR).find((r) => r.name === 'run_b')!;
  const d = readRun(run.files);
  assert.deepEqual(d.scalars.get('loss')!.map((p) => p.step), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(d.files.map((f) => f.records), [12, 12]);
  // Files are read in name order whatever order they are passed in (reversed, the second file's
  // steps 5..9 would be preempted by the first file's 0..4).
  const rev = readRun([...run.files].reverse());
  assert.deepEqual(rev.scalars.get('loss')!.map((p) => p.step), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(rev.files.map((f) => path.basename(f.path)), run.files.map((f) => path.basename(f)));
  assert.deepEqual(rev.purged, []);
});

test('encodeEvent re-encodes every golden record byte for byte (Python proto3 compatible)', () => {
  let n = 0;
  for (const f of manifest.files) {
    for (const rec of iterateRecordFile(path.join(LOGDIR, f.path))) {
      const obj = T.Event.toObject(T.Event.decode(rec.data), { longs: Number });
      assert.deepEqual(Buffer.from(encodeEvent(obj)), Buffer.from(rec.data), `${f.path}@${rec.offset}`);
      n++;
    }
  }
  assert.equal(n, manifest.files.reduce((s, f) => s + f.records, 0));
});
