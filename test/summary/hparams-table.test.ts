/**
 * What hparams() writes for TensorBoard's HParams table (issue 12 items 1 and 2): final metric
 * values never at a step before their tag's series, no experiment config and no group name by
 * default (TensorBoard then computes `differs` across all runs and names each row by its run),
 * an experiment config only when something that lives only there is declared.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { SummaryWriter } from '../../src/summary';
import { messageType } from '../../src/proto';
import { BASE, decode, records, tmpdir } from './helpers';

type Ev = Record<string, any>;

async function written(fn: (w: SummaryWriter) => void | Promise<void>): Promise<Ev[]> {
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { now: () => BASE, fileWallTime: BASE });
  await fn(w);
  await w.close();
  const evs = records(w.path).slice(1).map(decode);
  fs.rmSync(dir, { recursive: true });
  return evs;
}

/** [tag, step, value] of every scalar value, in file order. */
function points(evs: Ev[]): [string, number, number][] {
  return evs.flatMap((e) => (e.summary?.value ?? [])
    .filter((v: any) => v.tensor?.dtype === 1 && v.tensor.float_val)
    .map((v: any) => [v.tag, e.step ?? 0, v.tensor.float_val[0]] as [string, number, number]));
}

const tags = (evs: Ev[]): string[] => evs.flatMap((e) => (e.summary?.value ?? []).map((v: any) => v.tag));

function startInfo(evs: Ev[]): any {
  const HP = messageType('tensorboard.hparams.HParamsPluginData');
  const v = evs.flatMap((e) => e.summary?.value ?? []).find((x: any) => x.tag === '_hparams_/session_start_info');
  return (HP.toObject(HP.decode(v.metadata.plugin_data.content), { defaults: false }) as any).session_start_info;
}

test('final metric values go to their tag\'s last step; a value equal to the last one is not written twice', async () => {
  const evs = await written((w) => {
    for (const s of [100, 200, 300]) w.scalars({ 'val/acc': s / 1000, 'val/cost': 1 / s }, s);
    w.scalar('loss', 0.5, 250);
    w.hparams({ lr: 0.01 }, { 'val/acc': 0.3, 'val/cost': 0.25, loss: 0.5, 'test/acc': 0.97 }, { step: 7 });
  });
  assert.deepEqual(points(evs).slice(7), [
    // val/acc 0.3 is its last value (step 300): nothing new. val/cost differs: at its last step.
    ['val/cost', 300, Math.fround(0.25)],
    // test/acc has no series in this writer: at options.step.
    ['test/acc', 7, Math.fround(0.97)],
  ]);
  assert.ok(points(evs).every(([tag, step], i, all) => all.slice(0, i).every(([t, s]) => t !== tag || s <= step)), 'no tag\'s step goes back');
});

test('a metric whose last value is still being resolved is written after it, at its step', async () => {
  const evs = await written(async (w) => {
    w.scalar('acc', Promise.resolve(0.4), 40);
    w.hparams({ lr: 0.1 }, { acc: 0.9 });
    await w.flush();
  });
  assert.deepEqual(points(evs), [['acc', 40, Math.fround(0.4)], ['acc', 40, Math.fround(0.9)]]);
});

test('simple_value scalars: the metric step rule holds too', async () => {
  const dir = tmpdir();
  const w = new SummaryWriter(dir, { now: () => BASE, scalarFormat: 'simple_value' });
  w.scalar('acc', 0.5, 9);
  w.hparams({ lr: 0.1 }, { acc: 0.75 });
  await w.close();
  const evs = records(w.path).slice(1).map(decode);
  const acc = evs.flatMap((e) => (e.summary?.value ?? []).filter((v: any) => v.tag === 'acc').map((v: any) => [e.step, v.simple_value]));
  assert.deepEqual(acc, [[9, 0.5], [9, 0.75]]);
  fs.rmSync(dir, { recursive: true });
});

test('by default: a session start without group name and no experiment config', async () => {
  const evs = await written((w) => w.hparams({ use_bn: true, lr: 0.01 }));
  assert.deepEqual(tags(evs), ['_hparams_/session_start_info', '_hparams_/session_end_info']);
  const start = startInfo(evs);
  assert.equal(start.group_name, undefined);
  assert.deepEqual(Object.keys(start.hparams).sort(), ['lr', 'use_bn']);
});

test('an experiment config is written when metric names, domains or infos are declared, or asked for', async () => {
  const cases: [string, (w: SummaryWriter) => void, boolean][] = [
    ['metric names', (w) => w.hparams({ lr: 0.01 }, ['val/acc']), true],
    ['domains', (w) => w.hparams({ lr: 0.01 }, undefined, { domains: { lr: { min: 0, max: 1 } } }), true],
    ['hparamInfos', (w) => w.hparams({ lr: 0.01 }, undefined, { hparamInfos: { lr: { displayName: 'LR' } } }), true],
    ['metricInfos', (w) => w.hparams({ lr: 0.01 }, { acc: 1 }, { metricInfos: { acc: { displayName: 'A' } } }), true],
    ['experiment: true', (w) => w.hparams({ lr: 0.01 }, { acc: 1 }, { experiment: true }), true],
    ['metric values only', (w) => w.hparams({ lr: 0.01 }, { acc: 1 }), false],
    ['experiment: false wins', (w) => w.hparams({ lr: 0.01 }, ['val/acc'], { experiment: false }), false],
  ];
  for (const [name, fn, want] of cases) {
    assert.equal(tags(await written(fn)).includes('_hparams_/experiment'), want, name);
  }
});

test('an explicit group name is kept (sessions of one group form one row)', async () => {
  const evs = await written((w) => w.hparams({ seed: 1 }, undefined, { groupName: 'bn-lr0.01' }));
  assert.equal(startInfo(evs).group_name, 'bn-lr0.01');
});
