"""The BN-experiment CNN in PyTorch, layer for layer as src/experiments/bn/model.ts builds it in
TensorFlow.js: Conv(32, 3x3, valid) -> [BN] -> ReLU -> MaxPool 2x2 -> Conv(64, 3x3, valid) -> [BN]
-> ReLU -> MaxPool 2x2 -> Flatten -> Dense(10, softmax), Glorot-uniform weights and zero biases (the
tfjs initialisers), BN with tf.layers' epsilon 1e-3 and momentum 0.99 (PyTorch's momentum is the
complement, 0.01), and the same clipped cross-entropy. The peers that train it (bench/peers/
bn_experiment.py) import it from here, so that there is one PyTorch definition of the model.
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
