import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnTs } from './child';
import { readScalars, steps, tmpDir } from './helpers';

test('examples/linear-regression.ts trains, writes its event file, and resumes from its checkpoint', async () => {
  const logdir = path.join(tmpDir(), 'linear-regression');
  const r1 = await spawnTs('examples/linear-regression.ts', {}, ['--steps', '60', '--logdir', logdir]).exited;
  assert.equal(r1.code, 0, r1.stderr);
  assert.match(r1.stdout, /done at step 60: w=\d/);
  const run = readScalars(logdir);
  assert.deepEqual(steps(run.scalars.get('cost')), [1, 11, 21, 31, 41, 51]);
  assert.deepEqual(steps(run.scalars.get('validation/cost')), [50]);
  assert.deepEqual(steps(run.scalars.get('global_step/sec')), [51]);
  const cost = run.scalars.get('cost')!;
  assert.ok(cost[cost.length - 1].value < cost[0].value / 10, 'the loss went down');
  assert.equal(JSON.parse(fs.readFileSync(path.join(logdir, 'ckpt', 'checkpoint.json'), 'utf8')).latestStep, 60);

  const r2 = await spawnTs('examples/linear-regression.ts', {}, ['--steps', '80', '--logdir', logdir]).exited;
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stdout, /resumed from step 60/);
  assert.match(r2.stdout, /done at step 80/);
  const run2 = readScalars(logdir);
  assert.deepEqual(steps(run2.scalars.get('cost')), [1, 11, 21, 31, 41, 51, 61, 71]);
  assert.deepEqual(run2.duplicates, []);
});
