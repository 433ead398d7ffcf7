/**
 * Checks of the graphs and HParams dashboards and of a MonitoredTrainingSession's scalars, on the
 * logdir of write-logdir.ts: what TensorBoard serves against what was written.
 */
import * as assert from 'node:assert/strict';
import type { Check, TensorBoardServer } from './tensorboard-server';
import { conceptualGraph, experiment, groupOfRun, scalarSteps, sessionGroups, shownHparams, shownMetrics, type GraphNode } from './tb-api';
import { W } from './write-logdir';

const f32 = Math.fround;

const SEQUENTIAL: GraphNode[] = [
  { name: 'seq/conv', keras_class: 'Conv2D', inputs: [] },
  { name: 'seq/flat', keras_class: 'Flatten', inputs: ['seq/conv'] },
  { name: 'seq/out', keras_class: 'Dense', inputs: ['seq/flat'] },
];

const FUNCTIONAL: GraphNode[] = [
  { name: 'fn/x', keras_class: 'InputLayer', inputs: [] },
  { name: 'fn/a', keras_class: 'Dense', inputs: ['fn/x'] },
  { name: 'fn/b', keras_class: 'Dense', inputs: ['fn/x'] },
  { name: 'fn/sum', keras_class: 'Add', inputs: ['fn/a', 'fn/b'] },
  { name: 'fn/y', keras_class: 'Dense', inputs: ['fn/sum'] },
];

/** Every session of the logdir: the BN-like runs and the other experiment's run. */
const SESSIONS = [...W.hpRuns.map((r) => ({ name: r.name, hparams: { use_bn: r.use_bn, learning_rate: r.learning_rate, ...W.hpCommon } })), W.other];

async function lastPoint(tb: TensorBoardServer, run: string, tag: string): Promise<[number, number]> {
  const pts = await scalarSteps(tb, run, tag);
  return pts[pts.length - 1];
}

