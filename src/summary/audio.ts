/**
 * Audio: 16-bit PCM WAV clips as TensorBoard's own audio summaries write them — DT_STRING `[k, 2]`
 * rows of (wav bytes, label), plugin `audio` with `AudioPluginData{encoding: WAV}`, and NO data
 * class, in both flavors: both loaders turn a `[k, 2]` audio tensor into a blob sequence of the k
 * clips only when the data class is unset (dataclass_compat.py drops the label column); with
 * BLOB_SEQUENCE set the Python loader serves each wav and each label as a clip. TensorBoard 2.x's
 * audio dashboard shows no label (it serves every clip's label as "").
 *
 * Samples are floats in [-1, 1], converted like TensorFlow's `encode_wav` (round(v · 32768), clamped
 * to the int16 range, so values outside [-1, 1] are clipped); NaN is an error. Mono: one array; several channels: an array of equally long channel arrays.
 */
import { DataClass } from '../proto';
import { stringTensorObject } from './metadata';
import { argError, checkOptionalString, type Step } from './validate';
import type { ValueOptions, WriterContext } from './writer-context';

export type AudioSamples = Float32Array | Float64Array | readonly number[] | readonly (Float32Array | Float64Array | readonly number[])[];

export interface AudioOptions extends ValueOptions {
  /** Samples per second (required). */
  sampleRate: number;
  /** Label stored with the clip (the second column); TensorBoard 2.x's audio dashboard does not show it. */
  label?: string;
}

const PLUGIN = 'audio';
/** Serialized AudioPluginData{version: 0, encoding: WAV (11)}. */
const AUDIO_PLUGIN_CONTENT = new Uint8Array([0x10, 0x0b]);

/** SummaryWriter.audio(). */
export function writeAudio(ctx: WriterContext, tag: string, samples: AudioSamples, step: Step, opts: AudioOptions): void {
  const method = 'SummaryWriter.audio';
  const wallTime = ctx.begin('audio', tag, step, opts);
  if (!opts || typeof opts.sampleRate !== 'number' || !Number.isInteger(opts.sampleRate) || opts.sampleRate < 1 || opts.sampleRate > 4_294_967_295 / 8) {
    throw argError(method, 'options.sampleRate', 'a positive integer number of samples per second (e.g. 16000)', opts?.sampleRate);
  }
  const label = checkOptionalString(method, opts.label, 'options.label') ?? '';
  const wav = encodeWav(method, audioChannels(method, samples), opts.sampleRate);
  ctx.emitValue(tag, step, wallTime, ctx.spec(PLUGIN, DataClass.UNKNOWN, opts, AUDIO_PLUGIN_CONTENT), wav, (w) => ({ tensor: audioTensor([w], [label]) }));
}

/** Normalizes to channel arrays. */
function audioChannels(method: string, samples: unknown): ArrayLike<number>[] {
  const isArr = (v: unknown): boolean => Array.isArray(v) || v instanceof Float32Array || v instanceof Float64Array;
  if (!isArr(samples)) throw argError(method, 'samples', 'a Float32Array/number[] (mono) or an array of channel arrays', samples);
  const s = samples as ArrayLike<unknown>;
  let channels: ArrayLike<number>[];
  if (s.length > 0 && isArr(s[0])) channels = Array.from(s as ArrayLike<ArrayLike<number>>);
  else channels = [s as ArrayLike<number>];
  const frames = channels[0].length;
  if (frames === 0) throw argError(method, 'samples', 'at least one sample', samples);
  if (channels.length > 65535) throw argError(method, 'samples', 'at most 65535 channels', `${channels.length} channels`);
  channels.forEach((c, i) => {
    if (!isArr(c)) throw argError(method, `samples[${i}]`, 'a channel array of numbers', c);
    if (c.length !== frames) throw argError(method, `samples[${i}]`, `a channel of ${frames} samples (all channels equally long)`, `${c.length} samples`);
  });
  return channels;
}

/** A 16-bit PCM WAV file: 44-byte RIFF header + interleaved little-endian samples. */
export function encodeWav(method: string, channels: ArrayLike<number>[], sampleRate: number): Uint8Array {
  const nch = channels.length;
  const frames = channels[0].length;
  const dataLen = frames * nch * 2;
  const buf = Buffer.alloc(44 + dataLen);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataLen, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(nch, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * nch * 2, 28); // byte rate
  buf.writeUInt16LE(nch * 2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataLen, 40);
  let p = 44;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < nch; c++) {
      const v = channels[c][f];
      if (typeof v !== 'number' || Number.isNaN(v)) {
        throw argError(method, nch > 1 ? `samples[${c}][${f}]` : `samples[${f}]`, 'a number in [-1, 1]', v);
      }
      // TensorFlow's encode_wav (wav_io.cc FloatToInt16Sample): roundf(float(v) · 32768), clamped to int16.
      const x = Math.fround(v) * 32768;
      const r = x < 0 ? -Math.round(-x) : Math.round(x);
      buf.writeInt16LE(r > 32767 ? 32767 : r < -32768 ? -32768 : r, p);
      p += 2;
    }
  }
  return buf;
}

/** The DT_STRING `[k, 2]` tensor of (wav, label) rows. */
function audioTensor(wavs: readonly Uint8Array[], labels: readonly string[]): Record<string, unknown> {
  return stringTensorObject([wavs.length, 2], wavs.flatMap((w, i) => [w, labels[i] ?? '']));
}
