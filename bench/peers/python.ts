/**
 * The Python peers (tensorboard, tensorboardX, torch) the bench compares against, when a venv has
 * them: `$TBKIT_PYTHON` (an error if it cannot run: asked for explicitly), else the repo's
 * `.cache/tbvenv/bin/python` (where `.ci/run` builds one), else `tbvenv/bin/python` beside the
 * checkout. Without one, the peer rows print `skipped: <why>`; the bench never installs anything.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

export interface PeerVersions {
  python: string;
  tensorboard?: string;
  tensorboardX?: string;
  torch?: string;
}

export interface PeerPython {
  python: string;
  versions: PeerVersions;
  /** The venv's `tensorboard` script, when it has one. */
  tensorboard?: string;
}

/** Where a venv may be, in order (the first that exists is used). */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): Array<{ python: string; explicit: boolean }> {
  if (env.TBKIT_PYTHON) return [{ python: env.TBKIT_PYTHON, explicit: true }];
  return [path.join(REPO, '.cache', 'tbvenv', 'bin', 'python'), path.join(REPO, '..', 'tbvenv', 'bin', 'python')].map((python) => ({ python, explicit: false }));
}

const VERSION_PROBE = `
import importlib, json, sys
out = {"python": sys.version.split()[0]}
for m in ("tensorboard", "tensorboardX", "torch"):
    try:
        out[m] = importlib.import_module(m).__version__
    except Exception:
        pass
print(json.dumps(out))
`;

/** The probe's output line, parsed; throws naming the python when it is not a versions object. */
export function parseVersions(python: string, stdout: string): PeerVersions {
  const line = stdout.trim().split('\n').pop() ?? '';
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new Error(`${python} printed ${JSON.stringify(line.slice(0, 100))}, not its package versions`);
  }
  if (v === null || typeof v !== 'object' || typeof (v as PeerVersions).python !== 'string') throw new Error(`${python}: no python version in ${line.slice(0, 100)}`);
  return v as PeerVersions;
}

/** The peers' python and versions, or why there is none (a string: the rows print `skipped: <it>`). */
export function findPeerPython(env: NodeJS.ProcessEnv = process.env): PeerPython | string {
  const candidates = pythonCandidates(env);
  for (const { python, explicit } of candidates) {
    if (!explicit && !fs.existsSync(python)) continue;
    const r = spawnSync(python, ['-c', VERSION_PROBE], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      const why = (r.error?.message ?? r.stderr ?? '').trim().split('\n').pop();
      if (explicit) throw new Error(`TBKIT_PYTHON=${python} does not run (${why}); point it at a venv's python with tensorboard, tensorboardX and torch, or unset it`);
      continue;
    }
    const versions = parseVersions(python, r.stdout);
    const tb = path.join(path.dirname(python), 'tensorboard');
    return { python, versions, ...(versions.tensorboard && fs.existsSync(tb) ? { tensorboard: tb } : {}) };
  }
  return `no Python venv with the peers (set TBKIT_PYTHON, or build ${path.relative(REPO, candidates[0]?.python ?? '') || '.cache/tbvenv'} with tensorboard, tensorboardX and torch)`;
}

/** Why a peer row cannot run here, or undefined when it can. */
export function missingPeer(p: PeerPython | string, need: 'tensorboard' | 'tensorboardX' | 'torch'): string | undefined {
  if (typeof p === 'string') return p;
  if (need === 'tensorboard' && !p.tensorboard) return `${p.python} has no tensorboard (pip install tensorboard)`;
  if (!p.versions[need]) return `${p.python} cannot import ${need} (pip install ${need === 'tensorboardX' ? 'tensorboardX' : need})`;
  return undefined;
}
