/**
 * GlobalStepWaiterHook — delays a worker's first step until the global step reaches `waitUntilStep`.
 *
 * Fires in `beforeRun` of the FIRST step only: polls `getGlobalStep()` every `pollMs` (default 500)
 * until it is `>= waitUntilStep` (TF1 uses it to stagger workers). Default source: the larger of the
 * session's global step and the newest checkpoint step on disk in its checkpointDir (written by the
 * chief). `timeoutSecs` turns an endless wait into an error. Does nothing when waitUntilStep <= 0.
 */
import type { Hook, SessionLike } from '../hook-contract';

export interface GlobalStepWaiterOptions {
  waitUntilStep: number;
  pollMs?: number;
  timeoutSecs?: number;
  getGlobalStep?: (session: SessionLike) => number | Promise<number>;
  logger?: (line: string) => void;
}

export class GlobalStepWaiterHook implements Hook {
  readonly name = 'GlobalStepWaiterHook';
  private done = false;

  constructor(private readonly opts: GlobalStepWaiterOptions) {
    if (!Number.isFinite(opts?.waitUntilStep)) throw new RangeError('GlobalStepWaiterHook: waitUntilStep must be a number');
  }

  async beforeRun(ctx: { session: SessionLike }): Promise<undefined> {
    if (this.done) return undefined;
    const { waitUntilStep, pollMs = 500, timeoutSecs } = this.opts;
    const read = this.opts.getGlobalStep ?? ((s: SessionLike) => Math.max(s.globalStep, s.latestCheckpointStep() ?? 0));
    const start = Date.now();
    let logged = false;
    while (waitUntilStep > 0) {
      const step = await read(ctx.session);
      if (step >= waitUntilStep) break;
      if (!logged) {
        logged = true;
        (this.opts.logger ?? ((l: string) => ctx.session.log(l)))(`Waiting for global step ${waitUntilStep} before starting training (now ${step})`);
      }
      if (timeoutSecs !== undefined && Date.now() - start > timeoutSecs * 1000) {
        throw new Error(`GlobalStepWaiterHook: global step still ${step} < ${waitUntilStep} after ${timeoutSecs}s`);
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    this.done = true;
    return undefined;
  }
}
