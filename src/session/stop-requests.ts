/**
 * The session's stop requests: who asked, why, and at which step; the end reason they add up to.
 * Stopping is a request (TF1): it takes effect after every afterRun of the step it was made in.
 */
import type { EndReason, StopKind, StopRequest, StopRequestInit } from '../hook-contract';

/** The strongest kind decides the end reason. */
const KIND_RANK: Record<StopKind, number> = { completed: 0, stop_requested: 1, nan: 2, interrupted: 3 };

export class StopRequests {
  private readonly list: StopRequest[] = [];

  /**
   * @param defaultSource who asks when a request names no source (the hook being called, or 'user')
   * @param globalStep the step a request is recorded at
   */
  constructor(
    private readonly defaultSource: () => string,
    private readonly globalStep: () => number,
  ) {}

  get all(): readonly StopRequest[] {
    return this.list;
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  add(reason?: string | StopRequestInit): StopRequest {
    const init: StopRequestInit = typeof reason === 'string' || reason === undefined ? { reason: reason ?? 'stop requested' } : reason;
    const request: StopRequest = {
      reason: init.reason,
      kind: init.kind ?? 'stop_requested',
      source: init.source ?? this.defaultSource(),
      globalStep: this.globalStep(),
    };
    this.list.push(request);
    return request;
  }

  /** "source: reason; …", for the error of a run() after a stop. */
  describe(): string {
    return this.list.map((r) => `${r.source}: ${r.reason}`).join('; ');
  }

  /** The end reason of a session that ended without an error: the strongest kind asked for. */
  endReason(): EndReason {
    if (this.list.length === 0) return 'completed';
    let best = this.list[0].kind;
    for (const r of this.list) if (KIND_RANK[r.kind] > KIND_RANK[best]) best = r.kind;
    return best;
  }
}
