"""One run of the default BN experiment in PyTorch on the CPU, doing the work `npm start` does for
each of its two runs: real MNIST (the four IDX .gz files of MNIST_DIR), a 10 % validation split,
raw 0-255 pixels, batch 100, 5 epochs, Adam lr 0.01; the cost checked every step (NanTensorHook
reads it) and logged every 100 steps, the validation set evaluated after each epoch and logged,
a checkpoint every 500 steps (the last 2 kept), all with torch.utils.tensorboard. The bench starts
two of these side by side (no BN and BN), one thread each, as the experiment trains its two runs.

    python bn_experiment.py --bn 0|1 --mnist-dir DIR --logdir DIR [--threads 1] [--epochs 5]

prints per epoch `epoch: N, cost: C, accuracy: A` and at the end
`RESULT <bn> <seconds of training> <steps> <last validation accuracy>`.
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bn_cnn import bn_cnn, clipped_cross_entropy  # noqa: E402


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bn", type=int, required=True)
    p.add_argument("--mnist-dir", required=True)
    p.add_argument("--logdir", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--seed", type=int, default=100)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    from torch.utils.tensorboard import SummaryWriter

    images = torch.from_numpy(idx(os.path.join(a.mnist_dir, "train-images-idx3-ubyte.gz")).astype(np.float32)).reshape(-1, 1, 28, 28)
    labels = torch.from_numpy(idx(os.path.join(a.mnist_dir, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    order = torch.from_numpy(np.random.RandomState(a.seed).permutation(len(labels)))
    n_val = len(labels) // 10
    val_x, val_y = images[order[:n_val]], labels[order[:n_val]]
    train_x, train_y = images[order[n_val:]], labels[order[n_val:]]
    onehot = torch.nn.functional.one_hot(train_y, 10).float()
    val_onehot = torch.nn.functional.one_hot(val_y, 10).float()

    model = bn_cnn(bool(a.bn))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    writer = SummaryWriter(a.logdir)
    steps_per_epoch = (len(train_y) + a.batch_size - 1) // a.batch_size
    ckpts = []
    step = 0
    accuracy = float("nan")
    t0 = time.perf_counter()
    for epoch in range(a.epochs):
        perm = torch.randperm(len(train_y))
        model.train()
        for b in range(steps_per_epoch):
            i = perm[b * a.batch_size:(b + 1) * a.batch_size]
            opt.zero_grad()
            cost = clipped_cross_entropy(model(train_x[i]), onehot[i])
            cost.backward()
            opt.step()
            step += 1
            c = cost.item()  # the NaN check reads the cost every step
            if step % 100 == 0:
                writer.add_scalar("cost", c, step)
            if step % 500 == 0:
                path = os.path.join(a.logdir, f"ckpt-{step}.pt")
                torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step}, path)
                ckpts.append(path)
                if len(ckpts) > 2:
                    os.remove(ckpts.pop(0))
        model.eval()
        with torch.no_grad():
            cost_sum, correct = 0.0, 0
            for s in range(0, n_val, 500):
                probs = model(val_x[s:s + 500])
                cost_sum += clipped_cross_entropy(probs, val_onehot[s:s + 500]).item() * len(probs)
                correct += (probs.argmax(1) == val_y[s:s + 500]).sum().item()
        accuracy = correct / n_val
        writer.add_scalar("validation/cost", cost_sum / n_val, step)
        writer.add_scalar("validation/accuracy", accuracy, step)
        print(f"epoch: {epoch:2d}, cost: {cost_sum / n_val:.4f}, accuracy: {accuracy:.4f}", flush=True)
    writer.close()
    print("RESULT", a.bn, time.perf_counter() - t0, step, accuracy, flush=True)


if __name__ == "__main__":
    main()
