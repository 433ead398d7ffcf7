/**
 * Bad values and names.
 * - NaN / ±Infinity / -0 / float32 extremes are written faithfully and read back bit-exact (float32
 *   bits), in both scalar formats and through both readers.
 * - Wrong argument types are rejected synchronously, with the argument's name, and nothing is written.
 * - Names that would escape the log directory (`..` segments, absolute paths, separators, NUL) are
 *   rejected wherever a name becomes a path: embedding tags (projector paths), hooks' outputDir and
 *   session.writerFor(dir), experiment run names and --logdir, SummaryWriter/EventFileWriter logdir,
 *   and names read back from checkpoint files (checkpoint.json entries, model.json weight paths).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SummaryWriter } from '../../src/summary/summary-writer';
import { EventFileWriter, readEvents, readRun } from '../../src/events';
import { MonitoredTrainingSession, CheckpointManager } from '../../src/session';
import { SummarySaverHook, StepCounterHook, ValidationHook } from '../../src/hooks';
import { chooseRunDir } from '../../src/experiments/bn/run-dir';
import { resolveConfig, ConfigError } from '../../src/experiments/bn/config';
import { isoTime } from '../../src/cli/format';
import { inspectPath } from '../../src/cli/inspect';
import { formatInspect } from '../../src/cli/inspect-text';
import { fakeRegistry, tmpDir } from '../session/helpers';

/**
 * float32 bits of a value. Every NaN maps to one value: JS does not preserve a NaN's sign or payload
 * through arithmetic (`-NaN` may or may not set the sign bit), so "the same NaN" means "a NaN".
 */
const bits = (x: number): number => (Number.isNaN(x) ? -1 : new Uint32Array(Float32Array.of(x).buffer)[0]);

const SPECIAL = [NaN, Infinity, -Infinity, -0, 0, 3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, 1 / 3, 1e-40, 1e39];

test('NaN, ±Infinity, -0 and float32 extremes round-trip bit-exact (tensor and simple_value scalars, scalar() and scalars(), both readers)', async () => {
  for (const scalarFormat of ['tensor', 'simple_value'] as const) {
    const w = new SummaryWriter(tmpDir('tbkit-rel-nan-'), { scalarFormat });
    SPECIAL.forEach((v, i) => {
      w.scalar('one', v, i);
      w.scalars({ 'many/a': v, 'many/b': -v }, i);
    });
    await w.close();
    const run = readRun([w.path]);
    assert.deepEqual(run.problems, []);
    for (const [tag, sign] of [['one', 1], ['many/a', 1], ['many/b', -1]] as const) {
      const pts = run.scalars.get(tag)!;
      assert.equal(pts.length, SPECIAL.length);
      pts.forEach((p, i) => assert.equal(bits(p.value), bits(Math.fround(sign * SPECIAL[i])), `${scalarFormat} ${tag}@${i}: ${p.value} vs ${SPECIAL[i]}`));
    }
    // The general (protobufjs) decoder agrees.
    const slow: number[] = [];
    for (const { event } of readEvents(w.path)) {
      const v = event.summary?.value.find((x) => x.tag === 'one');
      if (!v) continue;
      if (v.simple_value !== undefined) slow.push(v.simple_value);
      else if (v.tensor?.float_val?.length) slow.push(v.tensor.float_val[0]);
      else slow.push(Buffer.from(v.tensor!.tensor_content!).readFloatLE(0));
    }
    assert.deepEqual(slow.map(bits), SPECIAL.map((v) => bits(Math.fround(v))));
  }
});

