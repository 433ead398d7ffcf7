// Type-checked against the packed tbkit (test/package/consumer.test.ts): the writer, reader and harness.
import { SummaryWriter, MonitoredTrainingSession, StopAtStepHook, NanTensorHook, listRuns, readRun, type Hook } from 'tbkit';

export async function main(): Promise<number> {
  const w = new SummaryWriter('logs/run');
  w.scalar('loss', 0.5, 1);
  w.hparams({ lr: 0.01 }, ['loss']);
  await w.close();
  const hook: Hook = { afterRun: () => undefined };
  const s = await MonitoredTrainingSession.create({ hooks: [new StopAtStepHook({ lastStep: 2 }), new NanTensorHook('loss'), hook] });
  while (!s.shouldStop()) await s.run(async () => ({ loss: 1 }));
  await s.close();
  return listRuns('logs').map((r) => readRun(r.files).scalars.size).length;
}
