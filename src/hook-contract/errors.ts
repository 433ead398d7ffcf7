/** Errors a hook throws or the session recognises: each decides an end reason or names a misuse. */

/** Thrown by NanTensorHook (failOnNan: true) when the watched value is NaN or ±Infinity. End reason: 'nan'. */
export class NanLossError extends Error {
  readonly tag: string;
  readonly value: number;
  readonly step: number;
  constructor(tag: string, value: number, step: number) {
    super(`NaN loss during training: '${tag}' = ${value} at step ${step}`);
    this.name = 'NanLossError';
    this.tag = tag;
    this.value = value;
    this.step = step;
  }
}

/** `run()` called after a stop was requested, after close, or while another run() is in flight. */
export class SessionStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionStateError';
  }
}
