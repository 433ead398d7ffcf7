"""Per-op self CPU time of a training step of the BN-experiment CNN (bn_cnn.py) in PyTorch, for
bench/profile-step.ts: the same input as bn_step.py, 5 warm-up steps, then `steps` profiled ones.

    python bn_profile.py THREADS BN(0|1) LR STEPS BATCH
"""
import os
import sys
import time

from torch.profiler import ProfilerActivity, profile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bn_cnn import synthetic_step_from_argv  # noqa: E402

step, steps = synthetic_step_from_argv(sys.argv)
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
