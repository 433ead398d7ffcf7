"""ms per training step of the BN-experiment CNN (bn_cnn.py) in PyTorch on the CPU, for
bench/training.ts's PyTorch rows: the same MNIST-like input as the tfjs rows (0-255 pixels, ~80 %
zeros, random labels), 3 warm-up steps, then `steps` timed ones.

    python bn_step.py THREADS BN(0|1) LR STEPS BATCH

prints `ROW <wall ms/step> <process CPU ms/step>`.
"""
import os
import sys
import time

import torch

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


for _ in range(3):
    step()
t0 = time.perf_counter()
c0 = time.process_time()
for _ in range(steps):
    step()
print("ROW", (time.perf_counter() - t0) / steps * 1000, (time.process_time() - c0) / steps * 1000)
