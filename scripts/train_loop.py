"""The training loop the bundled models share: Adam with a one-cycle schedule, shuffled batches
from a seeded generator, cross-entropy; one log line an epoch."""
import torch
import torch.nn.functional as F


def train(model, xtr, ytr, *, epochs, batch, lr, log):
    """Trains `model` on (xtr, ytr) in place; log(epoch, mean_loss) after each epoch."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * ((len(xtr) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    gen = torch.Generator().manual_seed(0)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        total = 0.0
        for i in range(0, len(xtr), batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        log(epoch + 1, total / len(xtr))
