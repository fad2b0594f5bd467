"""BatchNorm with the statistics of the whole global batch when training on several processes.

Under DistributedDataParallel each rank runs its BatchNorm layers on its own shard of the batch, so
two processes normalise with two sets of statistics and no longer compute what one process computes
on the whole batch. The `sync_batchnorm` training setting (on by default; docs/training.md, "Several
processes") replaces the BatchNorm layers of a distributed run with synchronised ones:

* on CUDA (NCCL) PyTorch's own `torch.nn.SyncBatchNorm` (`convert_sync_batchnorm`), with its fused kernels;
* on the CPU (gloo) `GlooSyncBatchNorm` below, because PyTorch's refuses CPU tensors ("SyncBatchNorm
  expected input tensor to be on GPU", torch 2.x). It sums each channel's values, squares and count
  over the ranks with one all_reduce forward and one backward, in float64.

`GlooSyncBatchNorm` is exact for uneven shards too: the backward all_reduce weights each rank's
gradient by its share of the batch (the `share_of` callable; the trainer's DDP hook weights the
parameters' gradients the same way), so batch 63 on 2 processes (32 + 31) still gets the gradient of
one process on the whole batch. PyTorch's SyncBatchNorm weights the ranks equally there, which is
exact only when the batch splits evenly (batch 63 on 2: 4e-4 relative loss difference after 8 steps,
measured on the CPU by giving this class equal shares; batch 64: none). Frozen blocks' layers are left as they are (held in eval, they
normalise with their stored statistics and need no synchronising).

The two definitions below use only torch, so `studio export-script` copies their source into the
training script it writes (studio/core/export/train_script.py): the script and Studio cannot drift apart.
"""

from __future__ import annotations

import torch


class _SumOverRanks(torch.autograd.Function):
    """all_reduce(SUM) of a tensor of per-rank sums, differentiable: the backward hands rank r the
    gradient of the weighted global loss, sum_k share_k * grad_k, divided by its own share (the
    DDP hook multiplies by that share again)."""

    @staticmethod
    def forward(ctx, local, share):
        total = local.clone()
        torch.distributed.all_reduce(total)
        ctx.share = share
        return total

    @staticmethod
    def backward(ctx, grad):
        weighted = grad.contiguous() * ctx.share
        torch.distributed.all_reduce(weighted)
        return weighted / ctx.share, None


class GlooSyncBatchNorm(torch.nn.modules.batchnorm._BatchNorm):
    """A BatchNorm layer (1d, 2d or 3d: the channels are dim 1) whose training-mode statistics are
    those of every rank's batch together; outside a process group, or in eval mode, plain BatchNorm.
    Its state_dict is a BatchNorm's (weight, bias, running_mean, running_var, num_batches_tracked)."""

    share_of = None
    """A callable giving this rank's share of the current global batch (None: 1 / world size)."""

    def _check_input_dim(self, input):
        if input.dim() < 2:
            raise ValueError(f"expected at least 2D input (got {input.dim()}D input)")

    @classmethod
    def from_batchnorm(cls, bn, share_of=None):
        """The synchronised layer of `bn`, sharing its parameters and buffers (an optimizer built
        before the conversion keeps training the same tensors)."""
        new = cls(bn.num_features, bn.eps, bn.momentum, bn.affine, bn.track_running_stats)
        if bn.affine:
            new.weight, new.bias = bn.weight, bn.bias
        for name in ("running_mean", "running_var", "num_batches_tracked"):
            setattr(new, name, getattr(bn, name))
        new.training = bn.training
        new.share_of = share_of
        return new

    def forward(self, input):
        self._check_input_dim(input)
        batch_stats = self.training or not self.track_running_stats
        dist = torch.distributed
        if not (self.training and batch_stats and dist.is_available() and dist.is_initialized()
                and dist.get_world_size() > 1):
            return super().forward(input)
        channels = input.shape[1]
        dims = [0, *range(2, input.dim())]
        x = input.double()
        count = x.new_full((1,), float(input.numel() // max(1, channels)))
        share = float(self.share_of()) if self.share_of is not None else 1.0 / dist.get_world_size()
        total = _SumOverRanks.apply(torch.cat([x.sum(dims), (x * x).sum(dims), count]), share)
        n = total[-1]
        mean = total[:channels] / n
        var = (total[channels:2 * channels] / n - mean * mean).clamp_min(0)
        if self.track_running_stats:
            with torch.no_grad():
                self.num_batches_tracked.add_(1)
                momentum = self.momentum if self.momentum is not None else 1.0 / float(self.num_batches_tracked)
                unbiased = var * (n / (n - 1).clamp_min(1))
                self.running_mean.mul_(1 - momentum).add_(mean.to(self.running_mean.dtype), alpha=momentum)
                self.running_var.mul_(1 - momentum).add_(unbiased.to(self.running_var.dtype), alpha=momentum)
        shape = [1, channels] + [1] * (input.dim() - 2)
        scale = torch.rsqrt(var + self.eps)
        if self.affine:
            scale = scale * self.weight.double()
        y = (x - mean.view(shape)) * scale.view(shape)
        if self.affine:
            y = y + self.bias.double().view(shape)
        return y.to(input.dtype)


def convert_batchnorm(module, device, skip=(), share_of=None):
    """Replace the BatchNorm layers inside `module` (those in `skip` left out) with synchronised
    ones: torch.nn.SyncBatchNorm on CUDA, GlooSyncBatchNorm elsewhere. Returns the converted
    layers' qualified names."""
    names = []
    for name, child in list(module.named_children()):
        is_bn = isinstance(child, torch.nn.modules.batchnorm._BatchNorm)
        if is_bn and not isinstance(child, (torch.nn.SyncBatchNorm, GlooSyncBatchNorm)):
            if not any(child is s for s in skip):
                if device.type == "cuda":
                    setattr(module, name, torch.nn.SyncBatchNorm.convert_sync_batchnorm(child))
                else:
                    setattr(module, name, GlooSyncBatchNorm.from_batchnorm(child, share_of))
                names.append(name)
        elif not is_bn:
            names += [f"{name}.{sub}" for sub in convert_batchnorm(child, device, skip, share_of)]
    return names


def count_batchnorm(module) -> int:
    """How many BatchNorm layers (1d/2d/3d, synchronised or not) `module` has."""
    return sum(isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for m in module.modules())
