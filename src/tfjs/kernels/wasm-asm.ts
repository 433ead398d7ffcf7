/**
 * A minimal WebAssembly binary writer: just the opcodes and sections the SIMD kernels need, so the
 * kernels are assembled at run time from TypeScript (no toolchain, nothing fetched).
 */

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const I32 = 0x7f;
export const V128 = 0x7b;
export type Code = number[];

const simd = (op: number): Code => [0xfd, ...uleb(op)];
export const get = (i: number): Code => [0x20, ...uleb(i)];
export const set = (i: number): Code => [0x21, ...uleb(i)];
export const i32c = (v: number): Code => [0x41, ...sleb(v)];
export const add = [0x6a];
export const mul = [0x6c];
const ltU = [0x49];
/** v128 load/store/splat with a constant byte offset (alignment hint 0: any address). */
export const v128Load = (offset = 0): Code => [...simd(0x00), 0, ...uleb(offset)];
export const v128Store = (offset = 0): Code => [...simd(0x0b), 0, ...uleb(offset)];
export const load32Splat = (offset = 0): Code => [...simd(0x09), 0, ...uleb(offset)];
/** i32 load with a constant byte offset (alignment hint 4 bytes). */
export const i32Load = (offset = 0): Code => [0x28, 2, ...uleb(offset)];
/** Scalar f32 load with a constant byte offset, f32 constant, f32 '!=' (NaN != 0 is true). */
export const f32Load = (offset = 0): Code => [0x2a, 0, ...uleb(offset)];
export function f32Const(v: number): Code {
  return [0x43, ...new Uint8Array(new Float32Array([v]).buffer)];
}
export const f32Ne = [0x5c];
export const f32x4Ne = simd(0x42);
export const f32x4Gt = simd(0x44);
export const f32x4Add = simd(0xe4);
export const f32x4Sub = simd(0xe5);
export const f32x4Mul = simd(0xe6);
export const vAnd = simd(0x4e);
export const vAndNot = simd(0x4f);
export const vOr = simd(0x50);
export const vBitselect = simd(0x52);
export const vAnyTrue = simd(0x53);
export function f32x4Const(v: number): Code {
  const b = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
  return [...simd(0x0c), ...b];
}
/** `local += delta` for i32 locals. */
export const inc = (local: number, delta: Code): Code => [...get(local), ...delta, ...add, ...set(local)];

/** do { body } while (local < limit) — the caller guarantees at least one iteration. */
export function doWhileLt(counter: number, limit: Code, body: Code): Code {
  return [0x03, 0x40, ...body, ...get(counter), ...limit, ...ltU, 0x0d, 0, 0x0b];
}
/** if (a < b) { body } (i32, unsigned) */
export function ifLt(a: Code, b: Code, body: Code): Code {
  return [...a, ...b, ...ltU, 0x04, 0x40, ...body, 0x0b];
}

/** if (the i32 on the stack is nonzero) { body } */
export function ifTrue(body: Code): Code {
  return [0x04, 0x40, ...body, 0x0b];
}

export interface FuncDef {
  name: string;
  params: number;
  /** Extra locals, in order after the params: [count, type] runs. */
  locals: Array<[number, number]>;
  body: Code;
}

export function assemble(funcs: FuncDef[], shared: boolean): Uint8Array {
  const section = (id: number, content: Code): Code => [id, ...uleb(content.length), ...content];
  const vec = (items: Code[]): Code => [...uleb(items.length), ...items.flat()];
  const str = (s: string): Code => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
  const types = funcs.map((f) => [0x60, ...vec(Array.from({ length: f.params }, () => [I32])), 0]);
  // Memory import: shared memories must declare a maximum (the threaded build uses 4 GiB).
  const memLimits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = [[...str('env'), ...str('memory'), 0x02, ...memLimits]];
  const bodies = funcs.map((f) => {
    const b = [...vec(f.locals.map(([n, t]) => [...uleb(n), t])), ...f.body, 0x0b];
    return [...uleb(b.length), ...b];
  });
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies)),
  ];
  return new Uint8Array(bytes);
}

