/**
 * A child of the parallel scheduler (parallel.ts forks this file): one run, reported back over IPC.
 * It loads the data and tfjs itself; the parent never does.
 */
import { setWasmThreads } from '../../tfjs';
import { loadExperimentData } from './experiment-data';
import { PARALLEL_CHILD_ENV, threadGrower, type ChildMessage, type StartMessage } from './parallel';
import { DEFAULT_IO, SILENT_IO } from './run-types';
import { trainOne } from './train-run';

async function childMain(): Promise<void> {
  const start = await new Promise<StartMessage>((resolve) => process.once('message', (m) => resolve(m as StartMessage)));
  // Parent gone (killed, crashed): stop as on SIGTERM (finish the step, checkpoint, flush).
  const orphaned = (): void => void process.kill(process.pid, 'SIGTERM');
  process.once('disconnect', orphaned);
  const grower = threadGrower(setWasmThreads, start.maxThreads, (m) => console.log(m));
  const onGrow = grower.onMessage;
  process.on('message', onGrow);
  let msg: ChildMessage;
  try {
    const data = await loadExperimentData(start.config, SILENT_IO);
    const options = { threads: start.threads, maxThreads: start.maxThreads, onBackend: grower.onBackend };
    msg = { result: await trainOne(start.config, start.spec, data, options, DEFAULT_IO) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    msg = { error: { name: err.name, message: err.message, stack: err.stack } };
  }
  process.removeListener('disconnect', orphaned);
  process.removeListener('message', onGrow);
  if (process.connected) {
    await new Promise<void>((resolve) => process.send!(msg, () => resolve()));
    process.disconnect();
  }
}

if (require.main === module && process.env[PARALLEL_CHILD_ENV] === '1' && typeof process.send === 'function') {
  childMain().catch((e: unknown) => {
    process.stderr.write(`tbkit: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
