/**
 * Event file naming, TensorBoard's scheme: `events.out.tfevents.<10-digit secs>.<hostname>.<pid>.<counter><suffix>`.
 *
 * - The seconds are zero-padded to 10 digits because TensorBoard reads the files of a run in
 *   lexicographic order, which must coincide with creation order.
 * - The pid and a process-wide counter make names unique per process; the writer additionally opens
 *   with exclusive create and asks for the next name on EEXIST, so two processes on hosts with the
 *   same name (containers) still never share a file.
 */
import * as os from 'node:os';

let counter = 0;
let cachedHost: string | undefined;

function hostname(): string {
  if (cachedHost === undefined) {
    // A hostname never contains '/', but be defensive: the name must stay a single path component.
    cachedHost = (os.hostname() || 'localhost').replace(/[\/\\]/g, '_');
  }
  return cachedHost;
}

/** Returns the next event file basename; every call consumes one counter value (process-wide, from 0). */
export function nextEventFileName(secs: number, suffix = ''): string {
  if (!Number.isFinite(secs) || secs < 0) {
    throw new TypeError(`secs must be a non-negative finite number of seconds, got ${secs}`);
  }
  const s = String(Math.floor(secs)).padStart(10, '0');
  return `events.out.tfevents.${s}.${hostname()}.${process.pid}.${counter++}${suffix}`;
}
