/**
 * Hand-written decoder for the one Event shape that dominates event files: a scalar.
 *
 *   Event { wall_time=1 (f64), step=2 (varint), summary=5 { value=1 { tag=1, simple_value=2 (f32)
 *           | tensor=8 { dtype=1 (=DT_FLOAT), tensor_shape=2 (empty), float_val=5 (one) | tensor_content=4 (4 bytes) },
 *           metadata=9 (kept as a byte range, decoded by the caller only for a tag's first value) } } }
 *
 * Anything else — another field, a repeated field, a multi-byte key, a step ≥ 2^53, two values,
 * another dtype or shape — returns false and the caller falls back to protobufjs. The decoder
 * therefore only has to be right on what it accepts, and it is tested against protobufjs on the
 * golden files and on random/mutated inputs (test/events/scalar-event-decoder.test.ts).
 */
import { readLengthVarint, readLengthField, readSafeVarint, wireCursor } from '../../proto';
import { metadataOk } from './scalar-metadata-check';

// Local bindings: under CommonJS transpilation an imported name is read through an exports getter
// at every use, here several times per record.
const readLength = readLengthVarint;
const lenField = readLengthField;
const readStep = readSafeVarint;
const cursor = wireCursor;
const metaOk = metadataOk;

/** Scratch result, reused across calls to avoid an allocation per event. */
export interface ScalarScratch {
  wallTime: number;
  step: number;
  tagStart: number;
  tagEnd: number;
  value: number;
  /** True for simple_value (legacy: implies the scalars plugin), false for a tensor. */
  simple: boolean;
  /** Byte range of the serialized SummaryMetadata, or metaStart = -1 if absent. */
  metaStart: number;
  metaEnd: number;
}

export function newScalarScratch(): ScalarScratch {
  return { wallTime: 0, step: 0, tagStart: 0, tagEnd: 0, value: 0, simple: false, metaStart: -1, metaEnd: -1 };
}

// Floats are read through a DataView cached per chunk buffer: TurboFan inlines DataView reads,
// while Buffer#readDoubleLE/readFloatLE are library calls with bounds checks.
let dvBuf: Uint8Array | undefined;
let dv: DataView = new DataView(new ArrayBuffer(8)) as DataView;

/**
 * Tries to decode buf[start, end) as a scalar Event into `out`. Returns false (out is then garbage)
 * if the bytes are not exactly the shape above.
 */
export function decodeScalarEvent(b: Buffer, start: number, end: number, out: ScalarScratch): boolean {
  if (b !== dvBuf) {
    dvBuf = b;
    dv = new DataView(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);
  }
  return decodeInOrder(b, start, end, out) || decodeAnyOrder(b, start, end, out);
}

/**
 * Straight-line decode of the layout every known writer produces (fields in field-number order,
 * one-byte lengths, step and wall time present):
 *   09 wall8 | 10 step | 2a L 0a L 0a L tag (15 f32 | 42 L 08 01 [12 00] (2a 04 f32 | 22 04 f32 | 2d f32)) [4a L meta]
 * No loop over keys: measurably faster than decodeAnyOrder on scalar records, hence the two.
 * Returns false whenever the bytes deviate in any way, and decodeAnyOrder then decides; it accepts
 * only bytes decodeAnyOrder accepts, with the same results (test/events/scalar-event-decoder.test.ts).
 */
function decodeInOrder(b: Buffer, start: number, end: number, out: ScalarScratch): boolean {
  let p = start;
  if (p + 12 > end || b[p] !== 0x09 || b[p + 9] !== 0x10) return false;
  const wall = dv.getFloat64(p + 1, true);
  p += 10;
  const step = readStep(b, p, end);
  if (step < 0) return false;
  p = cursor.at;
  // summary: the last field, holding exactly one value
  if (p + 4 > end || b[p] !== 0x2a || b[p + 1] >= 0x80 || p + 2 + b[p + 1] !== end) return false;
  if (b[p + 2] !== 0x0a || b[p + 3] >= 0x80 || p + 4 + b[p + 3] !== end) return false;
  p += 4;
  // tag
  if (p + 2 > end || b[p] !== 0x0a || b[p + 1] >= 0x80) return false;
  const tagStart = p + 2;
  const tagEnd = tagStart + b[p + 1];
  if (tagEnd >= end) return false;
  p = tagEnd;
  let value: number;
  let simple: boolean;
  const key = b[p];
  if (key === 0x15) {
    if (p + 5 > end) return false;
    value = dv.getFloat32(p + 1, true);
    simple = true;
    p += 5;
  } else if (key === 0x42) {
    if (p + 2 > end || b[p + 1] >= 0x80) return false;
    const tEnd = p + 2 + b[p + 1];
    if (tEnd > end) return false;
    let q = p + 2;
    if (q + 2 > tEnd || b[q] !== 0x08 || b[q + 1] !== 0x01) return false; // DT_FLOAT
    q += 2;
    if (q + 2 <= tEnd && b[q] === 0x12 && b[q + 1] === 0x00) q += 2; // empty tensor_shape
    if (q >= tEnd) return false;
    const k = b[q];
    if (k === 0x2a || k === 0x22) { // float_val packed / tensor_content: exactly 4 bytes
      if (q + 6 !== tEnd || b[q + 1] !== 4) return false;
      value = dv.getFloat32(q + 2, true);
    } else if (k === 0x2d) { // float_val unpacked
      if (q + 5 !== tEnd) return false;
      value = dv.getFloat32(q + 1, true);
    } else {
      return false;
    }
    simple = false;
    p = tEnd;
  } else {
    return false;
  }
  let metaStart = -1, metaEnd = -1;
  if (p < end) {
    if (b[p] !== 0x4a || p + 2 > end || b[p + 1] >= 0x80) return false;
    metaStart = p + 2;
    metaEnd = metaStart + b[p + 1];
    if (metaEnd !== end || !metaOk(b, metaStart, metaEnd)) return false;
  }
  out.wallTime = wall;
  out.step = step;
  out.tagStart = tagStart;
  out.tagEnd = tagEnd;
  out.value = value;
  out.simple = simple;
  out.metaStart = metaStart;
  out.metaEnd = metaEnd;
  return true;
}

