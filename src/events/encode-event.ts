/**
 * Plain object → serialized tensorboard.Event, byte-compatible with Python's proto3 serializer.
 *
 * protobufjs writes every field that is *set* on a message, including ones holding the default value
 * (e.g. an explicit `step: 0`), while Python's proto3 serializer omits defaults. We therefore strip
 * default-valued singular fields after `fromObject`, except members of a oneof (those have presence:
 * `simple_value: 0` must be written, it is the value) and sub-messages (an empty sub-message is present).
 * With that, golden files decoded and re-encoded here come out byte-identical.
 *
 * This is the general path (any Event); scalar hot paths should serialize by hand and use
 * `EventFileWriter.writeEventBytes`.
 */
import * as protobuf from 'protobufjs';
import { T } from '../proto';
import { validateStep } from './step';

/** The Summary.Value fields the writer and the reader spell the same way (protobufjs names, snake_case as in the .proto). */
export interface SummaryValueFields {
  tag?: string;
  node_name?: string;
  metadata?: {
    plugin_data?: { plugin_name?: string; content?: Uint8Array };
    display_name?: string;
    summary_description?: string;
    data_class?: number;
  };
  simple_value?: number;
  image?: { height?: number; width?: number; colorspace?: number; encoded_image_string?: Uint8Array };
  histo?: { min?: number; max?: number; num?: number; sum?: number; sum_squares?: number; bucket_limit?: number[]; bucket?: number[] };
  audio?: { sample_rate?: number; num_channels?: number; length_frames?: number; encoded_audio_string?: Uint8Array; content_type?: string };
}

/** Summary.Value as a plain object, as the writer takes it. */
export interface SummaryValueInit extends SummaryValueFields {
  obsolete_old_style_histogram?: Uint8Array;
  tensor?: Record<string, unknown>;
  [k: string]: unknown;
}

/** tensorboard.Event as a plain object. `wall_time` defaults to the writer's clock when omitted. */
export interface EventInit {
  wall_time?: number;
  step?: number | bigint;
  file_version?: string;
  graph_def?: Uint8Array;
  summary?: { value: SummaryValueInit[] };
  log_message?: { level?: number; message?: string };
  session_log?: { status?: number; checkpoint_path?: string; msg?: string };
  tagged_run_metadata?: { tag?: string; run_metadata?: Uint8Array };
  meta_graph_def?: Uint8Array;
  source_metadata?: { writer?: string };
  [k: string]: unknown;
}

function isDefault(field: protobuf.Field, v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (field.resolvedType instanceof protobuf.Type) return false; // sub-message: presence matters
  switch (typeof v) {
    case 'number': return v === 0 && !Object.is(v, -0); // -0.0 is written by Python (it is not == default bits)
    case 'string': return v.length === 0;
    case 'boolean': return v === false;
    case 'bigint': return v === 0n;
    case 'object':
      if (v instanceof Uint8Array) return v.length === 0;
      // Long
      if (typeof (v as { isZero?: unknown }).isZero === 'function') return (v as { isZero(): boolean }).isZero();
      return false;
    default: return false;
  }
}

/** Removes default-valued singular non-oneof fields, recursively, so the encoding matches proto3 Python. */
function stripDefaults(type: protobuf.Type, msg: Record<string, unknown>): void {
  for (const field of type.fieldsArray) {
    const name = field.name;
    if (!Object.prototype.hasOwnProperty.call(msg, name)) continue;
    const v = msg[name];
    const sub = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (field.map) {
      if (sub && v && typeof v === 'object') for (const k of Object.keys(v)) stripDefaults(sub, (v as Record<string, Record<string, unknown>>)[k]);
      continue;
    }
    if (field.repeated) {
      if (sub && Array.isArray(v)) for (const item of v) stripDefaults(sub, item as Record<string, unknown>);
      continue;
    }
    if (sub) {
      if (v && typeof v === 'object') stripDefaults(sub, v as Record<string, unknown>);
      continue;
    }
    if (field.partOf) continue; // oneof member (incl. proto3 `optional`): has presence, keep
    if (isDefault(field, v)) delete msg[name];
  }
}

/**
 * Serializes an Event. `step` is validated (TypeError naming `step`); a bigint step is passed to
 * protobufjs as a decimal string (its Long converter does not accept bigint).
 */
export function encodeEvent(event: EventInit): Uint8Array {
  if (event === null || typeof event !== 'object') {
    throw new TypeError(`event must be a plain object for tensorboard.Event (e.g. { step, summary: { value: [...] } }), got ${event === null ? 'null' : typeof event}`);
  }
  let obj: Record<string, unknown> = event;
  if (event.step !== undefined) {
    const step = validateStep(event.step);
    if (typeof step === 'bigint') obj = { ...event, step: step.toString() };
  }
  if (event.wall_time !== undefined && (typeof event.wall_time !== 'number' || Number.isNaN(event.wall_time))) {
    throw new TypeError(`wall_time must be a number of seconds since the epoch, got ${String(event.wall_time)}; TensorBoard drops events with an invalid wall time`);
  }
  const Event = T.Event;
  const msg = Event.fromObject(obj) as unknown as Record<string, unknown>;
  stripDefaults(Event, msg);
  return Event.encode(msg as unknown as protobuf.Message).finish();
}