test('wrong types are rejected synchronously with the argument name, and nothing reaches the file', async () => {
  const w = new SummaryWriter(tmpDir('tbkit-rel-types-'));
  const sym = Symbol('x');
  const cases: Array<[string, () => void, RegExp]> = [
    ['string value', () => w.scalar('t', '1' as never, 1), /SummaryWriter\.scalar: value must be/],
    ['Symbol value', () => w.scalar('t', sym as never, 1), /value must be/],
    ['object value', () => w.scalar('t', {} as never, 1), /value must be/],
    ['object step', () => w.scalar('t', 1, {} as never), /SummaryWriter\.scalar: step must be .*received an object/],
    ['negative step', () => w.scalar('t', 1, -1), /step must be .*received -1/],
    ['fractional step', () => w.scalar('t', 1, 1.5), /step must be .*received 1\.5/],
    ['NaN step', () => w.scalar('t', 1, NaN), /step must be/],
    ['Symbol step', () => w.scalar('t', 1, sym as never), /step must be .*received Symbol\(x\)/],
    ['Symbol tag', () => w.scalar(sym as never, 1, 1), /tag must be .*received Symbol\(x\)/],
    ['empty tag', () => w.scalar('', 1, 1), /tag must be/],
    ['NUL in tag', () => w.scalar('a\0b', 1, 1), /tag must be .*without NUL/],
    ['scalars: string value', () => w.scalars({ a: 'x' as never }, 1), /values\["a"\]/],
    ['scalars: negative step', () => w.scalars({ a: 1 }, -2), /step must be/],
    ['histogram: string values', () => w.histogram('h', 'abc' as never, 1), /SummaryWriter\.histogram: values? /],
    ['histogram: fractional step', () => w.histogram('h', [1, 2], 0.5), /step must be/],
    ['text: object step', () => w.text('t', 'x', {} as never), /step must be/],
    ['bigint step above int64', () => w.scalar('t', 1, 1n << 64n), /step must be/],
    ['wallTime NaN', () => w.scalar('t', 1, 1, { wallTime: NaN }), /options\.wallTime must be/],
  ];
  for (const [name, fn, re] of cases) assert.throws(fn, (e: Error) => e instanceof TypeError && re.test(e.message), name);
  const ew = new EventFileWriter(tmpDir('tbkit-rel-types-'));
  assert.throws(() => ew.writeEvent({ step: -1 }), /step must be a non-negative integer/);
  assert.throws(() => ew.writeEvent({ step: 2.5 }), /step must be a non-negative integer/);
  assert.throws(() => ew.writeEvent({ step: 'x' as never }), /step must be a number or bigint/);
  assert.throws(() => ew.writeEvent({ step: sym as never }), /step must be a number or bigint, got symbol/);
  w.scalar('ok', 1, 1);
  await w.close();
  await ew.close();
  const run = readRun([w.path, ew.path]);
  assert.deepEqual(run.problems, []);
  assert.deepEqual([...run.scalars.keys()], ['ok'], 'only the valid call wrote anything');
});

const ESCAPES = ['..', '../x', 'a/../../x', '/abs/path', 'a/b', 'a\\b', 'a\0b', '.'];

test('embedding tags (projector paths) that would escape the log dir are rejected; nothing is created outside it', async () => {
  const root = tmpDir('tbkit-rel-emb-');
  const logdir = path.join(root, 'run');
  const w = new SummaryWriter(logdir);
  for (const tag of ESCAPES) {
    assert.throws(() => w.embedding([[1, 2], [3, 4]], { tag }), /SummaryWriter\.embedding: options\.tag must be/, JSON.stringify(tag));
  }
  w.embedding([[1, 2], [3, 4]], { tag: 'ok', metadata: ['a', 'b'] });
  await w.close();
  assert.deepEqual(fs.readdirSync(root), ['run'], 'nothing written next to the run');
  const cfg = fs.readFileSync(path.join(logdir, 'projector_config.pbtxt'), 'utf8');
  assert.match(cfg, /tensor_path: "00000\/ok\/tensors\.tsv"/);
});

test('hooks\' outputDir and session.writerFor(dir): NUL and ".." segments rejected naming the argument; absolute paths accepted', async () => {
  for (const bad of ['../eval', 'logs/../../eval', 'a\0b', '']) {
    for (const make of [
      () => new SummarySaverHook({ saveSteps: 1, outputDir: bad }),
      () => new StepCounterHook({ outputDir: bad }),
      () => new ValidationHook({ every: { steps: 1 }, fn: () => ({}), outputDir: bad }),
    ]) {
      assert.throws(make, (e: Error) => e instanceof TypeError && /options\.outputDir must be a/.test(e.message), JSON.stringify(bad));
    }
  }
  const dir = tmpDir('tbkit-rel-wf-');
  const { registry } = fakeRegistry();
  const s = await MonitoredTrainingSession.create({ summaryDir: path.join(dir, 'train'), writerRegistry: registry, handleSignals: false, logStepCountSteps: 0, saveSummariesSteps: 0 });
  assert.throws(() => s.writerFor('../escape'), /session\.writerFor: dir must be a directory path without "\.\." segments/);
  assert.throws(() => s.writerFor('x\0y'), /session\.writerFor: dir must be a non-empty directory path without NUL/);
  const ev = s.writerFor(path.join(dir, 'eval'));
  assert.equal(ev?.logdir, path.join(dir, 'eval'), 'an absolute sibling run dir is fine');
  await s.close();
  // A session whose own summaryDir is relative with ".." (the user's choice of logdir) still works.
  const s2 = await MonitoredTrainingSession.create({ summaryDir: path.relative(process.cwd(), path.join(dir, 'rel')), writerRegistry: registry, handleSignals: false, logStepCountSteps: 0, saveSummariesSteps: 0 });
  assert.ok(s2.writer);
  await s2.close();
});

