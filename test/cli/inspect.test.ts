import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspectPath } from '../../src/cli/inspect';
import { SummaryWriter } from '../../src/summary';
import { golden, manifest, runCli, tmpDir, recordOffsets } from './helpers';

const RUN_A_FILE = 'run_a/events.out.tfevents.1700000000.tbref.0.1';

test('inspect --json on the golden logdir: runs, files, tags by plugin, step ranges, values, hparams', () => {
  const r = runCli(['inspect', golden, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout);
  assert.deepEqual(rep.runs.map((x: { name: string }) => x.name), ['.', 'legacy_v1', 'run_a', 'run_b', 'writer_api']);
  assert.equal(rep.errors, 0);
  assert.equal(rep.exitCode, 0);
  // files: record counts and sizes as in the manifest
  const files = rep.runs.flatMap((x: { files: Array<{ path: string; records: number; bytes: number }> }) => x.files);
  assert.deepEqual(
    files.map((f: { path: string; records: number; bytes: number }) => [f.path, f.records, f.bytes]).sort(),
    manifest.files.map((f) => [f.path, f.records, f.size]).sort(),
  );
  for (const run of rep.runs) {
    const m = manifest.runs[run.name];
    const groups: Record<string, Array<{ tag: string; steps: number[]; firstStep: number; lastStep: number; count: number; first?: { value: number; step: number }; last?: { value: number; step: number } }>> = run.plugins;
    const tagsOf = (plugin: string) => (groups[plugin] ?? []).map((t) => t.tag).sort();
    assert.deepEqual(tagsOf('scalars'), Object.keys(m.scalars ?? {}).sort(), `${run.name} scalars`);
    assert.deepEqual(tagsOf('histograms'), Object.keys(m.histograms ?? {}).sort(), `${run.name} histograms`);
    assert.deepEqual(tagsOf('images'), Object.keys(m.images ?? {}).sort(), `${run.name} images`);
    assert.deepEqual(tagsOf('text'), Object.keys(m.text ?? {}).sort(), `${run.name} text`);
    for (const t of groups.scalars ?? []) {
      const pts = m.scalars![t.tag];
      assert.deepEqual(t.steps, pts.map((p) => p[0]));
      assert.equal(t.firstStep, pts[0][0]);
      assert.equal(t.lastStep, pts[pts.length - 1][0]);
      assert.equal(t.first!.value, pts[0][2]);
      assert.equal(t.last!.value, pts[pts.length - 1][2]);
      assert.equal(t.last!.step, pts[pts.length - 1][0]);
    }
    for (const plugin of ['histograms', 'images', 'text'] as const) {
      for (const t of groups[plugin] ?? []) assert.deepEqual(t.steps, m[plugin]![t.tag], `${run.name} ${plugin} ${t.tag}`);
    }
  }
  const runA = rep.runs.find((x: { name: string }) => x.name === 'run_a');
  assert.deepEqual(runA.hparams.hparams, manifest.runs.run_a.hparams);
  assert.deepEqual(rep.runs.find((x: { name: string }) => x.name === 'run_b').hparams.hparams, manifest.runs.run_b.hparams);
  assert.ok(rep.runs[0].plugins.hparams.some((t: { tag: string }) => t.tag === '_hparams_/experiment'));
});

test('inspect text output lists runs, plugins, ranges and hparams; plain when piped', () => {
  const r = runCli(['inspect', golden]);
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout;
  assert.doesNotMatch(out, /\x1b\[/, 'no colours when piped');
  assert.doesNotMatch(out, /[┌─│]/, 'no box drawing when piped');
  for (const run of ['Run .', 'Run legacy_v1', 'Run run_a', 'Run run_b', 'Run writer_api']) assert.ok(out.includes(run), run);
  assert.match(out, /scalars\s+accuracy\s+10\s+0\.\.9\s+0 @0\s+0\.9 @9/);
  assert.match(out, /histograms\s+weights\s+3\s+0, 5, 9/);
  assert.match(out, /images\s+samples\s+2\s+0, 9/);
  assert.match(out, /scalars\s+legacy\/loss\s+5\s+0\.\.40\s+2 @0\s+0\.4 @40/);
  assert.match(out, /hparams: layers=3 {2}lr=0\.01 {2}optimizer=adam {2}use_bn=true/);
  assert.match(out, /No problems found/);
  const colored = runCli(['inspect', golden], { env: { FORCE_COLOR: '1' } });
  assert.match(colored.stdout, /\x1b\[/);
  const nocolor = runCli(['inspect', golden], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
  assert.doesNotMatch(nocolor.stdout, /\x1b\[/);
});

test('inspect of one event file', () => {
  const r = runCli(['inspect', path.join(golden, RUN_A_FILE), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const rep = JSON.parse(r.stdout);
  assert.equal(rep.runs.length, 1);
  assert.equal(rep.runs[0].records, 30);
});

test('a flipped byte in the middle of a record: file and byte offset reported, exit 1', () => {
  const dir = tmpDir('inspect-corrupt');
  fs.cpSync(golden, dir, { recursive: true });
  const file = path.join(dir, RUN_A_FILE);
  const recs = recordOffsets(file);
  const victim = recs[7];
  const buf = fs.readFileSync(file);
  buf[victim.offset + 12 + Math.floor(victim.length / 2)] ^= 0xff;
  fs.writeFileSync(file, buf);

  const r = runCli(['inspect', dir]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, new RegExp(`error corrupt-data in ${RUN_A_FILE.replace(/\./g, '\\.')} at byte offset ${victim.offset}\\b`));
  assert.match(r.stderr, /1 corrupt record/);

  const j = runCli(['inspect', dir, '--json']);
  assert.equal(j.code, 1);
  const rep = JSON.parse(j.stdout);
  const problems = rep.runs.flatMap((x: { problems: unknown[] }) => x.problems);
  assert.deepEqual(
    problems.map((p: { kind: string; file: string; offset: number; severity: string; run: string }) => [p.kind, p.file, p.offset, p.severity, p.run]),
    [['corrupt-data', RUN_A_FILE, victim.offset, 'error', 'run_a']],
  );
  // the other records of the run are still read
  assert.equal(rep.runs.find((x: { name: string }) => x.name === 'run_a').records, 29);
});

test('a corrupt record header (length CRC) is an error too', () => {
  const dir = tmpDir('inspect-corrupt-len');
  fs.cpSync(golden, dir, { recursive: true });
  const file = path.join(dir, RUN_A_FILE);
  const victim = recordOffsets(file)[3];
  const buf = fs.readFileSync(file);
  buf[victim.offset + 9] ^= 0x01; // inside the length CRC
  fs.writeFileSync(file, buf);
  const rep = inspectPath(dir);
  assert.equal(rep.exitCode, 1);
  const p = rep.runs.find((x) => x.name === 'run_a')!.problems;
  assert.deepEqual(p.map((x) => [x.kind, x.offset]), [['corrupt-length', victim.offset]]);
});

test('a truncated copy: truncation reported at the last record offset, warning, exit 0', () => {
  const dir = tmpDir('inspect-trunc');
  fs.cpSync(golden, dir, { recursive: true });
  const file = path.join(dir, RUN_A_FILE);
  const recs = recordOffsets(file);
  const last = recs[recs.length - 1];
  fs.truncateSync(file, last.offset + 12 + Math.floor(last.length / 2));

  const r = runCli(['inspect', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`warning truncated in ${RUN_A_FILE.replace(/\./g, '\\.')} at byte offset ${last.offset}\\b`));
  assert.match(r.stdout, /still being written|being written/);
  assert.match(r.stderr, /warning/);
  const rep = JSON.parse(runCli(['inspect', dir, '--json']).stdout);
  assert.equal(rep.exitCode, 0);
  assert.equal(rep.warnings, 1);
  assert.equal(rep.errors, 0);
});

test('purged and duplicate steps are reported', async () => {
  const dir = tmpDir('inspect-purge');
  const w = new SummaryWriter(path.join(dir, 'r'), { now: () => 1700003000 });
  w.addSessionStart(0);
  for (let s = 0; s < 6; s++) w.scalar('loss', 1 / (s + 1), s, { wallTime: 1700003000 + s });
  w.scalar('loss', 0.42, 5, { wallTime: 1700003010 }); // same step again: duplicate
  w.addSessionStart(3); // restart from step 3: steps >= 3 are superseded
  for (let s = 3; s < 5; s++) w.scalar('loss', 2 / (s + 1), s, { wallTime: 1700003020 + s });
  await w.close();
  const rep = inspectPath(dir);
  const run = rep.runs[0];
  assert.equal(rep.exitCode, 0);
  assert.deepEqual(run.duplicates, [{ tag: 'loss', step: 5 }]);
  assert.deepEqual(
    run.purged.map((p) => [p.tag, p.step, p.reason]).sort(),
    [['loss', 3, 'session-start'], ['loss', 4, 'session-start'], ['loss', 5, 'session-start']],
  );
  const loss = run.plugins.scalars.find((t) => t.tag === 'loss')!;
  assert.deepEqual(loss.steps, [0, 1, 2, 3, 4]);
  assert.equal(loss.last!.value, Math.fround(2 / 5));
  const r = runCli(['inspect', dir]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /purged 3 points of loss at steps 3, 4, 5/);
  assert.match(r.stdout, /duplicate loss at steps 5/);
});

test('inspect usage errors exit 2', () => {
  const r = runCli(['inspect', path.join(golden, 'nope')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no such log directory or event file/);
  const help = runCli(['inspect', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Exit status/);
  assert.match(help.stdout, /truncated/);
});
