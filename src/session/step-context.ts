/** The StepContext of one run(): shared by every hook of the step, filled as the step proceeds. */
import type { SessionLike, StepContext, StopRequest, StopRequestInit } from '../hook-contract';
import type { StopRequests } from './stop-requests';

export class RunningStep implements StepContext {
  readonly step: number;
  readonly requested: Set<string>;
  readonly stepValueNames = new Set<string>();
  private readonly madeHere: StopRequest[] = [];

  constructor(
    readonly session: SessionLike,
    private readonly stops: StopRequests,
    readonly globalStep: number,
    readonly localStep: number,
    readonly endOfEpoch: boolean,
    fetch: readonly string[] | undefined,
  ) {
    this.step = globalStep + 1;
    this.requested = new Set(fetch);
  }

  /** An own property, not a method: hooks may pass `ctx.requestStop` around unbound. */
  readonly requestStop = (reason?: string | StopRequestInit): void => {
    this.madeHere.push(this.stops.add(reason));
  };

  get stopRequested(): boolean {
    return this.stops.any;
  }

  get stopRequests(): readonly StopRequest[] {
    return this.madeHere;
  }
}