/** The general decoder: fields in any order, multi-byte lengths. */
function decodeAnyOrder(b: Buffer, start: number, end: number, out: ScalarScratch): boolean {
  let wall = 0, step = 0;
  let seen = 0; // bit 1 wall, 2 step, 4 summary
  let sumStart = -1, sumEnd = -1;
  let p = start;
  while (p < end) {
    const key = b[p++];
    if (key === 0x09) {
      if (seen & 1 || p + 8 > end) return false;
      wall = dv.getFloat64(p, true);
      p += 8;
      seen |= 1;
    } else if (key === 0x10) {
      if (seen & 2) return false;
      step = readStep(b, p, end);
      if (step < 0) return false;
      p = cursor.at;
      seen |= 2;
    } else if (key === 0x2a) {
      if (seen & 4) return false;
      const len = lenField(b, p, end);
      if (len < 0) return false;
      sumStart = cursor.at;
      sumEnd = sumStart + len;
      p = sumEnd;
      seen |= 4;
    } else {
      return false;
    }
  }
  if (!(seen & 4)) return false;

  // Summary: exactly one `value` (field 1), nothing else.
  p = sumStart;
  if (p >= sumEnd || b[p++] !== 0x0a) return false;
  const vlen = readLength(b, p, sumEnd);
  if (vlen < 0 || cursor.at + vlen !== sumEnd) return false;
  p = cursor.at;
  const vEnd = sumEnd;

  let tagStart = -1, tagEnd = -1, metaStart = -1, metaEnd = -1;
  let value = 0, haveValue = false, simple = false;
  while (p < vEnd) {
    const key = b[p++];
    if (key === 0x0a) { // tag
      if (tagStart >= 0 || p >= vEnd) return false;
      let len = b[p];
      if (len < 0x80) {
        p++;
      } else {
        len = readLength(b, p, vEnd);
        if (len < 0) return false;
        p = cursor.at;
      }
      if (p + len > vEnd) return false;
      tagStart = p;
      tagEnd = p + len;
      p = tagEnd;
    } else if (key === 0x15) { // simple_value
      if (haveValue || p + 4 > vEnd) return false;
      value = dv.getFloat32(p, true);
      p += 4;
      haveValue = true;
      simple = true;
    } else if (key === 0x42) { // tensor
      if (haveValue) return false;
      const len = lenField(b, p, vEnd);
      if (len < 0) return false;
      let q = cursor.at;
      const tEnd = q + len;
      let dtype = 0, got = false;
      while (q < tEnd) {
        const k = b[q++];
        if (k === 0x08) { // dtype
          if (dtype !== 0 || q >= tEnd) return false;
          dtype = b[q++];
          if (dtype !== 1) return false; // only DT_FLOAT (single-byte varint 1)
        } else if (k === 0x12) { // tensor_shape: must be empty (rank 0)
          if (q >= tEnd || b[q++] !== 0) return false;
        } else if (k === 0x2a || k === 0x22) { // float_val packed / tensor_content: exactly 4 bytes
          if (got || q >= tEnd || b[q++] !== 4 || q + 4 > tEnd) return false;
          value = dv.getFloat32(q, true);
          q += 4;
          got = true;
        } else if (k === 0x2d) { // float_val unpacked, one element
          if (got || q + 4 > tEnd) return false;
          value = dv.getFloat32(q, true);
          q += 4;
          got = true;
        } else {
          return false;
        }
      }
      if (dtype !== 1 || !got) return false;
      p = tEnd;
      haveValue = true;
      simple = false;
    } else if (key === 0x4a) { // metadata
      if (metaStart >= 0) return false;
      const len = lenField(b, p, vEnd);
      if (len < 0) return false;
      metaStart = cursor.at;
      metaEnd = metaStart + len;
      if (!metaOk(b, metaStart, metaEnd)) return false;
      p = metaEnd;
    } else {
      return false;
    }
  }
  if (!haveValue || tagStart < 0) return false;
  // Stored field by field, as decodeInOrder does: a shared helper taking the doubles would box them
  // wherever V8 does not inline it.
  out.wallTime = wall;
  out.step = step;
  out.tagStart = tagStart;
  out.tagEnd = tagEnd;
  out.value = value;
  out.simple = simple;
  out.metaStart = metaStart;
  out.metaEnd = metaEnd;
  return true;
}
