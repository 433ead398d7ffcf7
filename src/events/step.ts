/**
 * Validation of the `step` of an event.
 *
 * Event.step is an int64 on the wire. A JS number is only exact up to 2^53, and a float step would be
 * silently truncated by protobuf encoders, so we reject anything that is not an exact non-negative
 * integer instead of writing something TensorBoard would show at the wrong x position.
 */

/** Largest bigint that fits in an int64. */
const INT64_MAX = (1n << 63n) - 1n;

/**
 * Checks a step and returns it unchanged. Throws a TypeError naming `step` (or `name`) otherwise.
 * Negative steps are rejected: TensorBoard accepts them but they break step-ordered purging.
 */
export function validateStep(step: unknown, name = 'step'): number | bigint {
  if (typeof step === 'bigint') {
    if (step < 0n || step > INT64_MAX) {
      throw new TypeError(`${name} must be a non-negative int64, got ${step}n; pass a step between 0 and 2^63-1`);
    }
    return step;
  }
  if (typeof step !== 'number') {
    throw new TypeError(`${name} must be a number or bigint, got ${step === null ? 'null' : typeof step}; pass the global step as an integer`);
  }
  if (!Number.isFinite(step) || !Number.isInteger(step) || step < 0) {
    throw new TypeError(`${name} must be a non-negative integer, got ${step}; pass an integer step (e.g. Math.floor(x)) or a bigint`);
  }
  if (step > Number.MAX_SAFE_INTEGER) {
    throw new TypeError(`${name} ${step} is above Number.MAX_SAFE_INTEGER and not exact; pass it as a bigint`);
  }
  return step;
}
