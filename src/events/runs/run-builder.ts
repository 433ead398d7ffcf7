/**
 * One run's data as its Events are read: the tags (created from their first metadata or legacy
 * kind), their steps and scalar points with the purge rules applied (reservoir.ts), and the
 * hparams. Events the scalar fast path did not take arrive decoded, through `event()`.
 */
import { SessionStatus } from '../../proto';
import type { DecodedEvent, SummaryValue } from '../read-events';
import { ColumnStore, SPARE_POINTS, type ReadProgress } from './column-store';
import { dataClassOf, legacyPluginOf, pluginOf, scalarOf, type TagMetadata } from './data-compat';
import { applyHParams } from './hparams';
import { StepReservoir } from './reservoir';
import { TagKey } from './tag-cache';
import type { RunData, TagInfo } from './types';

const NO_TAG = new TagKey(new Uint8Array(0), 0, 0);

export class TagState {
  /**
   * The tag's points, iff it belongs to the scalars plugin (info.steps is then filled at the end);
   * other tags keep only their steps, in info.steps.
   */
  cols: ColumnStore | undefined = undefined;
  /** The tag's UTF-8 bytes as first seen by the scalar fast path (compared, never decoded). */
  key: TagKey = NO_TAG;
  /**
   * The tag of the scalar event that followed this tag's last one: the reader's guess for the next
   * event, checked by comparing its bytes (TagKey). Loops log their tags in a fixed order, so the
   * guess is nearly always right and the hash lookup (TagCache) is skipped.
   */
  next: TagState | undefined = undefined;

  constructor(readonly info: TagInfo) {}

  /** True until the fast path has recorded the tag's bytes in `key`. */
  get keyless(): boolean {
    return this.key === NO_TAG;
  }
}

/** The "previous tag" before a run's first scalar event. */
export function startTagState(): TagState {
  return new TagState({ tag: '', plugin: '', dataClass: 0, steps: [], count: 0 });
}

export class RunBuilder {
  readonly data: Omit<RunData, 'scalars'> = {
    tags: new Map(), problems: [], purged: [], duplicates: [], records: 0, files: [],
  };
  /** Scalar tags in order of first sight (the order of RunData.scalars). */
  readonly scalarTags = new Map<string, TagState>();
  private readonly states = new Map<string, TagState>();
  /** The purge rules: every step of every tag goes through `reservoir.add`. */
  readonly reservoir = new StepReservoir(this.data);
  /** Where the reader is in the run's bytes: sizes the column stores' growth (column-store.ts). */
  readonly progress: ReadProgress = { at: 0, total: 0, spare: SPARE_POINTS };

  /** The tag's state, created from its first metadata (or the legacy value kind) on first sight. */
  tag(tag: string, meta: TagMetadata | undefined, legacyPlugin: string): TagState {
    let st = this.states.get(tag);
    if (st) return st;
    const plugin = pluginOf(meta, legacyPlugin);
    const info: TagInfo = { tag, plugin, dataClass: dataClassOf(meta, plugin), steps: [], count: 0 };
    if (meta?.summary_description) info.description = meta.summary_description;
    st = new TagState(info);
    if (plugin === 'scalars') {
      st.cols = new ColumnStore(this.progress);
      this.scalarTags.set(tag, st);
    }
    this.states.set(tag, st);
    this.data.tags.set(tag, info);
    return st;
  }

  /** Any Event the fast path did not take. */
  event(ev: DecodedEvent): void {
    const step = ev.step;
    const wall = ev.wall_time;
    if (ev.session_log) {
      if (ev.session_log.status === SessionStatus.START) this.reservoir.sessionStart(step, this.states.values());
      return;
    }
    if (ev.graph_def) {
      this.reservoir.add(this.tag('__run_graph__', undefined, 'graphs'), step, wall, NaN);
      return;
    }
    const trm = ev.tagged_run_metadata as { tag?: string } | undefined;
    if (trm) {
      this.reservoir.add(this.tag(trm.tag ?? '', undefined, 'graphs'), step, wall, NaN);
      return;
    }
    if (!ev.summary) return;
    for (const v of ev.summary.value) this.value(v, step, wall);
  }

  private value(v: SummaryValue, step: number, wall: number): void {
    const tag = v.tag || v.node_name || '';
    const st = this.tag(tag, v.metadata, legacyPluginOf(v));
    if (st.info.plugin === 'hparams' && v.metadata?.plugin_data?.content) applyHParams(this.data, tag, v.metadata.plugin_data.content);
    let value = NaN;
    if (st.cols) {
      const x = scalarOf(v);
      if (x === undefined) return; // not a scalar after all (e.g. a non-rank-0 tensor): RustBoard drops it
      value = x;
    }
    this.reservoir.add(st, step, wall, value);
  }

  /** Fills TagInfo.steps of scalar tags from their points. */
  finish(): void {
    for (const st of this.states.values()) {
      const c = st.cols;
      if (c === undefined) continue;
      c.trim();
      st.info.steps = c.stepList();
    }
  }
}
