/**
 * What each run of the experiment records for TensorBoard's HParams dashboard: its hparams, and
 * ONE experiment config, the same in every run of every invocation.
 *
 * Why a config, and why always the same: the dashboard shows five hparam columns without
 * ticking, those marked `differs` first, then by name. Without a config TensorBoard computes
 * `differs` from the runs, and after `npm start` (BN off and on, one learning rate) only use_bn
 * differs: learning_rate would be the sixth column, hidden. The config marks the experiment's two
 * variables, use_bn and learning_rate, so they come first whatever was run. TensorBoard uses the
 * first config it finds for the whole logdir; every run writing the same one makes that choice
 * irrelevant, also for runs of later invocations added to the same logdir while it is open (it
 * never rereads a config it has loaded).
 */
import type { ExperimentConfig as HparamsTable, HparamInfo, HparamValue } from '../../summary';
import type { ExperimentConfig, RunSpec } from './config';

interface Column extends HparamInfo {
  /** undefined: the run does not record this hparam. */
  value: (config: ExperimentConfig, spec: RunSpec, backend: string) => HparamValue | undefined;
}

/** One definition of each hparam: its value in a run and its column in the table. */
const COLUMNS: Column[] = [
  { name: 'use_bn', domain: [false, true], differs: true, value: (_c, s) => s.useBn },
  { name: 'learning_rate', type: 'float64', differs: true, value: (_c, s) => s.learningRate },
  { name: 'batch_size', type: 'float64', value: (c) => c.batchSize },
  { name: 'epochs', type: 'float64', value: (c) => c.epochs },
  // Whatever tf.getBackend() names: no discrete domain, which would hide a run with another value.
  { name: 'backend', type: 'string', value: (_c, _s, backend) => backend },
  // Only runs of `--seeds` / `--seed a,b` record it (a plain run keeps today's hparams); sixth, so
  // that a single-seed experiment's table does not open on an empty column.
  { name: 'seed', type: 'float64', value: (_c, s) => s.seed },
  { name: 'dataset', domain: ['mnist', 'csv', 'synthetic'], value: (c) => c.dataset },
  { name: 'normalize', domain: [false, true], value: (c) => c.normalize },
];

/** The metric columns, in the order the dashboard shows them (it shows the first five). */
const METRICS = ['validation/accuracy', 'validation/cost', 'cost', 'global_step/sec'];

/** The hparams of one run (`SummaryWriter.hparams`). */
export function runHparams(config: ExperimentConfig, spec: RunSpec, backend: string): Record<string, HparamValue> {
  const out: Record<string, HparamValue> = {};
  for (const c of COLUMNS) {
    const v = c.value(config, spec, backend);
    if (v !== undefined) out[c.name] = v;
  }
  return out;
}

/** The experiment config every run writes (`SummaryWriter.hparamsConfig`). */
export function hparamsTable(): HparamsTable {
  return {
    hparams: COLUMNS.map(({ value: _v, ...info }) => info),
    metrics: METRICS,
  };
}