test('experiment run names and --logdir: escapes and NUL rejected; a plain name works', () => {
  const logdir = tmpDir('tbkit-rel-run-');
  for (const name of ['..', '.', '../x', '/etc', 'a/b', 'a\\b', 'x\0', '']) {
    assert.throws(() => chooseRunDir(logdir, name, { overwrite: true, resume: false }), /run name must be a single directory name/, JSON.stringify(name));
  }
  assert.throws(() => chooseRunDir('lo\0gs', 'bn', { overwrite: false, resume: false }), /logdir must be .* without NUL/);
  assert.equal(chooseRunDir(logdir, 'bn-lr0.01', { overwrite: false, resume: false }).dir, path.join(logdir, 'bn-lr0.01'));
  assert.throws(() => resolveConfig({ logdir: 'a\0b' }), (e: Error) => e instanceof ConfigError && /--logdir/.test(e.message));
});

test('SummaryWriter / EventFileWriter logdir with NUL (or not a string): a TypeError at once, not a deferred I/O error', () => {
  assert.throws(() => new SummaryWriter('logs\0/run'), (e: Error) => e instanceof TypeError && /logdir must be a non-empty directory path without NUL/.test(e.message));
  assert.throws(() => new EventFileWriter('logs\0'), TypeError);
  assert.throws(() => new EventFileWriter(42 as never), /logdir must be/);
  assert.throws(() => new EventFileWriter(tmpDir('tbkit-rel-sfx-'), { filenameSuffix: '.v2\0' }), /filenameSuffix/);
});

test('a hostile checkpoint.json cannot make restore read, or save delete, outside the checkpoint dir', async () => {
  const root = tmpDir('tbkit-rel-ckpt-');
  const ckpt = path.join(root, 'ckpt');
  const victim = path.join(root, 'victim');
  fs.mkdirSync(victim);
  fs.writeFileSync(path.join(victim, 'precious.txt'), 'keep me');
  fs.mkdirSync(path.join(ckpt, 'ckpt-1'), { recursive: true });
  fs.writeFileSync(path.join(ckpt, 'ckpt-1', 'session.json'), JSON.stringify({ globalStep: 1, time: 0, hooks: {} }));
  const index = (latest: string) => JSON.stringify({
    latest, latestStep: 1,
    checkpoints: [{ dir: '../victim', step: 0, time: 0 }, { dir: '/tmp', step: 0, time: 0 }, { dir: 'ckpt-1', step: 1, time: 0 }],
  });
  // `latest` pointing outside: refused as a corrupt index (never followed).
  fs.writeFileSync(path.join(ckpt, 'checkpoint.json'), index('../victim'));
  await assert.rejects(new CheckpointManager(ckpt).restoreLatest(), /corrupt checkpoint index .*latest must name a ckpt-<step> directory/);
  // Entries pointing outside are ignored: keep=1 drops old entries, and must not rm -rf the victim.
  fs.writeFileSync(path.join(ckpt, 'checkpoint.json'), index('ckpt-1'));
  const m = new CheckpointManager(ckpt, { keep: 1 });
  assert.equal((await m.restoreLatest())?.step, 1);
  await m.save(2, { globalStep: 2, time: 0, hooks: {} });
  await m.save(3, { globalStep: 3, time: 0, hooks: {} });
  assert.equal(fs.readFileSync(path.join(victim, 'precious.txt'), 'utf8'), 'keep me');
  assert.ok(fs.existsSync('/tmp'));
  assert.deepEqual(m.readIndex()!.checkpoints.map((c) => c.dir), ['ckpt-3']);
});

test('a model.json whose weight path leaves the checkpoint dir is refused', async () => {
  const { fileLoadHandler } = await import('../../src/tfjs/checkpoint');
  const dir = tmpDir('tbkit-rel-model-');
  for (const p of ['../weights.bin', '/etc/hostname', 'sub/w.bin', '..']) {
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: [p], weights: [] }] }));
    await assert.rejects(fileLoadHandler(dir).load!(), /weights path .* must be a file name in the checkpoint directory/, p);
  }
});

test('hostile times in a file (hparams start time 1e300) do not crash inspect', async () => {
  assert.equal(isoTime(1e300), '');
  assert.equal(isoTime(-1e20), '');
  assert.equal(isoTime(1_700_000_000), '2023-11-14T22:13:20Z');
  const w = new SummaryWriter(tmpDir('tbkit-rel-time-'));
  w.hparams({ lr: 0.1 }, ['loss'], { startTimeSecs: 1e300 });
  w.endHparams('success', { endTimeSecs: -1e300 });
  await w.close();
  const report = inspectPath(w.path);
  assert.equal(report.runs[0].hparams?.startTimeSecs, 1e300);
  assert.doesNotThrow(() => formatInspect(report, { color: false, boxes: false }));
});
