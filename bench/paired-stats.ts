/**
 * Paired A/B statistics for the overhead bench: per-pair relative differences, and a seeded
 * percentile-bootstrap interval of their median (a paired estimate cancels load changes slower
 * than one pair, which on a shared machine are most).
 */
import { median, quantile, ratio, rng } from './util';

/** (b[i] / a[i] − 1) · 100 for each pair. */
export function pairedPct(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length || a.length === 0) throw new RangeError('pairedPct needs two non-empty lists of equal length');
  return a.map((x, i) => (ratio(b[i], x) - 1) * 100);
}

/** 95 % percentile-bootstrap interval of the median of `xs` (seeded: reproducible). */
export function bootstrapCi(xs: readonly number[], rounds = 2000): [number, number] {
  const r = rng(12345);
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) out.push(median(xs.map(() => xs[Math.floor(r() * xs.length)])));
  return [quantile(out, 0.025), quantile(out, 0.975)];
}
