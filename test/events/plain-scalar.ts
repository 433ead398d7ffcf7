/** Reference encodings for the scalar record templates' tests (not a test file itself). */

export function varint(step: number): number[] {
  const out: number[] = [];
  let v = step;
  while (v >= 128) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** The Event bytes the plain encoder would produce: 09 <wall> 10 <step> <suffix with the f32 at valueAt>. */
export function plainData(suffix: Uint8Array, valueAt: number, wall: number, step: number, value: number): Buffer {
  const s = varint(step);
  const data = Buffer.alloc(10 + s.length + suffix.length);
  data[0] = 0x09;
  data.writeDoubleLE(wall, 1);
  data[9] = 0x10;
  data.set(s, 10);
  data.set(suffix, 10 + s.length);
  new DataView(data.buffer, data.byteOffset, data.length).setFloat32(10 + s.length + valueAt, value, true);
  return data;
}
