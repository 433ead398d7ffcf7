"""The BN-experiment CNN in PyTorch, layer for layer as src/experiments/bn/model.ts builds it in
TensorFlow.js: Conv(32, 3x3, valid) -> [BN] -> ReLU -> MaxPool 2x2 -> Conv(64, 3x3, valid) -> [BN]
-> ReLU -> MaxPool 2x2 -> Flatten -> Dense(10, softmax), Glorot-uniform weights and zero biases (the
tfjs initialisers), BN with tf.layers' epsilon 1e-3 and momentum 0.99 (PyTorch's momentum is the
complement, 0.01), and the same clipped cross-entropy. The peers that train it (bench/peers/
bn_experiment.py, bn_step.py, bn_profile.py) import it from here, so that there is one PyTorch definition
of the model and of the synthetic training step the per-step rows time.
"""
import torch
import torch.nn as nn


def bn_cnn(use_bn: bool) -> nn.Sequential:
    def bn(channels):
        return [nn.BatchNorm2d(channels, eps=1e-3, momentum=0.01)] if use_bn else []

    layers = ([nn.Conv2d(1, 32, 3)] + bn(32) + [nn.ReLU(), nn.MaxPool2d(2, 2), nn.Conv2d(32, 64, 3)] + bn(64)
              + [nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(1600, 10), nn.Softmax(dim=1)])
    model = nn.Sequential(*layers)
    for m in model:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def clipped_cross_entropy(probs: torch.Tensor, onehot: torch.Tensor) -> torch.Tensor:
    """-mean over the batch of sum(t * log(clip(y, 1e-10, 1))), as clippedCrossEntropy in model.ts."""
    return -(onehot * torch.log(torch.clamp(probs, 1e-10, 1))).sum(1).mean()


def synthetic_training_step(threads: int, use_bn: bool, lr: float, batch: int):
    """One Adam step of the model on a fixed MNIST-like batch (0-255 pixels, ~80 % zeros, random
    labels), as bench/training.ts feeds the tfjs side: returns the step function (it returns the cost)."""
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    model = bn_cnn(use_bn)
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

    return step


def synthetic_step_from_argv(argv: list) -> tuple:
    """bn_step.py's and bn_profile.py's arguments `THREADS BN(0|1) LR STEPS BATCH`: (step function, STEPS)."""
    threads, use_bn, lr, steps, batch = int(argv[1]), argv[2] == "1", float(argv[3]), int(argv[4]), int(argv[5])
    return synthetic_training_step(threads, use_bn, lr, batch), steps
