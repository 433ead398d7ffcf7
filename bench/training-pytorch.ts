/**
 * The PyTorch side of bench/training.ts: the BN-experiment CNN (the same layers, loss, Adam, batch
 * and input) in PyTorch on the CPU, one configuration per call, so that the bench can interleave
 * it with the WASM rows.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PY_STEP = `
import sys, time, torch, torch.nn as nn
threads, bn, lr, steps, batch = int(sys.argv[1]), sys.argv[2] == '1', float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
torch.manual_seed(0)
torch.set_num_threads(threads)
L = [nn.Conv2d(1, 32, 3)] + ([nn.BatchNorm2d(32)] if bn else []) + [nn.ReLU(), nn.MaxPool2d(2, 2),
     nn.Conv2d(32, 64, 3)] + ([nn.BatchNorm2d(64)] if bn else []) + [nn.ReLU(), nn.MaxPool2d(2, 2),
     nn.Flatten(), nn.Linear(1600, 10), nn.Softmax(dim=1)]
m = nn.Sequential(*L); m.train(); opt = torch.optim.Adam(m.parameters(), lr=lr)
# The same MNIST-like input as the tfjs rows: 0-255 pixels, ~80 % zeros.
x = torch.rand(batch, 1, 28, 28) * 255 * (torch.rand(batch, 1, 28, 28) > 0.8).float()
t = nn.functional.one_hot(torch.randint(0, 10, (batch,)), 10).float()
def step():
    opt.zero_grad()
    cost = -(t * torch.log(torch.clamp(m(x), 1e-10, 1))).sum(1).mean()
    cost.backward(); opt.step(); return cost.item()
for _ in range(3): step()
t0 = time.perf_counter(); c0 = time.process_time()
for _ in range(steps): step()
print("ROW", (time.perf_counter() - t0) / steps * 1000, (time.process_time() - c0) / steps * 1000)
`;

/**
 * A Python that can import torch: `$TBKIT_PYTHON` (an error if it cannot), else the repo's
 * `.cache/tbvenv/bin/python` (where `.ci/run` builds the venv), `python3` on PATH, then
 * /usr/bin/python3 (e.g. Debian's python3-torch, which a pyenv python3 first on PATH does not see).
 */
export function findTorchPython(): string | null {
  const canImport = (py: string): boolean => {
    const probe = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' });
    return !probe.error && probe.status === 0;
  };
  const explicit = process.env.TBKIT_PYTHON;
  if (explicit) {
    if (!canImport(explicit)) throw new Error(`TBKIT_PYTHON=${explicit} cannot "import torch"; point it at a python with torch (e.g. <venv>/bin/python) or unset it`);
    return explicit;
  }
  const venv = path.resolve(__dirname, '..', '.cache', 'tbvenv', 'bin', 'python');
  for (const py of [venv, 'python3', '/usr/bin/python3']) if ((py !== venv || fs.existsSync(py)) && canImport(py)) return py;
  return null;
}

/** PyTorch's version, for the table's caption. */
export function torchVersion(python: string): string {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

/** ms/step (wall and process CPU) of one configuration, or an error message. */
export function pytorchStep(python: string, o: { threads: number; bn: boolean; lr: number; steps: number; batch: number }): { msPerStep: number; cpuMsPerStep: number } | string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tbkit-bench-'));
  const file = path.join(dir, 'bench_torch.py');
  try {
    fs.writeFileSync(file, PY_STEP);
    const r = spawnSync(python, [file, String(o.threads), o.bn ? '1' : '0', String(o.lr), String(o.steps), String(o.batch)], { encoding: 'utf8' });
    const row = r.stdout?.split('\n').find((l) => l.startsWith('ROW '));
    if (r.status !== 0 || !row) return `failed: ${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()}`;
    const [, ms, cpu] = row.split(/\s+/);
    return { msPerStep: Number(ms), cpuMsPerStep: Number(cpu) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
