/**
 * The session's hooks in call order, and every call into them: one hook at a time, awaited, with
 * the hook being called known (the default `source` of the stop requests it makes).
 *
 * Order: the given list, stable-sorted by `priority` (ValidationHook -100, user hooks 0,
 * summary/logging hooks 100, CheckpointSaverHook 1000), so a checkpoint is taken after every other
 * hook has updated its state for the step. `end` runs in the same order.
 */
import type { EndInfo, Hook, RunValues, SessionLike, StepContext } from '../hook-contract';

function ordered(hooks: readonly Hook[]): Hook[] {
  for (const h of hooks) {
    if (h === null || typeof h !== 'object') throw new TypeError(`hooks must be objects, got ${String(h)}`);
  }
  if (new Set(hooks).size !== hooks.length) throw new Error('the same hook instance is registered twice');
  return hooks
    .map((h, i) => ({ h, i, p: typeof h.priority === 'number' ? h.priority : 0 }))
    .sort((a, b) => a.p - b.p || a.i - b.i)
    .map((x) => x.h);
}

function baseName(h: Hook): string {
  return h.name ?? h.constructor?.name ?? 'hook';
}

export class HookList {
  /** Hooks in call order. */
  readonly hooks: readonly Hook[];
  private readonly names = new Map<Hook, string>();
  /** Hooks whose begin ran: only they get an end. */
  private readonly begun = new Set<Hook>();
  private current: Hook | undefined;

  constructor(hooks: readonly Hook[]) {
    this.hooks = ordered(hooks);
    const count = new Map<string, number>();
    for (const h of this.hooks) {
      const base = baseName(h);
      const n = (count.get(base) ?? 0) + 1;
      count.set(base, n);
      this.names.set(h, n === 1 ? base : `${base}#${n}`);
    }
  }

  /** Stable name of a hook (its `name`, or constructor name, suffixed `#2`… when repeated). */
  nameOf(hook: Hook): string {
    return this.names.get(hook) ?? baseName(hook);
  }

  /** Name of the hook being called, undefined outside hook calls. */
  get currentName(): string | undefined {
    return this.current ? this.nameOf(this.current) : undefined;
  }

  private async call<T>(h: Hook, f: () => T | Promise<T>): Promise<T> {
    const prev = this.current;
    this.current = h;
    try {
      return await f();
    } finally {
      this.current = prev;
    }
  }

  async begin(session: SessionLike): Promise<void> {
    for (const h of this.hooks) {
      this.begun.add(h);
      if (h.begin) await this.call(h, () => h.begin!(session));
    }
  }

  /** Gives each hook the state saved under its name, if any. */
  async loadStates(states: Record<string, unknown>): Promise<void> {
    for (const h of this.hooks) {
      const name = this.nameOf(h);
      if (h.loadState && Object.prototype.hasOwnProperty.call(states, name)) await this.call(h, () => h.loadState!(states[name]));
    }
  }

  /** Every hook's state, by name, for a checkpoint. */
  states(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const h of this.hooks) if (h.state) out[this.nameOf(h)] = h.state();
    return out;
  }

  async afterCreateSession(session: SessionLike): Promise<void> {
    for (const h of this.hooks) {
      if (h.afterCreateSession) await this.call(h, () => h.afterCreateSession!(session));
    }
  }

  /** Collects into `requested` the value names each hook's beforeRun asks for. */
  async beforeRun(ctx: StepContext, requested: Set<string>): Promise<void> {
    for (const h of this.hooks) {
      if (!h.beforeRun) continue;
      const r = await this.call(h, () => h.beforeRun!(ctx));
      if (r === undefined || r === null) continue;
      if (typeof r === 'string') requested.add(r);
      else if (Array.isArray(r)) for (const n of r) requested.add(String(n));
      else throw new TypeError(`${this.nameOf(h)}.beforeRun must return value names (string[]), got ${typeof r}`);
    }
  }

  async afterRun(ctx: StepContext, values: RunValues): Promise<void> {
    for (const h of this.hooks) {
      if (h.afterRun) await this.call(h, () => h.afterRun!(ctx, values));
    }
  }

  /**
   * Every begun hook's end, each told the global step of the moment. An error does not stop the
   * others: each is reported, and all are returned.
   */
  async end(session: SessionLike, info: EndInfo, report: (error: unknown, hook: string, phase: string) => void): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (const h of this.hooks) {
      if (!this.begun.has(h) || !h.end) continue;
      try {
        await this.call(h, () => h.end!(session, { ...info, globalStep: session.globalStep }));
      } catch (e) {
        errors.push(e);
        report(e, this.nameOf(h), 'end');
      }
    }
    return errors;
  }
}
