/** Axis scales and "nice" tick values (1, 2, 5 × 10^k), in the manner of d3-scale. */

function tickIncrement(start: number, stop: number, count: number): number {
  const raw = (stop - start) / Math.max(1, count);
  const power = Math.floor(Math.log10(raw));
  const base = Math.pow(10, power);
  const err = raw / base;
  const factor = err >= Math.sqrt(50) ? 10 : err >= Math.sqrt(10) ? 5 : err >= Math.sqrt(2) ? 2 : 1;
  return factor * base;
}

/** Tick values inside [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count: number, minStep = 0): { ticks: number[]; step: number } {
  if (!(hi > lo)) return { ticks: [lo], step: 1 };
  const step = Math.max(minStep, tickIncrement(lo, hi, count));
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(cleanFloat(i * step));
  return { ticks, step };
}

/** Extends [lo, hi] outwards to multiples of the tick step. */
export function niceDomain(lo: number, hi: number, count: number): [number, number] {
  if (!(hi > lo)) return [lo, hi];
  let step = tickIncrement(lo, hi, count);
  for (let i = 0; i < 2; i++) {
    lo = cleanFloat(Math.floor(lo / step + 1e-9) * step);
    hi = cleanFloat(Math.ceil(hi / step - 1e-9) * step);
    step = tickIncrement(lo, hi, count);
  }
  return [cleanFloat(lo), cleanFloat(hi)];
}

/** Ticks for a log10 axis over [lo, hi] (both > 0): decades, with 2 and 5 when few decades are shown. */
export function logTicks(lo: number, hi: number, count: number): number[] {
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const decades = b - a;
  const ticks: number[] = [];
  if (decades <= 0) return [lo];
  const every = Math.max(1, Math.ceil(decades / count));
  const mults = decades <= 1 ? [1, 2, 3, 5] : decades <= 3 ? [1, 2, 5] : [1];
  for (let d = a; d <= b; d++) {
    if (mults.length === 1 && (d - a) % every !== 0) continue;
    for (const m of mults) {
      const v = cleanFloat(m * Math.pow(10, d));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push(v);
    }
  }
  if (ticks.length < 2) return niceTicks(lo, hi, count).ticks.filter((t) => t > 0);
  return ticks;
}

/** Removes float noise such as 0.30000000000000004. */
export function cleanFloat(v: number): number {
  return v === 0 ? 0 : Number(v.toPrecision(12));
}

const SI = [
  { v: 1e12, s: 'T' },
  { v: 1e9, s: 'G' },
  { v: 1e6, s: 'M' },
  { v: 1e3, s: 'k' },
];

/** A short tick label below 1e4, precise enough to tell ticks `step` apart. */
function formatTick(v: number, step: number): string {
  if (v === 0) return '0';
  const av = Math.abs(v);
  if (av < 1e-3 || step < 1e-4) return trimExp(v.toExponential(Math.max(0, Math.min(3, Math.floor(Math.log10(av) + 1e-9) - Math.floor(Math.log10(step) + 1e-9)))));
  const decimals = Math.max(0, Math.min(8, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(decimals);
}

/** Labels for all ticks of one axis, in one consistent style (all SI-suffixed, or none). */
export function formatTicks(ticks: readonly number[], step: number): string[] {
  const maxAbs = Math.max(0, ...ticks.map(Math.abs));
  if (maxAbs >= 1e4) {
    const { v: unit, s: suffix } = SI.find((u) => maxAbs >= u.v)!;
    const decimals = Math.max(0, Math.min(3, -Math.floor(Math.log10(step / unit) + 1e-9)));
    return ticks.map((v) => (v === 0 ? '0' : trimZeros((v / unit).toFixed(decimals)) + suffix));
  }
  return ticks.map((v) => formatTick(v, step));
}

/** A label for a log-axis tick (value given exactly). */
export function formatLogTick(v: number): string {
  const av = Math.abs(v);
  if (av >= 1e4 || av < 1e-3) return trimExp(v.toExponential());
  return String(cleanFloat(v));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function trimExp(s: string): string {
  const [m, e] = s.split('e');
  return `${trimZeros(m)}e${e.replace('+', '')}`;
}
