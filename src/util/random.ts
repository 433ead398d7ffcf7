/**
 * Seeded PRNG (mulberry32): returns a function yielding floats in [0, 1).
 *
 * Everything reproducible in tbkit draws from this one generator: the experiment's split and
 * shuffling (a resumed run recomputes its data order from the seed), and the tests and benchmarks
 * (a failure reproduces from its printed seed). `seed` is taken modulo 2^32.
 */
export function createRng(seed: number): () => number {
  if (!Number.isFinite(seed)) throw new RangeError(`createRng: seed must be a finite number, got ${seed}`);
  let a = Math.trunc(seed) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
