import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportLogdir, exportToFile } from '../../src/cli/export';
import { csvField, csvNumberFast } from '../../src/cli/csv-rows';
import { csvNumber } from '../../src/cli/format';
import { createRng } from '../../src/util';
import { readRun, listRuns } from '../../src/events';
import { TextSink } from '../../src/cli/output';
import { SummaryWriter } from '../../src/summary';
import { golden, manifest, manifestRows, parseCsv, runCli, tmpDir, f32 } from './helpers';

const HP_A = { layers: 3, lr: 0.01, optimizer: 'adam', use_bn: true };
const HP_B = { layers: 2, lr: 0.001, optimizer: 'sgd', use_bn: false };

test('csv export of the golden logdir equals the manifest exactly (child process, stdout)', () => {
  const r = runCli(['export', golden]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const rows = parseCsv(r.stdout);
  assert.deepEqual(rows[0], ['run', 'tag', 'step', 'wall_time', 'value', 'hparam/layers', 'hparam/lr', 'hparam/optimizer', 'hparam/use_bn']);
  const expected = manifestRows();
  const body = rows.slice(1);
  assert.equal(body.length, expected.length);
  body.forEach((row, i) => {
    const [run, tag, step, wall, value] = expected[i];
    assert.deepEqual(row.slice(0, 5), [run, tag, String(step), String(wall), String(value)], `row ${i}`);
    // exact: the text parses back to the very same double (and the value is a float32)
    assert.equal(Number(row[3]), wall);
    assert.equal(Number(row[4]), value);
    assert.equal(f32(Number(row[4])), Number(row[4]));
    const hp = run === 'run_a' ? HP_A : run === 'run_b' ? HP_B : undefined;
    assert.deepEqual(row.slice(5), hp ? [String(hp.layers), String(hp.lr), hp.optimizer, String(hp.use_bn)] : ['', '', '', ''], `hparams of ${run}`);
  });
  // manifest hparams agree with the exported ones
  assert.deepEqual(manifest.runs.run_a.hparams, HP_A);
  assert.deepEqual(manifest.runs.run_b.hparams, HP_B);
});

test('json and jsonl exports (in-process, to files) carry the same points and hparams per run', async () => {
  const dir = tmpDir('export-json');
  const expected = manifestRows().map(([run, tag, step, wall_time, value]) => ({ run, tag, step, wall_time, value }));

  const jsonFile = path.join(dir, 'out.json');
  const stats = await exportToFile(golden, jsonFile, { format: 'json' });
  assert.equal(stats.points, expected.length);
  assert.equal(stats.bytes, fs.statSync(jsonFile).size);
  const doc = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  assert.deepEqual(doc.scalars, expected);
  assert.deepEqual(doc.hparams, { run_a: HP_A, run_b: HP_B });

  const jsonlFile = path.join(dir, 'out.jsonl');
  await exportToFile(golden, jsonlFile, { format: 'jsonl' });
  const lines = fs.readFileSync(jsonlFile, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  const points = lines.filter((l) => 'tag' in l);
  const runs = lines.filter((l) => 'hparams' in l);
  assert.deepEqual(points, expected);
  assert.deepEqual(runs, [
    { run: 'legacy_v1', hparams: {} },
    { run: 'run_a', hparams: HP_A },
    { run: 'run_b', hparams: HP_B },
    { run: 'writer_api', hparams: {} },
  ]);
  // each run's line comes before its points
  const idx = (pred: (l: Record<string, unknown>) => boolean) => lines.findIndex(pred);
  assert.ok(idx((l) => l.run === 'run_b' && 'hparams' in l) < idx((l) => l.run === 'run_b' && 'tag' in l));
});

test('--run / --tag filters (glob and /regex/, repeatable) and -o', () => {
  const dir = tmpDir('export-filter');
  const out = path.join(dir, 'f.csv');
  const r = runCli(['export', golden, '--run', 'run_*', '--tag', '/^acc/', '--tag', 'loss', '-o', out, '--format', 'csv']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const rows = parseCsv(fs.readFileSync(out, 'utf8')).slice(1);
  const keys = new Set(rows.map((x) => `${x[0]}/${x[1]}`));
  assert.deepEqual([...keys].sort(), ['run_a/accuracy', 'run_a/loss', 'run_b/accuracy', 'run_b/loss']);
  assert.equal(rows.length, 40);

  const r2 = runCli(['export', golden, '--run', '/legacy|writer/', '--format', 'jsonl']);
  assert.equal(r2.code, 0, r2.stderr);
  const tags = new Set(r2.stdout.trim().split('\n').map((l) => JSON.parse(l).tag).filter(Boolean));
  assert.deepEqual([...tags].sort(), ['legacy/loss', 'writer_api/value']);
});

test('usage errors exit 2 with a clear message', () => {
  const missing = runCli(['export', path.join(golden, 'does-not-exist')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such log directory or event file/);
  const empty = tmpDir('export-empty');
  const none = runCli(['export', empty]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no runs found/);
  const fmt = runCli(['export', golden, '--format', 'xml']);
  assert.equal(fmt.code, 2);
  assert.match(fmt.stderr, /xml/);
  const out = path.join(empty, 'never.csv');
  const bad = runCli(['export', path.join(empty, 'missing'), '-o', out]);
  assert.equal(bad.code, 2);
  assert.ok(!fs.existsSync(out), 'no output file for a usage error');
  const unwritable = runCli(['export', golden, '-o', path.join(empty, 'no', 'such', 'dir.csv')]);
  assert.equal(unwritable.code, 2);
  assert.match(unwritable.stderr, /cannot write .*ENOENT/);
  const nomatch = runCli(['export', golden, '--run', 'zzz*']);
  assert.equal(nomatch.code, 2);
  assert.match(nomatch.stderr, /no run matches/);
});

test('RFC 4180 quoting and non-finite numbers', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\r'), '"cr\r"');
  assert.equal(csvNumber(NaN), 'NaN');
  assert.equal(csvNumber(Infinity), 'Infinity');
  assert.equal(csvNumber(-Infinity), '-Infinity');
  assert.equal(csvNumber(-0), '-0');
});

test('a logdir written with SummaryWriter: odd run/tag names, NaN/±Inf, exact values in every format', async () => {
  const dir = tmpDir('export-writer');
  const runName = 'odd, "run"';
  const w = new SummaryWriter(path.join(dir, runName), { now: () => 1700001000 });
  const values = [0.5, NaN, Infinity, -Infinity, -0, 1e-30, 3.4e38, 0.1];
  values.forEach((v, step) => w.scalar('metric,with "quotes"', v, step, { wallTime: 1700001000 + step / 3 }));
  for (let s = 0; s < 5; s++) w.scalar('loss', 1 / (s + 1), s * 10, { wallTime: 1700001100 + s });
  await w.close();
  const w2 = new SummaryWriter(path.join(dir, 'plain'), { now: () => 1700002000 });
  w2.scalar('loss', 2, 7, { wallTime: 1700002000.25 });
  await w2.close();

  const r = runCli(['export', dir]);
  assert.equal(r.code, 0, r.stderr);
  const rows = parseCsv(r.stdout);
  assert.deepEqual(rows[0], ['run', 'tag', 'step', 'wall_time', 'value']);
  const odd = rows.filter((x) => x[0] === runName && x[1] === 'metric,with "quotes"');
  assert.deepEqual(odd.map((x) => x[2]), values.map((_, i) => String(i)));
  assert.deepEqual(odd.map((x) => x[4]), ['0.5', 'NaN', 'Infinity', '-Infinity', '-0', String(f32(1e-30)), String(f32(3.4e38)), String(f32(0.1))]);
  assert.deepEqual(odd.map((x) => Number(x[3])), values.map((_, i) => 1700001000 + i / 3));
  // the run name is quoted in the raw text
  assert.ok(r.stdout.includes('"odd, ""run""","metric,with ""quotes""",0,'));
  const loss = rows.filter((x) => x[0] === runName && x[1] === 'loss');
  assert.deepEqual(loss.map((x) => [Number(x[2]), Number(x[4])]), [0, 1, 2, 3, 4].map((s) => [s * 10, f32(1 / (s + 1))]));
  assert.deepEqual(rows.filter((x) => x[0] === 'plain'), [['plain', 'loss', '7', '1700002000.25', '2']]);

  // JSON: non-finite numbers as strings
  const sinkFile = path.join(dir, 'x.json');
  const sink = TextSink.open(sinkFile);
  await exportLogdir(dir, sink, { format: 'json', tags: ['metric*'] });
  await sink.end();
  const doc = JSON.parse(fs.readFileSync(sinkFile, 'utf8'));
  assert.deepEqual(doc.scalars.map((p: { value: unknown }) => p.value), [0.5, 'NaN', 'Infinity', '-Infinity', -0, f32(1e-30), f32(3.4e38), f32(0.1)]);
  assert.ok(Object.is(doc.scalars[4].value, -0));
  assert.deepEqual(doc.hparams, {});
});

test('export --help documents formats, NaN handling and examples', () => {
  const r = runCli(['export', '--help']);
  assert.equal(r.code, 0);
  for (const s of ['--format', '--run', '--tag', '-o, --output', 'NaN', 'Infinity', 'RFC 4180', 'Examples']) assert.ok(r.stdout.includes(s), s);
});

test('the byte formatter writes exactly what csvNumber (\'\' + x) writes', () => {
  const r = createRng(11);
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const check = (x: number) => {
    const got = csvNumberFast(x);
    if (got !== csvNumber(x)) assert.fail(`csvNumberFast(${csvNumber(x)}) = ${got}`);
  };
  for (const x of [0, -0, NaN, Infinity, -Infinity, 1e-5, 1e-6, 1e-7, 2 ** 49, 2 ** 49 - 0.5, 2 ** 50, 2 ** 53, 2 ** 53 + 2, 1e21, 1e22,
    0.1, 0.1 + 0.2, 5e-324, Number.MAX_VALUE, 123456789012345.6, 12345678901234.56, 0.000123, 100.25, 1.05, 3.001, 1700000010.126,
    Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) check(x);
  for (let i = 0; i < 100_000; i++) {
    u32[0] = (r() * 2 ** 32) >>> 0; // any bit pattern
    u32[1] = (r() * 2 ** 32) >>> 0;
    check(f64[0]);
    check(Math.fround((r() - 0.5) * 10 ** ((r() * 24 - 12) | 0))); // float32 values
    const base = 1.7e9 + ((r() * 1e8) | 0); // wall times: ms, µs, Date.now()-like
    check(base + ((r() * 1000) | 0) / 1000);
    check(base + ((r() * 1e6) | 0) / 1e6);
    check(base + r());
    const d = (r() * 16) | 0; // short decimals, with zeros after the point
    const m = Math.floor(r() * 10 ** ((r() * 16) | 0));
    check(m / 10 ** d);
    check(-m / 10 ** d);
    check(Math.floor(r() * 2 ** 53)); // integers
    check(2 ** 50 / 10 ** ((r() * 20) | 0) * (1 + (r() - 0.5) * 1e-12)); // around the fixed-point limit
  }
});

test('csv rows from the byte path (ASCII names) and the string path (non-ASCII names) agree with readRun', async () => {
  const dir = tmpDir('export-paths');
  const r = createRng(5);
  const expected: string[] = [];
  for (const run of ['ascii', 'ünï']) {
    const w = new SummaryWriter(path.join(dir, run), { now: () => 1700003000 });
    for (const tag of ['loss', 'tåg']) {
      for (let s = 0; s < 300; s++) {
        const v = s % 50 === 7 ? -0 : (r() - 0.5) * 10 ** ((r() * 10 - 5) | 0);
        w.scalar(tag, v, s * 3, { wallTime: 1700003000 + s * (run === 'ascii' ? 0.001 : r()) });
      }
    }
    await w.close();
    const data = readRun(listRuns(path.join(dir, run))[0].files);
    for (const tag of [...data.scalars.keys()].sort()) {
      for (const p of data.scalars.get(tag)!) expected.push([run, tag, String(p.step), csvNumber(p.wallTime), csvNumber(p.value)].join(','));
    }
  }
  const file = path.join(dir, 'out.csv');
  await exportToFile(dir, file, {});
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  assert.equal(lines[0], 'run,tag,step,wall_time,value');
  assert.deepEqual(lines.slice(1, -1), expected);
});
