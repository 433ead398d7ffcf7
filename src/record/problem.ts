/**
 * What is wrong with a TFRecord file, and where: reported instead of thrown, so that the good
 * records before (and, for a bad data CRC, after) a damaged one are kept.
 */

/**
 * - 'truncated': a tail shorter than its header says (the writer may still be writing it);
 * - 'corrupt-length': the length CRC does not match, so the length cannot be trusted and nothing
 *   after it can be read;
 * - 'corrupt-data': the data CRC does not match; that record is skipped.
 */
export type RecordProblemKind = 'truncated' | 'corrupt-length' | 'corrupt-data';

export interface RecordProblem {
  kind: RecordProblemKind;
  file: string;
  /** Byte offset of the record's header in the file. */
  offset: number;
  message: string;
}

/** A problem whose message names the file, what is wrong (`detail`) and the byte offset. */
export function recordProblem(kind: RecordProblemKind, file: string, offset: number, detail: string): RecordProblem {
  return { kind, file, offset, message: `${file}: ${detail} at byte offset ${offset}` };
}
