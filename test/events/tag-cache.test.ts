/**
 * The reader's tag lookup (tag-cache.ts): TagKey.matches must equal a plain byte comparison, and
 * TagCache must return exactly what a Map of the byte strings would (or miss), on random inputs.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TagCache, TagKey, sameBytes } from '../../src/events/runs/tag-cache';
import { createRng } from '../../src/util';

function randomBytes(r: () => number, n: number, alphabet: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * alphabet);
  return b;
}

test('TagKey.matches equals a byte comparison (lengths 0–40, one-byte differences anywhere, several buffers)', () => {
  const r = createRng(4);
  const buffers = [0, 1, 2].map(() => Buffer.alloc(4096));
  for (let c = 0; c < 4000; c++) {
    const n = Math.floor(r() * 41);
    const tag = randomBytes(r, n, c % 2 ? 3 : 256); // a small alphabet makes near-misses common
    const src = buffers[c % 3];
    const at = Math.floor(r() * 100);
    tag.copy(src, at);
    const key = new TagKey(src, at, at + n);
    assert.equal(key.length, n);
    // the same bytes elsewhere, in another buffer (the key's DataView cache must follow the buffer)
    const other = buffers[(c + 1) % 3];
    const at2 = 200 + Math.floor(r() * 100);
    for (let trial = 0; trial < 6; trial++) {
      tag.copy(other, at2);
      if (trial > 0 && n > 0) other[at2 + Math.floor(r() * n)] ^= 1 << Math.floor(r() * 8);
      const len = trial === 5 ? Math.max(0, n - 1 - Math.floor(r() * 2)) : n; // shorter: a prefix
      assert.equal(key.matches(other, at2, at2 + len), sameBytes(tag, other, at2, at2 + len), `case ${c}.${trial}: n=${n}`);
    }
    assert.equal(key.matches(src, at, at + n), true);
  }
});

test('TagCache: hits return the value stored for those bytes, never another tag’s; collisions and eviction only miss', () => {
  const r = createRng(6);
  const cache = new TagCache<number>();
  const ref = new Map<string, number>();
  const tags: Buffer[] = [];
  for (let i = 0; i < 600; i++) tags.push(randomBytes(r, Math.floor(r() * 12), i % 3 ? 4 : 256)); // many collide
  const host = Buffer.alloc(64);
  for (let i = 0; i < 20000; i++) {
    const t = tags[Math.floor(r() * tags.length)];
    const at = Math.floor(r() * 40);
    t.copy(host, at);
    const got = cache.get(host, at, at + t.length);
    const want = ref.get(t.toString('hex'));
    if (got !== undefined) assert.equal(got, want, `tag ${t.toString('hex')}`);
    else {
      const v = want ?? i;
      cache.set(host, at, at + t.length, v);
      ref.set(t.toString('hex'), v);
      host.fill(0); // the cache must have copied the bytes
    }
  }
});
