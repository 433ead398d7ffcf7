/**
 * Reading the Events of one file with the general (protobufjs) decoder.
 *
 * Records come from `iterateRecordFile`, which checks both CRCs; a record whose CRCs are fine but
 * whose bytes are not a valid Event is reported as a 'bad-event' problem and skipped.
 */
import { iterateRecordFile } from '../record';
import { T } from '../proto';
import type { SummaryValueFields } from './encode-event';
import { badEventProblem, type RecordProblem } from './problems';

/** A decoded Summary.Value: the writer's fields, with the decoded tensor spelled out. */
export interface SummaryValue extends SummaryValueFields {
  tensor?: {
    dtype?: number;
    tensor_shape?: { dim?: Array<{ size?: number; name?: string }>; unknown_rank?: boolean };
    tensor_content?: Uint8Array;
    float_val?: number[];
    double_val?: number[];
    int_val?: number[];
    int64_val?: number[];
    string_val?: Uint8Array[];
    bool_val?: boolean[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface DecodedEvent {
  wall_time: number;
  step: number;
  file_version?: string;
  summary?: { value: SummaryValue[] };
  session_log?: { status?: number; checkpoint_path?: string; msg?: string };
  graph_def?: Uint8Array;
  source_metadata?: { writer?: string };
  [k: string]: unknown;
}

/**
 * Decodes one serialized Event into a plain object (int64 as number, enums as numbers, bytes as
 * Buffer views). Fields absent on the wire are absent, except wall_time and step (0). Throws on
 * malformed protobuf.
 */
export function decodeEvent(bytes: Uint8Array): DecodedEvent {
  const Event = T.Event;
  const obj = Event.toObject(Event.decode(bytes), { longs: Number }) as DecodedEvent;
  if (obj.wall_time === undefined) obj.wall_time = 0;
  if (obj.step === undefined) obj.step = 0;
  if (obj.summary && !obj.summary.value) obj.summary.value = [];
  return obj;
}

/**
 * Yields every decodable Event of `file` with its record's byte offset. Problems (truncated tail,
 * CRC mismatches, undecodable records) go to `onProblem`; the generator only throws if the file
 * cannot be opened or read.
 */
export function* readEvents(
  file: string,
  onProblem: (p: RecordProblem) => void = () => {},
): Generator<{ event: DecodedEvent; offset: number }> {
  for (const rec of iterateRecordFile(file, onProblem)) {
    let event: DecodedEvent;
    try {
      event = decodeEvent(rec.data);
    } catch (err) {
      onProblem(badEventProblem(file, rec.offset, err));
      continue;
    }
    yield { event, offset: rec.offset };
  }
}
