/**
 * The writer surface hooks and the session write through. src/summary's SummaryWriter implements
 * it; the contract names only this much so that a hook never depends on the summary layer's
 * classes, and tests can hand the session an in-memory writer.
 */
export interface WriterLike {
  readonly logdir: string;
  scalar(tag: string, value: number, step: number | bigint, opts?: { wallTime?: number; description?: string }): void;
  addSessionStart(step: number | bigint): void;
  flush(): Promise<void>;
  close(opts?: { status?: 'success' | 'failure' }): Promise<void>;
}
