/**
 * The CLI conventions every subcommand shares: one event file works wherever a logdir does; a file
 * that is not an event file says so; nothing to show (no run, no tag, no scalar) is exit 2 with one
 * "tbkit: error:" line in inspect, export and compare alike; commander's own errors start with tbkit: too.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SummaryWriter } from '../../src/summary';
import { frameRecord } from '../../src/record';
import { compareRuns } from '../../src/cli/compare';
import { exportToFile } from '../../src/cli/export';
import { inspectPath } from '../../src/cli/inspect';
import { UsageError } from '../../src/cli/errors';
import { runCli, tmpDir } from './helpers';

async function logdir(): Promise<{ dir: string; file: string }> {
  const dir = tmpDir('conv');
  const a = new SummaryWriter(path.join(dir, 'run_a'));
  a.scalar('loss', 1, 1);
  a.scalar('loss', 0.5, 2);
  await a.close();
  const b = new SummaryWriter(path.join(dir, 'run_b'));
  b.text('note', 'no scalars here', 1);
  await b.close();
  return { dir, file: a.path };
}

test('export and compare accept one event file, as inspect does', async () => {
  const { dir, file } = await logdir();
  const name = path.basename(file);
  assert.deepEqual(compareRuns(file).map((r) => [r.run, r.metrics.loss.last]), [[name, 0.5]]);
  const out = path.join(dir, 'one.csv');
  const stats = await exportToFile(file, out);
  assert.equal(stats.points, 2);
  assert.deepEqual(fs.readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').filter((_, i) => i !== 3)), [
    [name, 'loss', '1', '1'],
    [name, 'loss', '2', '0.5'],
  ]);
  assert.equal(inspectPath(file).runs[0].name, name);
});

test('a file that is not an event file is reported as such, not as a CRC error', async () => {
  const dir = tmpDir('notevents');
  const csv = path.join(dir, 'scalars.csv');
  fs.writeFileSync(csv, 'run,tag,step,wall_time,value\nr,loss,1,0,1\n');
  // A valid TFRecord whose record is not an Event (a protobuf with a wire type that Event cannot hold).
  const tfrecord = path.join(dir, 'examples.tfrecord');
  fs.writeFileSync(tfrecord, frameRecord(Uint8Array.from([0x0f, 0xff, 0xff])));
  const empty = path.join(dir, 'empty.bin');
  fs.writeFileSync(empty, '');
  for (const [file, why] of [
    [csv, /not a TFRecord header/],
    [tfrecord, /a TFRecord but not a tensorboard\.Event/],
    [empty, /it is empty/],
  ] as const) {
    for (const run of [() => inspectPath(file), () => compareRuns(file)]) {
      assert.throws(run, (e) => e instanceof UsageError && e.message.startsWith(`${file} is not a TensorBoard event file: `) && why.test(e.message));
    }
  }
  // A file named like an event file is one: empty (being created), or corrupt (the readers' problems, with offsets).
  const fresh = path.join(dir, 'events.out.tfevents.1.host');
  fs.writeFileSync(fresh, '');
  assert.equal(inspectPath(fresh).runs[0].records, 0);
  const corrupt = path.join(dir, 'events.out.tfevents.2.host');
  fs.copyFileSync(csv, corrupt);
  assert.equal(inspectPath(corrupt).errors, 1);
});

test('nothing to show: the same exit 2 and one tbkit: error line in every subcommand', async () => {
  const { dir } = await logdir();
  const cases: Array<[string[], RegExp]> = [
    [['inspect', dir, '--tag', 'zzz'], /^tbkit: error: no tag of the selected runs matches --tag "zzz"$/m],
    [['export', dir, '--tag', 'zzz'], /^tbkit: error: no scalar tag of the selected runs matches --tag "zzz"$/m],
    [['compare', dir, '--tag', 'zzz'], /^tbkit: error: no scalar tag of the selected runs matches --tag "zzz"$/m],
    [['export', dir, '--run', 'run_b'], /^tbkit: error: the selected runs hold no scalars$/m],
    [['compare', dir, '--run', 'run_b'], /^tbkit: error: the selected runs hold no scalars$/m],
    [['compare', dir, '--run', 'zz'], /^tbkit: error: no run matches "zz"; runs are: run_a, run_b$/m],
    [['export', path.join(dir, 'nope')], /^tbkit: error: no such log directory or event file: /m],
    [['inspect', dir, '--bogus'], /^tbkit: error: unknown option '--bogus'$/m],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});