export const modelChecks: Check[] = [
  {
    name: 'graphs: both models are listed as Keras (conceptual) graphs',
    run: async (tb) => {
      const info = await tb.json<Record<string, { tags: Record<string, { conceptual_graph: boolean; op_graph: boolean }> }>>('/data/plugin/graphs/info');
      for (const run of ['graph-sequential', 'graph-functional']) {
        assert.deepEqual(Object.keys(info[run]?.tags ?? {}), ['keras'], run);
        assert.equal(info[run].tags.keras.conceptual_graph, true, run);
      }
    },
  },
  {
    name: 'graphs: a Sequential model, its layers and the edges between them',
    run: async (tb) => assert.deepEqual(await conceptualGraph(tb, 'graph-sequential'), SEQUENTIAL),
  },
  {
    name: 'graphs: a functional model, its layers and edges (branch and merge)',
    run: async (tb) => assert.deepEqual(await conceptualGraph(tb, 'graph-functional'), FUNCTIONAL),
  },
  {
    name: 'hparams: the experiment lists every hparam of both experiments with its type, and the metrics',
    run: async (tb) => {
      const exp = await experiment(tb);
      const types: Record<string, string> = {
        use_bn: 'DATA_TYPE_BOOL', learning_rate: 'DATA_TYPE_FLOAT64', batch_size: 'DATA_TYPE_FLOAT64', epochs: 'DATA_TYPE_FLOAT64',
        backend: 'DATA_TYPE_STRING', dataset: 'DATA_TYPE_STRING', normalize: 'DATA_TYPE_BOOL', optimizer: 'DATA_TYPE_STRING', momentum: 'DATA_TYPE_FLOAT64',
      };
      assert.deepEqual(Object.fromEntries(exp.hparamInfos.map((h) => [h.name, h.type])), types);
      const metrics = exp.metricInfos.map((m) => m.name.tag);
      for (const tag of ['validation/accuracy', 'validation/cost']) assert.ok(metrics.includes(tag), `metric ${tag} in ${JSON.stringify(metrics)}`);
    },
  },
  {
    name: 'hparams: one session group per run, its hparams, final metrics and status',
    run: async (tb) => {
      const groups = await sessionGroups(tb);
      assert.equal(groups.length, SESSIONS.length);
      for (const r of W.hpRuns) {
        const g = groupOfRun(groups, r.name);
        assert.deepEqual(g.sessions.map((s) => [s.name, s.status]), [[r.name, 'STATUS_SUCCESS']]);
        assert.deepEqual(g.hparams, { use_bn: r.use_bn, learning_rate: r.learning_rate, ...W.hpCommon });
        const metrics = Object.fromEntries(g.metricValues.map((m) => [m.name.tag, m.value]));
        assert.deepEqual([metrics['validation/accuracy'], metrics['validation/cost']], [f32(r.accuracy), f32(r.cost)], `${r.name}: final metrics`);
      }
      const o = groupOfRun(groups, W.other.name);
      assert.deepEqual(o.hparams, W.other.hparams);
      assert.deepEqual(o.metricValues.map((m) => [m.name.tag, m.value]), [['validation/accuracy', f32(W.other.accuracy)]]);
    },
  },
  {
    name: 'hparams: the hparams that differ between runs are marked and shown without ticking, and the validation metrics',
    run: async (tb) => {
      const exp = await experiment(tb);
      assert.deepEqual(exp.hparamInfos.filter((h) => h.differs).map((h) => h.name).sort(), ['learning_rate', 'use_bn']);
      const shown = shownHparams(exp);
      assert.ok(shown.includes('use_bn') && shown.includes('learning_rate'), `use_bn and learning_rate among the shown columns ${JSON.stringify(shown)}`);
      const metrics = shownMetrics(exp);
      assert.ok(metrics.includes('validation/accuracy') && metrics.includes('validation/cost'), `validation metrics among the shown columns ${JSON.stringify(metrics)}`);
    },
  },
  {
    name: 'hparams: the Trial ID column shows the run name',
    run: async (tb) => {
      const groups = await sessionGroups(tb);
      assert.deepEqual(groups.map((g) => g.name).sort(), SESSIONS.map((s) => s.name).sort());
      for (const g of groups) assert.equal(g.name, g.sessions[0].name);
    },
  },
  {
    name: 'hparams: final metric values keep the metric\'s curve (and sit at its last step)',
    run: async (tb) => {
      const groups = await sessionGroups(tb);
      for (const r of W.hpRuns) {
        const pts = await scalarSteps(tb, r.name, 'validation/accuracy');
        assert.deepEqual(pts.map((p) => p[0]), W.hpValidationSteps, `${r.name}: validation/accuracy steps, each once`);
        for (const [s, v] of pts) assert.equal(v, f32(W.accuracyAt(r.accuracy, s)), `${r.name} step ${s}`);
        const m = groupOfRun(groups, r.name).sessions[0].metricValues.find((x) => x.name.tag === 'validation/accuracy');
        assert.deepEqual([m?.trainingStep, m?.value], await lastPoint(tb, r.name, 'validation/accuracy'), `${r.name}: the metric is the curve's last point`);
      }
    },
  },
  {
    name: 'session: SummarySaverHook (TF1 timing) and StepCounterHook under MonitoredTrainingSession',
    run: async (tb) => {
      const want = [1, 101, 201];
      assert.deepEqual(await scalarSteps(tb, 'session', 'cost'), want.map((s) => [s, f32(W.sessionCost(s))]));
      const rate = await scalarSteps(tb, 'session', 'global_step/sec');
      assert.deepEqual(rate.map((p) => p[0]), [101, 201]);
      for (const [, v] of rate) assert.ok(v > 0 && Number.isFinite(v), `global_step/sec ${v}`);
    },
  },
  {
    name: 'session: the experiment\'s modulo-mode saver also writes the first step',
    run: async (tb) => {
      const pts = await scalarSteps(tb, 'session-modulo', 'cost');
      assert.deepEqual(pts, [1, 100, 200].map((s) => [s, f32(W.sessionCost(s))]));
    },
  },
];
