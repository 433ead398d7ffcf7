/**
 * How the CLI writes things: colours only when wanted (NO_COLOR / FORCE_COLOR / TTY), tables via
 * cli-table3 (box-drawing borders on a terminal, plain space-aligned columns when piped so that
 * `grep`, `awk` and `cut` work on the output), and every number format: for people (`num`), and
 * exact for files (`csvNumber`, `jsonNumber`; csv-rows.ts writes the same characters as bytes),
 * and statistics to the precision of their uncertainty (`meanStd`, `intervalText`).
 */
import Table from 'cli-table3';
import type { HParamValue } from './common';

export interface OutputStyle {
  color: boolean;
  /** Box-drawing table borders (terminal) or plain columns (pipe/file). */
  boxes: boolean;
}

/**
 * Colour rules (https://no-color.org, https://force-color.org):
 * NO_COLOR set and non-empty → off; else FORCE_COLOR set → on unless it is "0" or "false";
 * else on only when the stream is a TTY (and TERM is not "dumb").
 */
export function detectStyle(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): OutputStyle {
  const tty = !!stream.isTTY;
  let color: boolean;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') color = false;
  else if (env.FORCE_COLOR !== undefined) color = !['0', 'false'].includes(env.FORCE_COLOR.toLowerCase());
  else color = tty && env.TERM !== 'dumb';
  return { color, boxes: tty };
}

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
} as const;

export type Colorizer = { -readonly [K in keyof typeof CODES]: (s: string) => string };

export function colorizer(enabled: boolean): Colorizer {
  const out = {} as Colorizer;
  for (const [name, [open, close]] of Object.entries(CODES) as Array<[keyof typeof CODES, readonly [number, number]]>) {
    out[name] = enabled ? (s: string) => `\x1b[${open}m${s}\x1b[${close}m` : (s: string) => s;
  }
  return out;
}

const PLAIN_CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '',
  right: '', 'right-mid': '', middle: '  ',
};

/** A table; `head` is bolded when colour is on. Cells are strings (format numbers before). */
export function table(head: string[], rows: string[][], style: OutputStyle, opts: { indent?: number; align?: Array<'left' | 'right'> } = {}): string {
  const c = colorizer(style.color);
  const t = new Table({
    head: head.map((h) => c.bold(h)),
    style: { head: [], border: [], 'padding-left': style.boxes ? 1 : 0, 'padding-right': style.boxes ? 1 : 0, compact: true },
    ...(style.boxes ? {} : { chars: PLAIN_CHARS }),
    ...(opts.align ? { colAligns: opts.align } : {}),
  });
  for (const r of rows) t.push(r);
  let s = t.toString();
  if (!style.boxes) s = s.split('\n').map((l) => l.replace(/\s+$/, '')).join('\n');
  const pad = ' '.repeat(opts.indent ?? 0);
  return s.split('\n').map((l) => pad + l).join('\n');
}

/** "NaN", "Infinity" or "-Infinity": the name of a non-finite number. */
function nonFiniteName(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** A number for humans: integers as is, others with up to 6 significant digits; NaN/±Infinity by name. */
export function num(v: number | undefined): string {
  if (v === undefined) return '';
  if (!Number.isFinite(v)) return nonFiniteName(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-4)) return v.toExponential(5).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(6)));
}

/** A number exactly, for CSV: the shortest form that reads back as `v` (`'' + v`), -0 kept; NaN, Infinity, -Infinity by name. */
export function csvNumber(v: number): string {
  return v === 0 && 1 / v < 0 ? '-0' : '' + v;
}

/** A number exactly, for JSON: as csvNumber, but NaN/±Infinity as the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers). */
export function jsonNumber(v: number): string {
  return Number.isFinite(v) ? csvNumber(v) : `"${nonFiniteName(v)}"`;
}

/** JSON.stringify replacer writing non-finite numbers as jsonNumber does. */
export function nonFiniteReplacer(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? nonFiniteName(v) : v;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

export function isoTime(secs: number | undefined): string {
  if (secs === undefined || !Number.isFinite(secs)) return '';
  const d = new Date(secs * 1000);
  // A time from a damaged or hostile file may be beyond the Date range (±8.64e15 ms): toISOString throws.
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().replace('.000Z', 'Z');
}

/**
 * Decimals that show `spread` to 2 significant digits (0.0123 → 4): a mean is worth no more digits
 * than its uncertainty. Undefined when the spread is 0 or not finite.
 */
function decimalsFor(spread: number): number | undefined {
  if (!(Number.isFinite(spread) && spread > 0)) return undefined;
  const rounded = Number(spread.toPrecision(2)); // 0.000999 is 0.0010: 4 decimals, not 5
  return Math.max(0, Math.min(12, 1 - Math.floor(Math.log10(rounded))));
}

/** `v.toFixed(d)` without a sign on a value that rounds to zero ("-0.00" is "0.00"). */
function fixed(v: number, d: number): string {
  const s = v.toFixed(d);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** "0.983 ± 0.0021"-style: mean and standard deviation to the std's precision; the mean alone when there is no std (n = 1). */
export function meanStd(mean: number, std: number): string {
  if (!Number.isFinite(mean)) return num(mean);
  const d = decimalsFor(std);
  if (d !== undefined) return `${fixed(mean, d)} ± ${fixed(std, d)}`;
  return std === 0 ? `${num(mean)} ± 0` : num(mean);
}

/** "[0.978, 0.988]": an interval to the precision of its half-width. */
export function intervalText(lo: number, hi: number): string {
  const d = decimalsFor((hi - lo) / 2);
  return d === undefined ? `[${num(lo)}, ${num(hi)}]` : `[${fixed(lo, d)}, ${fixed(hi, d)}]`;
}

/** hparam value for display: strings as is, numbers via num(), booleans as true/false. */
export function hparamText(v: HParamValue): string {
  return typeof v === 'number' ? num(v) : String(v);
}
