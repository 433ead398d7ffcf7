/**
 * The session both overhead measurements run: MonitoredTrainingSession with the BN experiment's
 * logging hooks (StopAtStepHook, NanTensorHook('cost'), SummarySaverHook(['cost']), the default
 * StepCounterHook), writing at the experiment's cadence ('defaults') or every step ('every-step').
 */
import { MonitoredTrainingSession } from '../src/session';
import { StopAtStepHook, NanTensorHook, SummarySaverHook } from '../src/hooks';

export type OverheadVariantName = 'defaults' | 'every-step';

export async function createSession(variant: OverheadVariantName, summaryDir: string): Promise<MonitoredTrainingSession> {
  const every = variant === 'defaults' ? 100 : 1;
  return MonitoredTrainingSession.create({
    summaryDir,
    saveSummariesSteps: 0, // the experiment passes its own SummarySaverHook (tags: ['cost'])
    logStepCountSteps: every,
    handleSignals: false,
    logger: () => undefined,
    hooks: [
      new StopAtStepHook({ lastStep: 1_000_000_000 }),
      new NanTensorHook('cost', { failOnNan: false }),
      new SummarySaverHook({ saveSteps: every, tags: ['cost'] }),
    ],
  });
}
