/**
 * Real TensorBoard loading a generated logdir (bench/logdir.ts), timed from its process start until
 * every point has been served over its HTTP API, as the frontend would fetch them: with RustBoard
 * (`--load_fast=true`) or the Python loader (`--load_fast=false`), `--reload_interval 0` (load once)
 * and `--samples_per_plugin scalars=<n>` so that nothing is downsampled.
 *
 * While it loads, only the cheap tag list is polled (`/data/plugin/scalars/tags`): a run is read to
 * its end once its END_TAG shows up. Then each tag's points are fetched for all runs at once
 * (`scalars_multirun`, what the frontend's charts request) and counted; a run served short is
 * polled again. The server runs under the compat test's harness (test/compat/tensorboard-server.ts),
 * which also stops it if this process dies.
 */
import { TensorBoardServer, type Loader } from '../../test/compat/tensorboard-server';
import { END_TAG, type GeneratedLogdir } from '../logdir';
import { nowMs } from '../util';

export interface TensorBoardLoadResult {
  loader: Loader;
  /** Process start until every point was served and counted. */
  seconds: number;
  /** Process start until it printed its URL (Python start-up, plugin loading). */
  urlSeconds: number;
  /** Process start until every run's END_TAG was listed (read to the end). */
  tagsSeconds: number;
  pointsServed: number;
  bytesServed: number;
}

const POLL_MS = 50;

type TagList = Record<string, Record<string, unknown>>;

/** Runs whose tag list lacks END_TAG. */
export function unfinishedRuns(tags: TagList, runs: readonly string[]): string[] {
  return runs.filter((r) => !(tags[r] && END_TAG in tags[r]));
}

/** Points per run in a `scalars_multirun` answer ({run: [[wall_time, step, value], …]}). */
export function countServed(body: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (body === null || typeof body !== 'object') throw new Error(`scalars_multirun answered ${JSON.stringify(body)?.slice(0, 100)}, not an object of runs`);
  for (const [run, pts] of Object.entries(body as Record<string, unknown>)) {
    if (!Array.isArray(pts)) throw new Error(`scalars_multirun: run ${run} has no list of points`);
    out.set(run, pts.length);
  }
  return out;
}

async function multirun(tb: TensorBoardServer, tag: string, runs: readonly string[]): Promise<{ counts: Map<string, number>; bytes: number }> {
  const form = new URLSearchParams();
  form.append('tag', tag);
  for (const r of runs) form.append('runs', r);
  const r = await tb.get('/data/plugin/scalars/scalars_multirun', { method: 'POST', body: form });
  if (r.status !== 200) throw new Error(`scalars_multirun ${tag}: HTTP ${r.status}: ${r.body.toString('utf8').slice(0, 200)}`);
  return { counts: countServed(JSON.parse(r.body.toString('utf8'))), bytes: r.body.length };
}

export async function timeTensorBoardLoad(bin: string, ld: GeneratedLogdir, loader: Loader, timeoutMs: number): Promise<TensorBoardLoadResult> {
  const most = Math.max(...Object.values(ld.tagCounts));
  const t0 = nowMs();
  const deadline = t0 + timeoutMs;
  const tb = await TensorBoardServer.start(bin, ld.dir, loader, timeoutMs, ['--reload_interval', '0', '--samples_per_plugin', `scalars=${most}`]);
  try {
    const urlSeconds = (nowMs() - t0) / 1000;
    let pending = [...ld.runs];
    let tagsSeconds = 0;
    let pointsServed = 0;
    let bytesServed = 0;
    while (pending.length > 0) {
      if (nowMs() > deadline) throw new Error(`TensorBoard (${loader}) did not serve every point within ${timeoutMs / 1000} s; runs still short: ${pending.slice(0, 5).join(', ')}${pending.length > 5 ? ', …' : ''}`);
      const listed = unfinishedRuns(await tb.json<TagList>('/data/plugin/scalars/tags'), pending);
      if (listed.length > 0) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        continue;
      }
      tagsSeconds = (nowMs() - t0) / 1000;
      const short = new Set<string>();
      for (const [tag, want] of Object.entries(ld.tagCounts)) {
        const { counts, bytes } = await multirun(tb, tag, pending);
        bytesServed += bytes;
        for (const run of pending) {
          const got = counts.get(run) ?? 0;
          if (got < want) short.add(run);
          else pointsServed += got;
        }
      }
      pending = pending.filter((r) => short.has(r));
    }
    return { loader, seconds: (nowMs() - t0) / 1000, urlSeconds, tagsSeconds, pointsServed, bytesServed };
  } finally {
    await tb.stop();
  }
}
