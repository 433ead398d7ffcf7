/**
 * The scalar decoder's check of a value's SummaryMetadata bytes. They are not decoded on the fast
 * path (only a tag's first metadata matters, and the caller decodes that one), but they must be
 * well-formed, or the fast path would accept an Event that protobufjs rejects.
 */
import { readLengthField, skipVarint, wireCursor } from '../../proto';

// Local bindings: under CommonJS transpilation an imported function is read through an exports
// getter at every call.
const lengthField = readLengthField;
const skip = skipVarint;
const cursor = wireCursor;

/**
 * Accepts exactly: plugin_data=1 {plugin_name=1, content=2}, display_name=2, summary_description=3
 * (LEN), data_class=4 (VARINT); anything else → false (the general decoder decides).
 */
function skimMetadata(b: Uint8Array, start: number, end: number): boolean {
  let p = start;
  while (p < end) {
    const key = b[p++];
    if (key === 0x0a) { // plugin_data
      const len = lengthField(b, p, end);
      if (len < 0) return false;
      let q = cursor.at;
      const pEnd = q + len;
      while (q < pEnd) {
        const k = b[q++];
        if (k !== 0x0a && k !== 0x12) return false;
        const l = lengthField(b, q, pEnd);
        if (l < 0) return false;
        q = cursor.at + l;
      }
      p = pEnd;
    } else if (key === 0x12 || key === 0x1a) {
      const len = lengthField(b, p, end);
      if (len < 0) return false;
      p = cursor.at + len;
    } else if (key === 0x20) {
      p = skip(b, p, end);
      if (p < 0) return false;
    } else {
      return false;
    }
  }
  return true;
}

// The last metadata bytes that skimMetadata accepted (a tag's writer repeats the same metadata on
// every value, e.g. SummaryWriter and TF2's tf.summary.scalar): equal bytes are accepted by
// comparison instead of being parsed again.
const lastMeta = new Uint8Array(64);
let lastMetaLen = -1;

/** True if b[start, end) is a SummaryMetadata the scalar fast path may take. */
export function metadataOk(b: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  if (len === lastMetaLen) {
    let i = 0;
    while (i < len && b[start + i] === lastMeta[i]) i++;
    if (i === len) return true;
  }
  if (!skimMetadata(b, start, end)) return false;
  if (len <= lastMeta.length) {
    for (let i = 0; i < len; i++) lastMeta[i] = b[start + i];
    lastMetaLen = len;
  }
  return true;
}
