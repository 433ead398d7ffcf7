/**
 * readRun on hand-built files: purge rules (SessionLog START, out-of-order steps, duplicates),
 * scalar dtypes, non-finite values, and damaged records.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventFileWriter, listRuns, readRun as readRunObjects, readRunColumns, readEvents, type EventInit, type RecordProblem, type RunData } from '../../src/events';
import { SessionStatus } from '../../src/proto';
import { iterateRecordFile } from '../../src/record';
import { GOLDEN_LOGDIR } from '../fixture-paths';

/**
 * readRun, checked against readRunColumns on the same files: every test below also verifies that the
 * columnar reader applies the purge rules identically (same points, tags, problems, purged, ...).
 */
function readRun(files: string[]): RunData {
  const d = readRunObjects(files);
  const c = readRunColumns(files);
  const { scalars: cs, ...crest } = c;
  const { scalars: ds, ...drest } = d;
  assert.deepEqual(crest, drest);
  assert.deepEqual([...cs.keys()], [...ds.keys()]);
  for (const [tag, col] of cs) {
    assert.equal(col.steps.length, col.length);
    assert.equal(col.wallTimes.length, col.length);
    assert.equal(col.values.length, col.length);
    const pts = Array.from({ length: col.length }, (_, i) => ({ step: col.steps[i], wallTime: col.wallTimes[i], value: col.values[i] }));
    assert.deepEqual(pts, ds.get(tag), `columns of ${tag}`);
  }
  return d;
}

const offsets = (f: string) => [...iterateRecordFile(f)].map((r) => r.offset);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-run-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;

async function writeFile(events: Array<EventInit | Uint8Array>, opts: { dir?: string; wall?: number } = {}): Promise<string> {
  const w = new EventFileWriter(opts.dir ?? path.join(tmp, `d${dirs++}`), { fileWallTime: opts.wall ?? 1700000000 });
  for (const e of events) {
    if (e instanceof Uint8Array) w.writeEventBytes(e);
    else w.writeEvent(e);
  }
  await w.close();
  return w.path;
}
const simple = (step: number, value: number, tag = 'loss'): EventInit => ({ wall_time: 1000 + step, step, summary: { value: [{ tag, simple_value: value }] } });
const tensor = (step: number, value: number, tag = 'acc', meta = true): EventInit => ({
  wall_time: 2000 + step, step,
  summary: { value: [{ tag, tensor: { dtype: 1, tensor_shape: {}, float_val: [value] }, ...(meta ? { metadata: { plugin_data: { plugin_name: 'scalars' }, data_class: 1 } } : {}) }] },
});
const start = (step: number): EventInit => ({ wall_time: 3000 + step, step, session_log: { status: SessionStatus.START } });
const histo = (step: number, tag = 'w'): EventInit => ({ wall_time: 4000 + step, step, summary: { value: [{ tag, histo: { min: 0, max: 1, num: 1, bucket_limit: [1], bucket: [1] } }] } });
const steps = (d: ReturnType<typeof readRun>, tag: string) => d.scalars.get(tag)!.map((p) => p.step);
const values = (d: ReturnType<typeof readRun>, tag: string) => d.scalars.get(tag)!.map((p) => p.value);

