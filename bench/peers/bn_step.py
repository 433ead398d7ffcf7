"""ms per training step of the BN-experiment CNN (bn_cnn.py) in PyTorch on the CPU, for
bench/training.ts's PyTorch rows: the same MNIST-like input as the tfjs rows (0-255 pixels, ~80 %
zeros, random labels), 3 warm-up steps, then `steps` timed ones.

    python bn_step.py THREADS BN(0|1) LR STEPS BATCH

prints `ROW <wall ms/step> <process CPU ms/step>`.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bn_cnn import synthetic_step_from_argv  # noqa: E402

step, steps = synthetic_step_from_argv(sys.argv)
for _ in range(3):
    step()
t0 = time.perf_counter()
c0 = time.process_time()
for _ in range(steps):
    step()
print("ROW", (time.perf_counter() - t0) / steps * 1000, (time.process_time() - c0) / steps * 1000)
