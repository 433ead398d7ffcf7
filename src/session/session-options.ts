/** What MonitoredSession is given (MonitoredTrainingSession adds the default hooks' options), and what run() takes. */
import type { Checkpointer, Hook, StepContext, StepValues, WriterLike } from '../hook-contract';
import type { WriterRegistry } from '../summary';
import type { SignalOptions } from './signals';

export interface MonitoredSessionOptions extends SignalOptions {
  /** Hooks run on every worker, in registration order (sorted by priority, see hook-list.ts). */
  hooks?: Hook[];
  /** Default true. A non-chief has no writer and saves no checkpoints (it still restores). */
  isChief?: boolean;
  /** Run directory for TensorBoard events (default: checkpointDir, as TF). */
  summaryDir?: string;
  /** Where checkpoints are saved and restored from. */
  checkpointDir?: string;
  /** Newest checkpoints to keep (default 5). */
  keepCheckpoints?: number;
  /** Saves/restores the user's model and state inside each checkpoint (e.g. src/tfjs/checkpoint TfjsCheckpointer). */
  checkpointer?: Checkpointer;
  /** Install SIGINT/SIGTERM handlers (default true). */
  handleSignals?: boolean;
  /** Inject the writer for summaryDir (its logdir becomes summaryDir). The session flushes but never closes it. */
  writer?: WriterLike;
  /** Writer registry (default: process-wide). */
  writerRegistry?: WriterRegistry<WriterLike>;
  /** Where session.log prints when no log sink is registered (default console.log). */
  logger?: (line: string) => void;
  /** Reports errors thrown by `end` hooks (default console.error). */
  onHookError?: (error: unknown, hook: string, phase: string) => void;
  /** Dispose tensor-likes returned by the step function after each step (default true). */
  disposeValues?: boolean;
}

export interface RunOptions {
  /** Extra value names to resolve and return, whatever the hooks asked for. */
  fetch?: readonly string[];
  /** Marks this step as the last of an epoch (ValidationHook `every: 'epoch'`). */
  endOfEpoch?: boolean;
}

export type StepFn = (ctx: StepContext) => StepValues | Promise<StepValues>;

/** The run directory for events: summaryDir, else the injected writer's, else checkpointDir (as TF). */
export function summaryDirOf(opts: MonitoredSessionOptions): string | undefined {
  return opts.summaryDir ?? opts.writer?.logdir ?? opts.checkpointDir;
}
