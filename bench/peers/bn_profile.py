"""Per-op self CPU time of a training step of the BN-experiment CNN (bn_cnn.py) in PyTorch, for
bench/profile-step.ts: the same input as bn_step.py, 5 warm-up steps, then `steps` profiled ones.

    python bn_profile.py THREADS BN(0|1) LR STEPS BATCH
"""
import os
import sys
import time

import torch
from torch.profiler import ProfilerActivity, profile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bn_cnn import bn_cnn, clipped_cross_entropy  # noqa: E402

threads, bn, lr, steps, batch = int(sys.argv[1]), sys.argv[2] == "1", float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
torch.manual_seed(0)
torch.set_num_threads(threads)
model = bn_cnn(bn)
model.train()
opt = torch.optim.Adam(model.parameters(), lr=lr)
x = torch.rand(batch, 1, 28, 28) * 255 * (torch.rand(batch, 1, 28, 28) > 0.8).float()
t = torch.nn.functional.one_hot(torch.randint(0, 10, (batch,)), 10).float()


def step():
    opt.zero_grad()
    cost = clipped_cross_entropy(model(x), t)
    cost.backward()
    opt.step()
    return cost.item()


for _ in range(5):
    step()
t0 = time.perf_counter()
for _ in range(steps):
    step()
ms = (time.perf_counter() - t0) / steps * 1000
with profile(activities=[ProfilerActivity.CPU]) as prof:
    for _ in range(steps):
        step()
print(f"{ms:.1f} ms/step unprofiled; self CPU time per step of the top ops:")
rows = sorted(prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
total = sum(e.self_cpu_time_total for e in rows)
for e in rows[:15]:
    print(f"  {e.key:45s} {e.self_cpu_time_total / steps / 1000:7.2f} ms  {100 * e.self_cpu_time_total / total:5.1f} %  {e.count // steps:4d} calls")
