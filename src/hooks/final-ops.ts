/**
 * FinalOpsHook — runs a user function once, in `end` (every end reason), and keeps its result.
 *
 * Fires only in `end(session, info)`: `finalOpsValues = await fn(session, info)`. Use it for a final
 * evaluation or export. If `fn` throws, the error is reported as an end-hook error (it never masks
 * a training error).
 */
import type { EndInfo, Hook, SessionLike } from '../hook-contract';

export class FinalOpsHook<T = unknown> implements Hook {
  readonly name: string;
  /** The value `fn` returned (undefined until `end`). */
  finalOpsValues: T | undefined;

  constructor(private readonly fn: (session: SessionLike, info: EndInfo) => T | Promise<T>, opts: { name?: string } = {}) {
    if (typeof fn !== 'function') throw new TypeError('FinalOpsHook: fn must be a function');
    this.name = opts.name ?? 'FinalOpsHook';
  }

  async end(session: SessionLike, info: EndInfo): Promise<void> {
    this.finalOpsValues = await this.fn(session, info);
  }
}
