import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EndInfo, Hook, RunValues, SessionLike, StepContext, WriterLike } from '../../src/hook-contract';
import { WriterRegistry } from '../../src/summary';
import { listRuns } from '../../src/events/logdir';
import { readRun } from '../../src/events';

export function tmpDir(prefix = 'tbkit-session-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface WriterCall {
  method: string;
  args: unknown[];
}

/** In-memory writer recording every call. */
export class FakeWriter implements WriterLike {
  readonly calls: WriterCall[] = [];
  closed = false;
  constructor(readonly logdir: string) {}
  scalar(tag: string, value: number, step: number | bigint): void {
    this.calls.push({ method: 'scalar', args: [tag, value, step] });
  }
  addSessionStart(step: number | bigint): void {
    this.calls.push({ method: 'addSessionStart', args: [step] });
  }
  async flush(): Promise<void> {
    this.calls.push({ method: 'flush', args: [] });
  }
  async close(opts?: { status?: string }): Promise<void> {
    this.closed = true;
    this.calls.push({ method: 'close', args: [opts?.status] });
  }
  scalars(tag: string): Array<[number, number]> {
    return this.calls.filter((c) => c.method === 'scalar' && c.args[0] === tag).map((c) => [c.args[2] as number, c.args[1] as number]);
  }
}

/** A registry creating FakeWriters (returned in `writers`). */
export function fakeRegistry(): { registry: WriterRegistry<FakeWriter>; writers: FakeWriter[] } {
  const writers: FakeWriter[] = [];
  const registry = new WriterRegistry((dir) => {
    const w = new FakeWriter(dir);
    writers.push(w);
    return w;
  });
  return { registry, writers };
}

/** Records every call into a shared log. */
export class RecorderHook implements Hook {
  ends: EndInfo[] = [];
  constructor(
    readonly name: string,
    readonly log: string[],
    private readonly extra: Partial<Hook> & { request?: string[] } = {},
  ) {}
  get priority(): number | undefined {
    return this.extra.priority;
  }
  async begin(session: SessionLike): Promise<void> {
    this.log.push(`${this.name}.begin`);
    await this.extra.begin?.(session);
  }
  async afterCreateSession(session: SessionLike): Promise<void> {
    this.log.push(`${this.name}.afterCreateSession@${session.globalStep}`);
    await this.extra.afterCreateSession?.(session);
  }
  async beforeRun(ctx: StepContext): Promise<readonly string[] | undefined> {
    this.log.push(`${this.name}.beforeRun@${ctx.globalStep}`);
    await this.extra.beforeRun?.(ctx);
    return this.extra.request;
  }
  async afterRun(ctx: StepContext, values: RunValues): Promise<void> {
    this.log.push(`${this.name}.afterRun@${ctx.step}`);
    await this.extra.afterRun?.(ctx, values);
  }
  async end(session: SessionLike, info: EndInfo): Promise<void> {
    this.log.push(`${this.name}.end:${info.reason}`);
    this.ends.push(info);
    await this.extra.end?.(session, info);
  }
}

/** A fake tensor counting data() downloads and dispose() calls. */
export class FakeTensor {
  dataCalls = 0;
  disposed = 0;
  constructor(private readonly v: number) {}
  async data(): Promise<Float32Array> {
    this.dataCalls++;
    return Float32Array.of(this.v);
  }
  dispose(): void {
    this.disposed++;
  }
}

/** Scalars of the single run in `dir` (TensorBoard purge rules applied). */
export function readScalars(dir: string): ReturnType<typeof readRun> {
  const runs = listRuns(dir).filter((r) => path.resolve(r.dir) === path.resolve(dir));
  if (runs.length !== 1) throw new Error(`expected one run in ${dir}, got ${runs.map((r) => r.name).join(', ') || 'none'}`);
  return readRun(runs[0].files);
}

export function steps(points: Array<{ step: number }> | undefined): number[] {
  return (points ?? []).map((p) => p.step);
}
