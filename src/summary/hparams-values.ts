/**
 * Hparam values: their check, their `google.protobuf.Value`, and TensorBoard's default session
 * group name, which hashes the hparams rendered as Python's `json.dumps` renders them.
 */
import * as crypto from 'node:crypto';
import { argError } from './validate';

export type HparamValue = string | number | boolean;

/**
 * google.protobuf.Value for an hparam value, with a clear error for unsupported types.
 * (protobufjs loads google/protobuf/struct.proto from its bundled camelCase definitions.)
 */
export function valueObject(method: string, key: string, v: unknown, argument = 'hparams'): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw argError(method, `${argument}[${JSON.stringify(key)}]`, 'a finite number, a string or a boolean', v);
    return { numberValue: v };
  }
  if (typeof v === 'bigint') return { numberValue: Number(v) };
  throw argError(method, `${argument}[${JSON.stringify(key)}]`, 'a string, a finite number or a boolean (stringify objects/arrays yourself)', v);
}

export function checkHparams(method: string, hparams: unknown): Record<string, HparamValue> {
  if (hparams === null || typeof hparams !== 'object' || Array.isArray(hparams)) {
    throw argError(method, 'hparams', 'an object of name → string | number | boolean', hparams);
  }
  const out: Record<string, HparamValue> = {};
  for (const [k, v] of Object.entries(hparams)) {
    if (k.length === 0) throw argError(method, 'hparams', 'an object whose keys are non-empty names', hparams);
    valueObject(method, k, v);
    out[k] = typeof v === 'bigint' ? Number(v) : (v as HparamValue);
  }
  return out;
}

/** Python `sorted()` order of str: by code point (= UTF-8 byte order). */
export function sortedKeys(o: object): string[] {
  return Object.keys(o).sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

/** Python `repr(float)` (used by json.dumps). */
export function pyFloatRepr(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  const [mant, expS] = x.toExponential().split('e');
  const exp = Number(expS);
  if (exp >= -4 && exp < 16) {
    return String(x).includes('e') ? x.toFixed(Math.max(0, -exp + (mant.replace('-', '').replace('.', '').length - 1))) : String(x);
  }
  const sign = exp < 0 ? '-' : '+';
  const e = String(Math.abs(exp)).padStart(2, '0');
  return `${mant}e${sign}${e}`;
}

function pyJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (c >= 0x7f && c <= 0xffff)) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (c > 0xffff) {
      const v = c - 0x10000;
      out += '\\u' + (0xd800 + (v >> 10)).toString(16) + '\\u' + (0xdc00 + (v & 0x3ff)).toString(16);
    } else out += ch;
  }
  return out + '"';
}

/**
 * TensorBoard's default group name: sha256 of `json.dumps(hparams, sort_keys=True, separators=(",", ":"))`.
 * JS cannot tell 3 from 3.0: integral numbers are rendered as Python ints.
 */
export function defaultGroupName(hparams: Record<string, HparamValue>): string {
  const parts = sortedKeys(hparams).map((k) => {
    const v = hparams[k];
    let s: string;
    if (typeof v === 'string') s = pyJsonString(v);
    else if (typeof v === 'boolean') s = v ? 'true' : 'false';
    else s = Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? String(v) : pyFloatRepr(v);
    return `${pyJsonString(k)}:${s}`;
  });
  return crypto.createHash('sha256').update(`{${parts.join(',')}}`, 'utf8').digest('hex');
}
