/**
 * MonitoredTrainingSession: the factory over the runner (TF1's MonitoredTrainingSession function
 * over MonitoredSession). It is a MonitoredSession whose hooks are the caller's plus the default
 * ones its options ask for.
 *
 * ```ts
 * const session = await MonitoredTrainingSession.create({ summaryDir, checkpointDir, hooks: [...] });
 * while (!session.shouldStop()) await session.run(async () => ({ cost: trainOneBatch() }));
 * await session.close();
 * ```
 *
 * Hook list: `hooks`, then on the chief `chiefOnlyHooks` and the default hooks — StepCounterHook,
 * SummarySaverHook, CheckpointSaverHook, each only when the caller passed no hook of that class —
 * then stable-sorted by priority by the runner.
 */
import type { Hook } from '../hook-contract';
import { CheckpointSaverHook, StepCounterHook, SummarySaverHook } from '../hooks';
import { MonitoredSession } from './monitored-session';
import { summaryDirOf, type MonitoredSessionOptions } from './session-options';

export interface MonitoredTrainingSessionOptions extends MonitoredSessionOptions {
  /** Hooks run only on the chief: a non-chief drops them, and gets no default hooks either. */
  chiefOnlyHooks?: Hook[];
  /** Default 100 when a summaryDir is set and saveSummariesSecs is not; 0 disables the default SummarySaverHook. */
  saveSummariesSteps?: number;
  saveSummariesSecs?: number;
  /** StepCounterHook period (global_step/sec). Default 100; 0 disables. */
  logStepCountSteps?: number;
  /** Default: saveCheckpointSecs 600 when neither is given (TF's default); 0 disables the default CheckpointSaverHook. */
  saveCheckpointSteps?: number;
  saveCheckpointSecs?: number;
  /** Clock (ms) for the default hooks' time triggers. */
  now?: () => number;
}

/** The default hooks the options ask for, leaving out a class the caller already gave (never two checkpoint savers). */
function defaultHooks(o: MonitoredTrainingSessionOptions): Hook[] {
  const out: Hook[] = [];
  const given = [...(o.hooks ?? []), ...(o.chiefOnlyHooks ?? [])];
  const has = (cls: abstract new (...a: never[]) => unknown): boolean => given.some((h) => h instanceof cls);
  const hasSummaries = summaryDirOf(o) !== undefined;
  const logSteps = o.logStepCountSteps ?? 100;
  if (hasSummaries && logSteps > 0 && !has(StepCounterHook)) out.push(new StepCounterHook({ everyNSteps: logSteps, now: o.now }));
  if (hasSummaries && !has(SummarySaverHook)) {
    const secs = o.saveSummariesSecs;
    const steps = o.saveSummariesSteps ?? (secs === undefined ? 100 : undefined);
    if ((steps ?? 0) > 0 || (secs ?? 0) > 0) {
      out.push(new SummarySaverHook({ saveSteps: steps || undefined, saveSecs: secs || undefined, tags: '*', now: o.now }));
    }
  }
  if (o.checkpointDir !== undefined && !has(CheckpointSaverHook)) {
    const steps = o.saveCheckpointSteps;
    const secs = o.saveCheckpointSecs ?? (steps === undefined ? 600 : undefined);
    if ((steps ?? 0) > 0 || (secs ?? 0) > 0) {
      out.push(new CheckpointSaverHook({ saveSteps: steps || undefined, saveSecs: secs || undefined, now: o.now }));
    }
  }
  return out;
}

export class MonitoredTrainingSession extends MonitoredSession {
  private constructor(opts: MonitoredTrainingSessionOptions) {
    const isChief = opts.isChief ?? true;
    const hooks = [...(opts.hooks ?? []), ...(isChief ? [...(opts.chiefOnlyHooks ?? []), ...defaultHooks(opts)] : [])];
    super({ ...opts, hooks });
  }

  /** Creates the session: begin → restore → SessionLog START → afterCreateSession. */
  static override async create(opts: MonitoredTrainingSessionOptions = {}): Promise<MonitoredTrainingSession> {
    const session = new MonitoredTrainingSession(opts);
    await session.open();
    return session;
  }
}
