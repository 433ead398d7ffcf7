"""The Python writers on the bench's scalar stream (bench/scalar-stream.ts): the same 4 tags
interleaved, step i >> 2, value VALUES[i & 1023], logged with add_scalar, from the first call
until close() has flushed the file. Writer construction and imports are not timed (as tbkit's
SummaryWriter construction is not).

    python writers.py tensorboardx|torch N LOGDIR

prints one line: ROW <writer> <n> <seconds> <cpu seconds> <file bytes>
"""
import math
import os
import sys
import time

TAGS = ("loss", "accuracy", "learning_rate", "grad_norm")
VALUES = [2 / (1 + i / 100) + math.sin(i) * 0.01 for i in range(1024)]


def main():
    which, n, logdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if which == "tensorboardx":
        from tensorboardX import SummaryWriter
    elif which == "torch":
        from torch.utils.tensorboard import SummaryWriter
    else:
        sys.exit(f"writers.py: unknown writer {which!r}; use tensorboardx or torch")
    w = SummaryWriter(logdir)
    add = w.add_scalar
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(n):
        add(TAGS[i & 3], VALUES[i & 1023], i >> 2)
    w.close()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    size = sum(os.path.getsize(os.path.join(logdir, f)) for f in os.listdir(logdir) if "tfevents" in f)
    print("ROW", which, n, seconds, cpu, size)


if __name__ == "__main__":
    main()
