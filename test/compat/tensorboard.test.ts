/**
 * Real-TensorBoard compatibility (issue 12): what tbkit writes, served by real TensorBoard in BOTH
 * loaders (RustBoard, `--load_fast=true`, the default; the Python loader, `--load_fast=false`),
 * and what its HTTP data API returns compared with what was written: values, steps, counts, bytes.
 *
 * Two logdirs: every summary type written through tbkit's public API (write-logdir.ts), and the
 * logdir of a miniature `tbkit experiment` (experiment-logdir.ts), what a user has after
 * `npm start`. Without TensorBoard (no `$TBKIT_TENSORBOARD`, no `.cache/tbvenv` built by
 * `.ci/run`) the test is skipped with one line: `npm test` needs no Python.
 */
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findTensorBoard, TensorBoardServer, type Check, type Loader } from './tensorboard-server';
import { RUNS, writeLogdir } from './write-logdir';
import { EXPERIMENT, writeExperimentLogdir } from './experiment-logdir';
import { mediaChecks } from './checks-media';
import { modelChecks } from './checks-model';
import { experimentChecks } from './checks-experiment';

const LOADERS: Loader[] = ['rust', 'python'];

interface Logdir {
  name: string;
  write: (dir: string) => Promise<void>;
  runs: readonly string[];
  /** Tags per plugin route once every file is loaded (summed over runs). */
  census: Record<string, number>;
  /** Runs with a graph. */
  graphs: number;
  checks: Check[];
}

const LOGDIRS: Logdir[] = [
  {
    name: 'every summary type',
    write: writeLogdir,
    runs: RUNS,
    census: {
      '/data/plugin/scalars/tags': 19,
      '/data/plugin/histograms/tags': 1,
      '/data/plugin/images/tags': 2,
      '/data/plugin/audio/tags': 2,
      '/data/plugin/text/tags': 3,
      '/data/plugin/pr_curves/tags': 1,
    },
    graphs: 2,
    checks: [...mediaChecks, ...modelChecks],
  },
  {
    name: 'a miniature tbkit experiment',
    write: writeExperimentLogdir,
    runs: EXPERIMENT.runs,
    census: { '/data/plugin/scalars/tags': EXPERIMENT.runs.length * EXPERIMENT.scalarTags },
    graphs: EXPERIMENT.runs.length,
    checks: experimentChecks,
  },
];

function tagCount(body: unknown): number {
  return Object.values(body as Record<string, unknown>).reduce<number>((n, tags) => n + (Array.isArray(tags) ? tags.length : Object.keys(tags as object).length), 0);
}

async function waitLoaded(tb: TensorBoardServer, l: Logdir): Promise<void> {
  await tb.waitUntil('every run and tag', async () => {
    const runs = await tb.json<string[]>('/data/runs');
    if (runs.length !== l.runs.length) return `runs ${JSON.stringify(runs)}, expected ${JSON.stringify(l.runs)}`;
    for (const [route, n] of Object.entries(l.census)) {
      const got = tagCount(await tb.json(route));
      if (got !== n) return `${route}: ${got} tags, expected ${n}`;
    }
    const graphs = Object.keys(await tb.json('/data/plugin/graphs/info')).length;
    return graphs === l.graphs || `graphs/info: ${graphs} runs, expected ${l.graphs}`;
  });
  // A tag is listed once its first point is loaded: let the loader finish the pass it is in.
  await new Promise((r) => setTimeout(r, 2000));
}

test('real TensorBoard serves what tbkit writes, in both loaders', { timeout: 300_000 }, async (t) => {
  const bin = findTensorBoard();
  if (bin === undefined) {
    t.skip('real TensorBoard not found: set TBKIT_TENSORBOARD or run .ci/run (builds the venv)');
    return;
  }
  const dirs = LOGDIRS.map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-compat-')));
  const servers: { tb: TensorBoardServer; logdir: Logdir }[] = [];
  try {
    await Promise.all(LOGDIRS.map((l, i) => l.write(dirs[i])));
    // Every server starts in parallel: TensorBoard's own start-up is most of this test's time.
    const pairs = LOGDIRS.flatMap((logdir, i) => LOADERS.map((loader) => ({ logdir, dir: dirs[i], loader })));
    const started = await Promise.allSettled(pairs.map((p) => TensorBoardServer.start(bin, p.dir, p.loader)));
    started.forEach((s, i) => { if (s.status === 'fulfilled') servers.push({ tb: s.value, logdir: pairs[i].logdir }); });
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    await Promise.all(servers.map((s) => waitLoaded(s.tb, s.logdir)));
    for (const { tb, logdir } of servers) {
      await t.test(`${logdir.name}, ${tb.loader} loader (--load_fast=${tb.loader === 'rust'})`, async (t) => {
        for (const c of logdir.checks) await t.test(c.name, () => c.run(tb));
      });
    }
  } finally {
    await Promise.all(servers.map((s) => s.tb.stop()));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
});
