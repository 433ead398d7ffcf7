/**
 * Student's t distribution: its two-sided critical value `t(1 − α/2, df)` for real (not only
 * integer) degrees of freedom, as Welch's interval needs.
 *
 * Hand-written because no dependency of tbkit has it and a statistics package would be a large
 * install for one function: the upper tail is P(T > t) = ½·I_{df/(df+t²)}(df/2, ½), with the
 * regularized incomplete beta function from its continued fraction (modified Lentz, as in
 * Numerical Recipes §6.4) and ln Γ from Lanczos' approximation; the quantile is found by bisection,
 * which cannot fail to converge. test/aggregate/stats.test.ts checks it against tabulated values.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta function (converges fast for x < (a+1)/(a+b+2)). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b), 0 ≤ x ≤ 1. */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(x, a, b)) / a : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(T > t) for t ≥ 0 and `df` > 0 degrees of freedom. */
function upperTail(t: number, df: number): number {
  return 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * The t with P(|T| ≤ t) = `level` (e.g. 0.95 → 12.706 for df 1, 2.776 for df 4). `df` may be any
 * real number > 0 (Welch–Satterthwaite gives fractional ones); NaN when it is not.
 */
export function tCritical(level: number, df: number): number {
  if (!(df > 0) || !(level > 0 && level < 1)) return NaN;
  const tail = (1 - level) / 2;
  let lo = 0;
  let hi = 1;
  while (upperTail(hi, df) > tail) hi *= 2;
  // 200 halvings reach the float resolution of any bracket; stop as soon as they do.
  for (let i = 0; i < 200 && hi - lo > 1e-14 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (upperTail(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
