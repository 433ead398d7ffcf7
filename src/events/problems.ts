/**
 * The problems the event readers report: the record layer's (truncated, corrupt length or data)
 * and two of their own, an undecodable Event and an unreadable file. Each names the file, the
 * byte offset and what happens next, so that one bad record or file never hides the rest of a run.
 */
import type { RecordProblem as RawRecordProblem } from '../record';

/** A record-level problem, or an Event that could not be decoded ('bad-event'). */
export interface RecordProblem extends Omit<RawRecordProblem, 'kind'> {
  /** 'bad-event': valid CRCs but not an Event; 'unreadable': readRun could not open/read the file. */
  kind: RawRecordProblem['kind'] | 'bad-event' | 'unreadable';
}

/** A record whose CRCs are fine but whose bytes are not a valid Event (a foreign TFRecord file, a writer bug). */
export function badEventProblem(file: string, offset: number, err: unknown): RecordProblem {
  const why = err instanceof Error ? err.message : String(err);
  return {
    kind: 'bad-event',
    file,
    offset,
    message: `${file}: record at byte offset ${offset} has valid CRCs but is not a tensorboard.Event (${why}); skipped`,
  };
}

/** A file of a run that cannot be opened or read (`code`: the errno name). */
export function unreadableProblem(file: string, code: string): RecordProblem {
  return { kind: 'unreadable', file, offset: 0, message: `${file}: cannot be read (${code}); check that it exists and is readable` };
}
