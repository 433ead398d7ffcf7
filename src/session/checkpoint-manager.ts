/**
 * Checkpoint directory layout and atomicity (no tfjs here: the model is saved by a Checkpointer).
 *
 *   <checkpointDir>/
 *     checkpoint.json          index: { latest: "ckpt-500", latestStep: 500, checkpoints: [{dir, step, time}] }
 *     ckpt-400/
 *       session.json           { globalStep, time, hooks: { <hook name>: state } }
 *       model/                 whatever the Checkpointer wrote (tfjs: model.json, weights.bin, …)
 *     ckpt-500/ …
 *
 * A save writes everything into `.tmp-ckpt-<step>-<pid>-<n>/`, fsyncs session.json, renames the
 * directory to `ckpt-<step>`, and only then rewrites `checkpoint.json` (temp file + rename). A crash
 * at any point leaves the previous index, and so the previous checkpoint, valid. `keep` newest
 * checkpoints are kept; older ones are deleted after the index is written.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Checkpointer } from '../hook-contract';

export interface CheckpointIndexEntry {
  dir: string;
  step: number;
  time: number;
}

export interface CheckpointIndex {
  latest: string;
  latestStep: number;
  checkpoints: CheckpointIndexEntry[];
}

export interface SessionCheckpointState {
  globalStep: number;
  time: number;
  hooks: Record<string, unknown>;
}

export interface RestoredCheckpoint {
  dir: string;
  step: number;
  state: SessionCheckpointState;
}

let tmpCounter = 0;

/**
 * A checkpoint directory named in the index: `ckpt-<step>`. checkpoint.json is a file on disk (it
 * may be damaged or hand-edited): a name with a separator or `..` would make restore read, and
 * save() delete (rm -rf of dropped checkpoints), a directory outside the checkpoint dir.
 */
function isCheckpointName(name: unknown): name is string {
  return typeof name === 'string' && /^ckpt-\d+$/.test(name);
}

async function writeFileAtomic(file: string, data: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${++tmpCounter}`;
  const fh = await fsp.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, file);
}

export class CheckpointManager {
  readonly dir: string;
  readonly keep: number;
  private cachedLatest: number | undefined | null = null;

  constructor(dir: string, opts: { keep?: number } = {}) {
    this.dir = dir;
    this.keep = opts.keep ?? 5;
    if (!Number.isInteger(this.keep) || this.keep < 1) throw new RangeError(`keep must be a positive integer, got ${opts.keep}`);
  }

  get indexPath(): string {
    return path.join(this.dir, 'checkpoint.json');
  }

  /** Reads checkpoint.json; undefined when absent. Throws on a corrupt index (never silently restarts from scratch). */
  readIndex(): CheckpointIndex | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.indexPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      const idx = JSON.parse(text) as CheckpointIndex;
      if (typeof idx.latest !== 'string' || typeof idx.latestStep !== 'number') throw new Error('missing latest/latestStep');
      if (!isCheckpointName(idx.latest)) throw new Error(`latest must name a ckpt-<step> directory, got ${JSON.stringify(idx.latest)}`);
      // Entries that are not ckpt-<step> directories are never followed (nor deleted): drop them.
      idx.checkpoints = Array.isArray(idx.checkpoints)
        ? idx.checkpoints.filter((c) => c !== null && typeof c === 'object' && isCheckpointName(c.dir) && typeof c.step === 'number')
        : [];
      return idx;
    } catch (e) {
      throw new Error(`corrupt checkpoint index ${this.indexPath}: ${(e as Error).message}`);
    }
  }

  /** Step of the checkpoint named in the index (cached; updated by save). */
  latestStep(): number | undefined {
    if (this.cachedLatest === null) this.cachedLatest = this.readIndex()?.latestStep;
    return this.cachedLatest;
  }

  /** Step of the newest checkpoint, re-reading the index (for other processes' saves). */
  latestStepOnDisk(): number | undefined {
    try {
      return this.readIndex()?.latestStep;
    } catch {
      return undefined;
    }
  }

  /** Saves a checkpoint at `step`. Returns the final directory. */
  async save(step: number, state: SessionCheckpointState, checkpointer?: Checkpointer): Promise<string> {
    await fsp.mkdir(this.dir, { recursive: true });
    const name = `ckpt-${step}`;
    const finalDir = path.join(this.dir, name);
    const tmp = path.join(this.dir, `.tmp-${name}-${process.pid}-${++tmpCounter}`);
    await fsp.mkdir(tmp, { recursive: true });
    try {
      if (checkpointer) await checkpointer.save(path.join(tmp, 'model'));
      const fh = await fsp.open(path.join(tmp, 'session.json'), 'w');
      try {
        await fh.writeFile(JSON.stringify(state, null, 2));
        await fh.sync();
      } finally {
        await fh.close();
      }
      // Re-saving the same step (e.g. at end after a save at the same step by another path): replace it.
      if (fs.existsSync(finalDir)) {
        const old = path.join(this.dir, `.old-${name}-${process.pid}-${++tmpCounter}`);
        await fsp.rename(finalDir, old);
        await fsp.rename(tmp, finalDir);
        await fsp.rm(old, { recursive: true, force: true });
      } else {
        await fsp.rename(tmp, finalDir);
      }
    } catch (e) {
      await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw e;
    }
    let prev: CheckpointIndex | undefined;
    try {
      prev = this.readIndex();
    } catch {
      prev = undefined;
    }
    const entries = (prev?.checkpoints ?? []).filter((c) => c.dir !== name && c.step < step);
    entries.push({ dir: name, step, time: state.time });
    const kept = entries.slice(-this.keep);
    const dropped = entries.slice(0, entries.length - kept.length);
    const index: CheckpointIndex = { latest: name, latestStep: step, checkpoints: kept };
    await writeFileAtomic(this.indexPath, JSON.stringify(index, null, 2));
    this.cachedLatest = step;
    // Also drop checkpoints newer than `step` left by a run we resumed before (they are not in the new history).
    const stale = (prev?.checkpoints ?? []).filter((c) => c.step > step);
    for (const c of [...dropped, ...stale]) {
      await fsp.rm(path.join(this.dir, c.dir), { recursive: true, force: true }).catch(() => undefined);
    }
    return finalDir;
  }

  /** Restores the latest checkpoint: returns its state, after calling checkpointer.restore on its model dir. */
  async restoreLatest(checkpointer?: Checkpointer): Promise<RestoredCheckpoint | undefined> {
    const idx = this.readIndex();
    if (!idx) return undefined;
    const dir = path.join(this.dir, idx.latest);
    const state = JSON.parse(await fsp.readFile(path.join(dir, 'session.json'), 'utf8')) as SessionCheckpointState;
    if (checkpointer) {
      const modelDir = path.join(dir, 'model');
      if (fs.existsSync(modelDir)) await checkpointer.restore(modelDir);
    }
    this.cachedLatest = idx.latestStep;
    return { dir, step: idx.latestStep, state };
  }
}
