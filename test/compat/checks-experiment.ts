/**
 * Checks of what a user sees after `npm start` (experiment-logdir.ts): the HParams table names
 * each run and shows use_bn, learning_rate and the final validation metrics without ticking
 * anything; each run's model graph has its edges; a short run's cost card has its first point.
 */
import * as assert from 'node:assert/strict';
import type { Check } from './tensorboard-server';
import { EXPERIMENT } from './experiment-logdir';
import { conceptualGraph, experiment, groupOfRun, scalarSteps, sessionGroups, shownHparams, shownMetrics } from './tb-api';

export const experimentChecks: Check[] = [
  {
    name: 'experiment: runs',
    run: async (tb) => assert.deepEqual((await tb.json<string[]>('/data/runs')).sort(), EXPERIMENT.runs),
  },
  {
    name: 'experiment: HParams shows use_bn, learning_rate and the validation metrics without ticking',
    run: async (tb) => {
      const exp = await experiment(tb);
      assert.deepEqual(shownHparams(exp).slice(0, 2).sort(), ['learning_rate', 'use_bn'], JSON.stringify(shownHparams(exp)));
      assert.deepEqual(shownMetrics(exp).slice(0, 2), ['validation/accuracy', 'validation/cost']);
    },
  },
  {
    name: 'experiment: each run is its own row, named by the run, with its hparams and its last validation values',
    run: async (tb) => {
      const groups = await sessionGroups(tb);
      assert.deepEqual(groups.map((g) => g.name).sort(), EXPERIMENT.runs);
      for (const run of EXPERIMENT.runs) {
        const g = groupOfRun(groups, run);
        assert.equal(g.name, run);
        assert.deepEqual([g.hparams.use_bn, g.hparams.learning_rate], [run.startsWith('bn'), 0.01]);
        for (const tag of ['validation/accuracy', 'validation/cost']) {
          const pts = await scalarSteps(tb, run, tag);
          assert.deepEqual(pts.map((p) => p[0]), EXPERIMENT.validationSteps, `${run} ${tag}`);
          const m = g.metricValues.find((x) => x.name.tag === tag);
          assert.deepEqual([m?.trainingStep, m?.value], pts[pts.length - 1], `${run} ${tag}: the table shows the last value`);
        }
      }
    },
  },
  {
    name: 'experiment: each run\'s model graph has its layers and the edges between them',
    run: async (tb) => {
      for (const run of EXPERIMENT.runs) {
        const layers = EXPERIMENT.layers(run.startsWith('bn'));
        const model = run.startsWith('bn') ? 'cnn_bn' : 'cnn';
        const nodes = await conceptualGraph(tb, run);
        assert.deepEqual(nodes.map((n) => [n.name, n.inputs]), layers.map((l, i) => [`${model}/${l}`, i === 0 ? [] : [`${model}/${layers[i - 1]}`]]), run);
      }
    },
  },
  {
    name: 'experiment: the cost card has the first step (a run shorter than --summary-steps still has a point)',
    run: async (tb) => {
      for (const run of EXPERIMENT.runs) {
        const pts = await scalarSteps(tb, run, 'cost');
        assert.deepEqual(pts.map((p) => p[0]), EXPERIMENT.costSteps, run);
        for (const [, v] of pts) assert.ok(Number.isFinite(v) && v > 0, `${run} cost ${v}`);
      }
    },
  },
];