test('SessionLog START: the first is ignored, a later START at S purges every tag at steps >= S', async () => {
  const evs: EventInit[] = [start(0)];
  for (let s = 0; s < 10; s++) evs.push(simple(s, s), tensor(s, s / 10));
  evs.push(histo(2), histo(7));
  evs.push(start(5));
  for (let s = 5; s < 8; s++) evs.push(simple(s, 100 + s));
  const d = readRun([await writeFile(evs)]);
  assert.deepEqual(steps(d, 'loss'), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(values(d, 'loss'), [0, 1, 2, 3, 4, 105, 106, 107]);
  assert.deepEqual(steps(d, 'acc'), [0, 1, 2, 3, 4]);
  assert.deepEqual(d.tags.get('w')!.steps, [2]);
  const purged = d.purged.map((p) => `${p.tag}@${p.step}:${p.reason}`).sort();
  assert.deepEqual(purged, [
    ...[5, 6, 7, 8, 9].map((s) => `acc@${s}:session-start`),
    ...[5, 6, 7, 8, 9].map((s) => `loss@${s}:session-start`),
    'w@7:session-start',
  ].sort());
  assert.deepEqual(d.duplicates, []);
  assert.equal(d.tags.get('loss')!.count, 13);
});

test('a single START (e.g. at a purge_step) purges nothing', async () => {
  const d = readRun([await writeFile([simple(0, 0), simple(1, 1), start(1), simple(2, 2)])]);
  assert.deepEqual(steps(d, 'loss'), [0, 1, 2]);
  assert.deepEqual(d.purged, []);
});

test('START purging spans files of the run (restart into a new file)', async () => {
  const dir = path.join(tmp, `d${dirs++}`);
  const f1 = await writeFile([start(0), ...[0, 1, 2, 3, 4, 5].map((s) => simple(s, s))], { dir, wall: 1700000000 });
  const f2 = await writeFile([start(3), simple(3, 33), simple(4, 44)], { dir, wall: 1700000100 });
  const d = readRun([f1, f2]);
  assert.deepEqual(steps(d, 'loss'), [0, 1, 2, 3, 4]);
  assert.deepEqual(values(d, 'loss'), [0, 1, 2, 33, 44]);
  assert.deepEqual(d.files.map((f) => f.records), [8, 4]);
});

test('out-of-order step preempts that tag only (steps >= it); equal step is a duplicate (last wins)', async () => {
  const evs: EventInit[] = [];
  for (let s = 0; s < 10; s++) evs.push(simple(s, s), tensor(s, s));
  evs.push(simple(3, 30), simple(4, 40), simple(4, 41), tensor(10, 10));
  const d = readRun([await writeFile(evs)]);
  assert.deepEqual(steps(d, 'loss'), [0, 1, 2, 3, 4]);
  assert.deepEqual(values(d, 'loss'), [0, 1, 2, 30, 41]);
  assert.deepEqual(steps(d, 'acc'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // Listed in the order they were removed (newest first).
  assert.deepEqual(d.purged, [9, 8, 7, 6, 5, 4, 3].map((step) => ({ tag: 'loss', step, reason: 'out-of-order' })));
  assert.deepEqual(d.duplicates, [{ tag: 'loss', step: 4 }]);
});

test('scalar dtypes and shapes: DT_FLOAT float_val/tensor_content, DT_DOUBLE, DT_INT32/INT64 accepted; non-scalars not', async () => {
  const meta = { plugin_data: { plugin_name: 'scalars' } };
  const f32 = Buffer.alloc(4); f32.writeFloatLE(0.1);
  const f64 = Buffer.alloc(8); f64.writeDoubleLE(0.1);
  const v = (step: number, t: Record<string, unknown>): EventInit => ({ wall_time: 1, step, summary: { value: [{ tag: 's', metadata: meta, tensor: t }] } });
  const d = readRun([await writeFile([
    v(0, { dtype: 1, float_val: [0.1] }),
    v(1, { dtype: 1, tensor_content: f32 }),
    v(2, { dtype: 2, double_val: [0.1] }),
    v(3, { dtype: 2, tensor_content: f64 }),
    v(4, { dtype: 3, int_val: [-7] }),
    v(5, { dtype: 9, int64_val: [12345678901] }),
    v(6, { dtype: 1, tensor_shape: { dim: [{ size: 1 }] }, float_val: [6] }),
    v(7, { dtype: 1, tensor_shape: { dim: [{ size: 2 }] }, float_val: [1, 2] }), // not a scalar: dropped
    v(8, { dtype: 7, string_val: [Buffer.from('x')] }), // not a scalar: dropped
  ])]);
  assert.deepEqual(d.scalars.get('s')!.map((p) => [p.step, p.value]), [
    [0, Math.fround(0.1)], [1, Math.fround(0.1)], [2, 0.1], [3, 0.1], [4, -7], [5, 12345678901], [6, 6],
  ]);
});

test('NaN and ±Infinity values are kept; float32 rounding is visible', async () => {
  const d = readRun([await writeFile([simple(0, NaN), simple(1, Infinity), tensor(2, -Infinity, 'loss'), simple(3, 0.1)])]);
  const got = values(d, 'loss');
  assert.ok(Number.isNaN(got[0]));
  assert.deepEqual(got.slice(1), [Infinity, -Infinity, Math.fround(0.1)]);
});

test('metadata only on the first value fixes the plugin; a tensor with no metadata is not a scalar', async () => {
  const d = readRun([await writeFile([tensor(0, 1, 'a', true), tensor(1, 2, 'a', false), tensor(0, 5, 'b', false)])]);
  assert.deepEqual(steps(d, 'a'), [0, 1]);
  assert.equal(d.scalars.has('b'), false);
  assert.deepEqual([d.tags.get('b')!.plugin, d.tags.get('b')!.dataClass, d.tags.get('b')!.steps], ['', 0, [0]]);
});

test('a Keras model graph and audio without data class are blob sequences, as TensorBoard migrates them', async () => {
  const value = (tag: string, plugin: string, dims: number[]) => ({
    tag, metadata: { plugin_data: { plugin_name: plugin } }, tensor: { dtype: 7, tensor_shape: { dim: dims.map((size) => ({ size })) }, string_val: dims.length ? [Buffer.from('w'), Buffer.from('')] : [Buffer.from('{}')] },
  });
  const d = readRun([await writeFile([
    { wall_time: 1, step: 0, summary: { value: [value('keras', 'graph_keras_model', [])] } },
    { wall_time: 1, step: 1, summary: { value: [value('a', 'audio', [1, 2])] } },
  ])]);
  assert.deepEqual(['keras', 'a'].map((t) => [d.tags.get(t)!.plugin, d.tags.get(t)!.dataClass]), [['graph_keras_model', 3], ['audio', 3]]);
});

test('garbage protobuf with valid CRCs → one "bad-event" problem, later events still read', async () => {
  const f = await writeFile([simple(0, 1), new Uint8Array([0xff, 0xff, 0xff]), simple(1, 2)]);
  const at = offsets(f)[2];
  const d = readRun([f]);
  assert.deepEqual(steps(d, 'loss'), [0, 1]);
  assert.deepEqual(d.problems.map((p) => [p.kind, p.file, p.offset]), [['bad-event', f, at]]);
  assert.equal(d.records, 4);
  const problems: RecordProblem[] = [];
  const evs = [...readEvents(f, (p) => problems.push(p))];
  assert.deepEqual(evs.map((e) => e.event.step), [0, 0, 1]);
  assert.deepEqual(problems.map((p) => [p.kind, p.offset]), [['bad-event', at]]);
  assert.match(problems[0].message, /valid CRCs but is not a tensorboard\.Event/);
});

test('damaged files: corrupt data CRC skips a record, truncated tail is a problem, data before is kept', async () => {
  const f = await writeFile([0, 1, 2, 3].map((s) => simple(s, s)));
  const buf = fs.readFileSync(f);
  const off = offsets(f); // file_version, steps 0..3
  buf[off[2] + 20] ^= 0xff; // a data byte of step 1's record
  const damaged = path.join(tmp, 'damaged.tfevents');
  fs.writeFileSync(damaged, buf.subarray(0, buf.length - 5));
  const d = readRun([damaged]);
  assert.deepEqual(steps(d, 'loss'), [0, 2]);
  assert.deepEqual(d.problems.map((p) => [p.kind, p.offset]), [['corrupt-data', off[2]], ['truncated', off[4]]]);
  assert.deepEqual(d.files, [{ path: damaged, records: 3, bytes: off[4] }]);
});

test('an unreadable file is a problem, not a throw; the other files are read', async () => {
  const f = await writeFile([simple(0, 1)]);
  const d = readRun([path.join(tmp, 'missing.tfevents'), f]);
  assert.deepEqual(d.problems.map((p) => p.kind), ['unreadable']);
  assert.deepEqual(steps(d, 'loss'), [0]);
});

test('graph_def becomes the graphs plugin tag __run_graph__', async () => {
  const d = readRun([await writeFile([{ wall_time: 1, step: 0, graph_def: new Uint8Array([1, 2, 3]) }])]);
  assert.deepEqual([d.tags.get('__run_graph__')!.plugin, d.tags.get('__run_graph__')!.steps], ['graphs', [0]]);
});

test('readRunColumns equals readRun on the golden logdir (TensorBoard-written files)', () => {
  const golden = GOLDEN_LOGDIR;
  const runs = listRuns(golden);
  assert.ok(runs.length >= 5);
  let points = 0;
  for (const r of runs) {
    const d = readRun(r.files); // compares with readRunColumns
    for (const pts of d.scalars.values()) points += pts.length;
  }
  assert.ok(points > 0);
});
