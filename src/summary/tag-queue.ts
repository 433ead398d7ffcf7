/**
 * Per-tag ordering of values that are not ready yet (Promises, tensors being read).
 *
 * Events of one tag are written in call order, whatever mix of sync and async values was passed:
 * a later sync value of a tag waits behind an earlier pending value of that tag. Events of
 * different tags are not ordered relative to each other while an async value is pending; when
 * every value is synchronous, nothing is queued and events are written in call order.
 */

type Settled<T> = { ok: true; v: T } | { ok: false; e: unknown };

export class TagQueue {
  /** Per tag: the last pending job. Empty in the steady state of a synchronous loop. */
  readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();

  /**
   * @param report receives a rejected value or an error thrown by a queued write (never the caller's).
   * @param discard true once nothing more may be written (the event file is closed): queued writes are dropped.
   */
  constructor(
    private readonly report: (e: unknown) => void,
    private readonly discard: () => boolean,
  ) {}

  /** Values still being resolved. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Runs `write(value)` now if `value` is synchronous and no tag in `tags` has a pending job;
   * else queues it behind the pending jobs of those tags.
   */
  run<T>(tags: readonly string[], value: T | Promise<T>, write: (v: T) => void): void {
    const isAsync = value instanceof Promise;
    if (!isAsync && (this.tails.size === 0 || !tags.some((t) => this.tails.has(t)))) {
      write(value as T);
      return;
    }
    // Attach handlers right away: a rejection must never become an unhandled rejection.
    const settled: Promise<Settled<T>> = Promise.resolve(value).then(
      (v) => ({ ok: true as const, v }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    const waits: Promise<void>[] = [];
    for (const t of tags) {
      const tl = this.tails.get(t);
      if (tl) waits.push(tl);
    }
    const ready = waits.length === 0 ? settled : Promise.all(waits).then(() => settled);
    const job: Promise<void> = ready
      .then((s) => {
        if (!s.ok) {
          this.report(s.e);
          return;
        }
        if (this.discard()) return;
        try {
          write(s.v);
        } catch (e) {
          this.report(e);
        }
      })
      .finally(() => {
        for (const t of tags) if (this.tails.get(t) === job) this.tails.delete(t);
        this.pending.delete(job);
      });
    for (const t of tags) this.tails.set(t, job);
    this.pending.add(job);
  }

  /** Resolves once every job pending now, and every job those queue, is done. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
