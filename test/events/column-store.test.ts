/**
 * readRunColumns' ColumnStore: random pushes and pops under random (and wrong) progress guesses
 * must keep exactly the points an array would; the guess budget and trim() bound the memory.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ColumnStore, SPARE_POINTS, spareFor, type ReadProgress } from '../../src/events/runs/column-store';
import { createRng } from '../../src/util';

test('push/pop/lastStep/columns/stepList equal an array model, whatever the progress says', () => {
  const r = createRng(12);
  for (let c = 0; c < 200; c++) {
    const progress: ReadProgress = { at: 0, total: Math.floor(r() * 1e7), spare: Math.floor(r() * 20000) };
    const store = new ColumnStore(progress);
    const model: Array<[number, number, number]> = [];
    const n = Math.floor(r() * 5000);
    for (let i = 0; i < n; i++) {
      // progress that is right, too early, too late, past the end, or unknown
      const k = r();
      progress.at = k < 0.1 ? 0 : k < 0.2 ? progress.total + 5 : Math.floor(r() * progress.total);
      if (r() < 0.05 && model.length > 0) {
        assert.equal(store.pop(), model.pop()![0]);
        continue;
      }
      const p: [number, number, number] = [i * 3 - 2 ** 40 * (i % 2), 1700000000 + i / 7, r() < 0.1 ? NaN : r() < 0.1 ? -0 : -i / 3];
      store.push(...p);
      model.push(p);
      assert.equal(store.lastStep(), p[0]);
      assert.ok(progress.spare >= 0);
    }
    assert.equal(store.length, model.length);
    assert.equal(store.lastStep(), model.length ? model[model.length - 1][0] : -Infinity);
    store.trim();
    assert.ok(store.steps.length <= store.length + (store.length >> 2) + 64, `capacity ${store.steps.length} for ${store.length}`);
    const cols = store.columns();
    assert.equal(cols.length, model.length);
    assert.deepEqual([...cols.steps], model.map((p) => p[0]));
    assert.deepEqual([...cols.wallTimes], model.map((p) => p[1]));
    assert.deepEqual([...cols.values], model.map((p) => p[2]));
    assert.deepEqual(store.stepList(), model.map((p) => p[0]));
  }
});

test('a right guess grows a 500 k-point tag once; a wrong one takes no more than the budget beyond doubling', () => {
  const progress: ReadProgress = { at: 0, total: 100 * 500_000, spare: SPARE_POINTS };
  const store = new ColumnStore(progress);
  let grows = 0;
  let cap = store.steps.length;
  for (let i = 0; i < 500_000; i++) {
    progress.at = 100 * i + 50;
    store.push(i, i, i);
    if (store.steps.length !== cap) {
      grows++;
      cap = store.steps.length;
    }
  }
  assert.equal(grows, 1);
  assert.ok(cap <= 500_000 * 1.07 + 128, `capacity ${cap}`);

  // Many tags, each dense at the start of a huge run and then never seen again: the guesses would
  // ask for ~10^9 points each; together they get the budget and no more.
  const wrong: ReadProgress = { at: 0, total: 1e12, spare: SPARE_POINTS };
  let capacity = 0;
  for (let t = 0; t < 50; t++) {
    const s = new ColumnStore(wrong);
    for (let i = 0; i < 65; i++) {
      wrong.at = 1000 * t + i + 1;
      s.push(i, i, i);
    }
    capacity += s.steps.length;
  }
  assert.ok(capacity <= 50 * 128 + SPARE_POINTS, `capacity ${capacity}`);
  assert.equal(wrong.spare, 0);
});

test('the guess budget grows with the run: at least SPARE_POINTS, else a point per 32 bytes of its files', () => {
  assert.equal(spareFor(0), SPARE_POINTS);
  assert.equal(spareFor(32 * SPARE_POINTS), SPARE_POINTS);
  assert.equal(spareFor(530_000_000), Math.floor(530_000_000 / 32));
  // A run of n scalar records (each ≥ 40 bytes framed) can have every tag's guess granted.
  const n = 10_000_000;
  assert.ok(spareFor(n * 40) >= n);
});
