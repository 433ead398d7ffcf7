/**
 * The requests TensorBoard's dashboards make, typed, for the checks: scalars, the graphs
 * dashboard's conceptual graph, and the HParams dashboard's `/experiment` and `/session_groups`
 * POSTs with the bodies its query pane sends (every hparam and metric as a column, all four
 * statuses, page size 100). The columns a user sees without ticking anything are computed as that
 * dashboard does (tf-hparams-query-pane: hparams stably sorted with `differs` first, the first
 * five shown; the first five metrics shown).
 */
import * as assert from 'node:assert/strict';
import type { TensorBoardServer } from './tensorboard-server';

/** [wall time, step, value] */
export type Point = [number, number, number];

export async function scalars(tb: TensorBoardServer, run: string, tag: string): Promise<Point[]> {
  return tb.json<Point[]>(`/data/plugin/scalars/scalars?run=${encodeURIComponent(run)}&tag=${encodeURIComponent(tag)}`);
}

/** [step, value] pairs of a scalar tag. */
export async function scalarSteps(tb: TensorBoardServer, run: string, tag: string): Promise<[number, number][]> {
  return (await scalars(tb, run, tag)).map((p) => [p[1], p[2]]);
}

export interface GraphNode { name: string; keras_class: string | undefined; inputs: string[] }

/** The nodes of a GraphDef in protobuf text format, as the graphs plugin serves it. */
function parseGraph(pbtxt: string): GraphNode[] {
  return pbtxt.split(/^node \{$/m).slice(1).map((block) => ({
    name: /^ {2}name: "([^"]*)"$/m.exec(block)?.[1] ?? '',
    keras_class: /key: "keras_class"\s*value \{\s*s: "([^"]*)"/.exec(block)?.[1],
    inputs: [...block.matchAll(/^ {2}input: "([^"]*)"$/gm)].map((m) => m[1]),
  }));
}

/** The graphs dashboard's request for a Keras model (a "conceptual graph"). */
export async function conceptualGraph(tb: TensorBoardServer, run: string): Promise<GraphNode[]> {
  const r = await tb.get(`/data/plugin/graphs/graph?run=${encodeURIComponent(run)}&conceptual=true&tag=keras`);
  assert.equal(r.status, 200, `graphs/graph?run=${run}: HTTP ${r.status}`);
  return parseGraph(r.body.toString('utf8'));
}

export interface HparamInfo { name: string; type: string; differs: boolean }
export interface Experiment { hparamInfos: HparamInfo[]; metricInfos: { name: { tag: string; group: string } }[] }
export interface MetricValue { name: { tag: string }; value: number; trainingStep: number }
export interface Session { name: string; status: string; metricValues: MetricValue[] }
export interface SessionGroup { name: string; hparams: Record<string, unknown>; metricValues: MetricValue[]; sessions: Session[] }

const STATUSES = ['STATUS_UNKNOWN', 'STATUS_SUCCESS', 'STATUS_FAILURE', 'STATUS_RUNNING'];

export async function experiment(tb: TensorBoardServer): Promise<Experiment> {
  return tb.postJson<Experiment>('/data/plugin/hparams/experiment', { experimentName: '', hparamsLimit: 1000 });
}

export async function sessionGroups(tb: TensorBoardServer): Promise<SessionGroup[]> {
  const exp = await experiment(tb);
  const colParams = [
    ...exp.hparamInfos.map((h) => ({ hparam: h.name, includeInResult: true })),
    ...exp.metricInfos.map((m) => ({ metric: m.name, includeInResult: true })),
  ];
  const r = await tb.postJson<{ sessionGroups: SessionGroup[]; totalSize: number }>('/data/plugin/hparams/session_groups', {
    experimentName: '', allowedStatuses: STATUSES, colParams, startIndex: 0, sliceSize: 100,
  });
  assert.equal(r.totalSize, r.sessionGroups.length);
  return r.sessionGroups;
}

/** The hparam columns the dashboard ticks by itself. */
export function shownHparams(exp: Experiment): string[] {
  const sorted = [...exp.hparamInfos].sort((a, b) => (a.differs === b.differs ? 0 : a.differs ? -1 : 1));
  return sorted.slice(0, 5).map((h) => h.name);
}

/** The metric columns the dashboard ticks by itself. */
export function shownMetrics(exp: Experiment): string[] {
  return exp.metricInfos.slice(0, 5).map((m) => m.name.tag);
}

export function groupOfRun(groups: SessionGroup[], run: string): SessionGroup {
  const g = groups.find((x) => x.sessions.some((s) => s.name === run));
  assert.ok(g, `a session group holding run ${run}; got ${JSON.stringify(groups.map((x) => x.sessions.map((s) => s.name)))}`);
  return g;
}
