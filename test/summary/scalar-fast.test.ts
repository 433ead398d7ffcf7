/**
 * SummaryWriter.scalar's fast path (tag guess + record templates) must write the very bytes of the
 * general path (ScalarEncoder + writeEventBytes). The general path is forced by making every
 * template lookup miss, so the same random call sequence is written both ways and the files compared.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { SummaryWriter, type SummaryWriterOptions } from '../../src/summary/summary-writer';
import { ScalarRecordTemplates } from '../../src/events/scalar-record-template';
import { readEvents } from '../../src/events';
import { BASE, tmpdir } from './helpers';
import { createRng } from '../../src/util/random';

type Call = { tag: string; value: number | Promise<number>; step: number | bigint; opts?: { wallTime?: number; description?: string; displayName?: string } };

const TAGS = ['loss', 'accuracy', 'lr', 'grad/norm', 'é/λ/中/😀', 'x'.repeat(1100) /* > the fast path's 1024-byte limit */, 'a b'];

function randomCalls(seed: number, n: number): Call[] {
  const r = createRng(seed);
  const calls: Call[] = [];
  let step = 0;
  let order = [0, 1, 2, 3];
  for (let i = 0; i < n; i++) {
    if (i % order.length === 0) {
      step = r() < 0.05 ? 0 : r() < 0.1 ? 2 ** 53 - 1 - Math.floor(r() * 5) : r() < 0.1 ? 2 ** 31 + Math.floor(r() * 1000) : (step % 2 ** 40) + 1 + Math.floor(r() * 200);
      if (r() < 0.1) order = Array.from({ length: 1 + Math.floor(r() * TAGS.length) }, () => Math.floor(r() * TAGS.length)); // new tag order
    }
    const tag = TAGS[order[i % order.length]];
    const k = r();
    const value = k < 0.1 ? NaN : k < 0.15 ? -0 : k < 0.2 ? Infinity : k < 0.25 ? -Infinity : (r() - 0.5) * 10 ** Math.floor(r() * 20 - 10);
    const call: Call = { tag, value, step: r() < 0.05 ? BigInt(step) : step };
    const o = r();
    if (o < 0.05) call.opts = { wallTime: 0 };
    else if (o < 0.08) call.opts = { wallTime: -0 };
    else if (o < 0.15) call.opts = { wallTime: BASE + r() * 1000 };
    else if (o < 0.18) call.opts = { description: `d${Math.floor(r() * 3)}` };
    else if (o < 0.2) call.opts = { displayName: `n${Math.floor(r() * 3)}` };
    if (r() < 0.03) call.value = Promise.resolve(call.value as number);
    calls.push(call);
  }
  return calls;
}

async function writeAll(calls: Call[], opts: SummaryWriterOptions): Promise<Buffer> {
  const dir = tmpdir();
  let t = BASE;
  const w = new SummaryWriter(dir, { ...opts, fileWallTime: BASE, now: () => (t += 0.0005), maxQueue: 50 });
  for (const c of calls) w.scalar(c.tag, c.value, c.step, c.opts);
  await w.close();
  const bytes = fs.readFileSync(w.path);
  fs.rmSync(dir, { recursive: true });
  return bytes;
}

async function bothWays(calls: Call[], opts: SummaryWriterOptions): Promise<[Buffer, Buffer]> {
  const fast = await writeAll(calls, opts);
  const get = ScalarRecordTemplates.prototype.get;
  let used = false;
  ScalarRecordTemplates.prototype.get = function () { used = true; return undefined; };
  try {
    const plain = await writeAll(calls, opts);
    assert.ok(used, 'the fast path was tried');
    return [fast, plain];
  } finally {
    ScalarRecordTemplates.prototype.get = get;
  }
}

for (const [name, opts] of [
  ['tbkit flavor (metadata first)', {}],
  ['tensorboard flavor (metadata always)', { flavor: 'tensorboard' }],
  ['simple_value', { scalarFormat: 'simple_value' }],
  ['simple_value, metadata always', { scalarFormat: 'simple_value', metadata: 'always' }],
] as Array<[string, SummaryWriterOptions]>) {
  test(`scalar() fast path = general path, byte for byte: ${name}`, async () => {
    for (const seed of [1, 2, 3]) {
      const calls = randomCalls(seed * 7 + name.length, 4000);
      const [fast, plain] = await bothWays(calls, opts);
      assert.ok(fast.equals(plain), `seed ${seed}: files differ (${fast.length} vs ${plain.length} bytes)`);
    }
  });
}

test('scalar() fast path: every value reads back through protobufjs, in call order', async () => {
  const calls = randomCalls(99, 3000).filter((c) => !(c.value instanceof Promise));
  const [fast] = await bothWays(calls, {});
  const dir = tmpdir();
  const f = `${dir}/events.out.tfevents.x`;
  fs.writeFileSync(f, fast);
  const evs = [...readEvents(f)].slice(1).map((e) => e.event);
  fs.rmSync(dir, { recursive: true });
  assert.equal(evs.length, calls.length);
  for (let i = 0; i < calls.length; i++) {
    const v = evs[i].summary!.value[0];
    assert.equal(v.tag, calls[i].tag, `event ${i}`);
    assert.equal(evs[i].step, Number(calls[i].step), `event ${i}`);
    assert.ok(Object.is(v.tensor!.float_val![0], Math.fround(calls[i].value as number)), `event ${i}: ${v.tensor!.float_val![0]} vs ${String(calls[i].value)}`);
  }
});

test('a tag whose description changes gets a new entry; the tag guess never reuses the replaced one', async () => {
  // c → a is learned first; a's entry is replaced while b precedes it; then c → a again (c's guess is stale).
  const calls: Call[] = [];
  for (let s = 1; s <= 5; s++) calls.push({ tag: 'c', value: s, step: s }, { tag: 'a', value: s, step: s });
  calls.push({ tag: 'b', value: 6, step: 6 }, { tag: 'a', value: 6, step: 6, opts: { description: 'new' } });
  for (let s = 7; s <= 10; s++) calls.push({ tag: 'c', value: s, step: s }, { tag: 'a', value: s, step: s });
  for (const opts of [{}, { metadata: 'always' }, { flavor: 'tensorboard' }] as SummaryWriterOptions[]) {
    const [fast, plain] = await bothWays(calls, opts);
    assert.ok(fast.equals(plain), JSON.stringify(opts));
    if (opts.metadata === 'always') {
      // Every event carries its tag's metadata: a's from step 6 on must carry the new description.
      const dir = tmpdir();
      fs.writeFileSync(`${dir}/events.out.tfevents.x`, fast);
      const descs = [...readEvents(`${dir}/events.out.tfevents.x`)].map((e) => e.event.summary?.value[0])
        .filter((v) => v?.tag === 'a').map((v) => v!.metadata?.summary_description ?? '');
      fs.rmSync(dir, { recursive: true });
      assert.deepEqual(descs, ['', '', '', '', '', 'new', 'new', 'new', 'new', 'new']);
    }
  }
});
