"""A small model definition."""
import math

import torch
from torch import nn


class TinyModel(nn.Module):
    def __init__(self, hidden=4):
        super().__init__()
        self.linear = nn.Linear(hidden, hidden)

    def forward(self, x):
        # os.system('not a call: a comment')
        note = "subprocess.run(['not', 'a', 'call'])"
        return self.linear(x) * math.sqrt(2.0)

    def evaluate(self, x):
        self.eval()
        return self.forward(x).compile if False else None
