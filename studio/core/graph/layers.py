"""The few PyTorch modules Studio's blocks need that `torch.nn` does not have as such.

Generated code copies these classes verbatim (codegen reads their source), so they are written to
be read by students: self-contained, using only `torch`, `nn`, `F` and `math`, no Studio imports.
A class that uses another lists it in `codegen_deps` so the copy is complete.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class Reshape(nn.Module):
    """Reshape every sample to `shape` (the batch dimension is kept)."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


class Permute(nn.Module):
    """Reorder dimensions; `dims` includes the batch dimension, which stays first."""

    def __init__(self, dims):
        super().__init__()
        self.dims = tuple(dims)

    def forward(self, x):
        return x.permute(*self.dims)


class SequencePool(nn.Module):
    """Reduce a sequence (N, T, D) to one vector per sample (N, D): mean, max, first or last step."""

    def __init__(self, mode="mean"):
        super().__init__()
        self.mode = mode

    def forward(self, x):
        if self.mode == "mean":
            return x.mean(dim=1)
        if self.mode == "max":
            return x.amax(dim=1)
        if self.mode == "first":
            return x[:, 0]
        return x[:, -1]


class Add(nn.Module):
    """Element-wise sum of two or more tensors of the same shape (residual connections)."""

    def forward(self, *xs):
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out


class Multiply(nn.Module):
    """Element-wise product of two or more tensors of the same shape (gating)."""

    def forward(self, *xs):
        out = xs[0]
        for x in xs[1:]:
            out = out * x
        return out


class Concat(nn.Module):
    """Concatenate tensors along `dim` (1 = channels or features, as in Inception branches)."""

    def __init__(self, dim=1):
        super().__init__()
        self.dim = dim

    def forward(self, *xs):
        return torch.cat(xs, dim=self.dim)


class L2Normalize(nn.Module):
    """Put embeddings on the unit sphere so distances are comparable across samples."""

    def forward(self, x):
        return F.normalize(x, dim=-1)


def select_steps(y, output, bidirectional, hidden_size):
    """The full sequence, or the last step of each direction (the backward one ends at t = 0)."""
    if output == "sequence":
        return y
    if not bidirectional:
        return y[:, -1]
    return torch.cat([y[:, -1, :hidden_size], y[:, 0, hidden_size:]], dim=-1)


class RNNBlock(nn.RNN):
    """nn.RNN over (N, T, F) returning the last step or the whole sequence."""

    codegen_deps = (select_steps,)

    def __init__(self, input_size, hidden_size, num_layers=1, bidirectional=False, dropout=0.0,
                 nonlinearity="tanh", output="last"):
        super().__init__(input_size, hidden_size, num_layers=num_layers, nonlinearity=nonlinearity,
                         bidirectional=bidirectional, dropout=dropout, batch_first=True)
        self.output = output

    def forward(self, x):
        y, _ = super().forward(x)
        return select_steps(y, self.output, self.bidirectional, self.hidden_size)


class LSTMBlock(nn.LSTM):
    """nn.LSTM over (N, T, F) returning the last step or the whole sequence."""

    codegen_deps = (select_steps,)

    def __init__(self, input_size, hidden_size, num_layers=1, bidirectional=False, dropout=0.0, output="last"):
        super().__init__(input_size, hidden_size, num_layers=num_layers, bidirectional=bidirectional,
                         dropout=dropout, batch_first=True)
        self.output = output

    def forward(self, x):
        y, _ = super().forward(x)
        return select_steps(y, self.output, self.bidirectional, self.hidden_size)


class GRUBlock(nn.GRU):
    """nn.GRU over (N, T, F) returning the last step or the whole sequence."""

    codegen_deps = (select_steps,)

    def __init__(self, input_size, hidden_size, num_layers=1, bidirectional=False, dropout=0.0, output="last"):
        super().__init__(input_size, hidden_size, num_layers=num_layers, bidirectional=bidirectional,
                         dropout=dropout, batch_first=True)
        self.output = output

    def forward(self, x):
        y, _ = super().forward(x)
        return select_steps(y, self.output, self.bidirectional, self.hidden_size)


class Attention(nn.MultiheadAttention):
    """Multi-head attention over (N, T, E): self-attention, or cross-attention to a context.

    `causal` applies the square subsequent mask: step t attends only to steps <= t (language models).
    """

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, kdim=None, vdim=None, causal=False):
        super().__init__(embed_dim, num_heads, dropout=dropout, bias=bias, kdim=kdim, vdim=vdim,
                         batch_first=True)
        self.causal = causal

    def forward(self, x, context=None):
        kv = x if context is None else context
        if not self.causal:
            out, _ = super().forward(x, kv, kv, need_weights=False)
            return out
        mask = nn.Transformer.generate_square_subsequent_mask(x.shape[1], device=x.device, dtype=x.dtype)
        out, _ = super().forward(x, kv, kv, need_weights=False, attn_mask=mask, is_causal=True)
        return out


class EncoderLayer(nn.TransformerEncoderLayer):
    """A Transformer encoder layer over (N, T, D); `causal` hides future steps (language models)."""

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
                 norm_first=False, causal=False):
        super().__init__(d_model, nhead, dim_feedforward=dim_feedforward, dropout=dropout,
                         activation=activation, batch_first=True, norm_first=norm_first)
        self.causal = causal

    def forward(self, x):
        if not self.causal:
            return super().forward(x)
        mask = nn.Transformer.generate_square_subsequent_mask(x.shape[1], device=x.device, dtype=x.dtype)
        return super().forward(x, src_mask=mask, is_causal=True)


class PositionalEncoding(nn.Module):
    """Add position information to (N, T, D): fixed sinusoids or a learned table."""

    def __init__(self, d_model, max_len, kind="sinusoidal", dropout=0.0, scale=False):
        super().__init__()
        self.kind = kind
        self.scale = math.sqrt(d_model) if scale else 1.0
        self.dropout = nn.Dropout(dropout)
        if kind == "learned":
            self.pe = nn.Parameter(torch.randn(1, max_len, d_model) * 0.02)
        else:
            position = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
            freq = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model))
            pe = torch.zeros(1, max_len, d_model)
            pe[0, :, 0::2] = torch.sin(position * freq)
            pe[0, :, 1::2] = torch.cos(position * freq[: d_model // 2])
            self.register_buffer("pe", pe, persistent=False)

    def forward(self, x):
        return self.dropout(x * self.scale + self.pe[:, : x.shape[1]])


class TimestepEmbedding(nn.Module):
    """DDPM's time-step embedding: integer steps t, (N,) or (N, 1), -> (N, dim).

    The sinusoids of the Transformer's positional encoding with t as the position (nearby steps get
    similar vectors, any step up to max_period has its own), then Linear, SiLU, Linear so the
    network can reshape them before they condition the denoiser.
    """

    def __init__(self, dim, hidden_dim, max_period=10000):
        super().__init__()
        half = dim // 2
        freq = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
        self.register_buffer("freq", freq, persistent=False)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden_dim), nn.SiLU(), nn.Linear(hidden_dim, dim))

    def forward(self, t):
        angles = t.reshape(t.shape[0], 1).float() * self.freq
        return self.mlp(torch.cat([torch.sin(angles), torch.cos(angles)], dim=-1))


class LabelEmbedding(nn.Embedding):
    """A learned vector per class for conditional models (cGAN): class ids, (N,) or (N, 1), -> (N, dim)."""

    def forward(self, y):
        return super().forward(y.reshape(y.shape[0]))


class PatchEmbedding(nn.Module):
    """ViT's input: cut (N, C, H, W) into p x p patches, embed each, prepend a class token."""

    def __init__(self, in_channels, embed_dim, patch_size, num_patches, class_token=True, position=True):
        super().__init__()
        self.proj = nn.Conv2d(in_channels, embed_dim, kernel_size=patch_size, stride=patch_size)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim)) if class_token else None
        tokens = num_patches + (1 if class_token else 0)
        self.pos = nn.Parameter(torch.randn(1, tokens, embed_dim) * 0.02) if position else None

    def forward(self, x):
        x = self.proj(x).flatten(2).transpose(1, 2)
        if self.cls_token is not None:
            x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        if self.pos is not None:
            x = x + self.pos
        return x


class FeedForwardModule(nn.Module):
    """Conformer's feed-forward module: LayerNorm, expand, Swish, dropout, project back."""

    def __init__(self, d_model, mult=4, dropout=0.1):
        super().__init__()
        self.net = nn.Sequential(
            nn.LayerNorm(d_model),
            nn.Linear(d_model, d_model * mult),
            nn.SiLU(),
            nn.Dropout(dropout),
            nn.Linear(d_model * mult, d_model),
            nn.Dropout(dropout),
        )

    def forward(self, x):
        return self.net(x)


class ConvolutionModule(nn.Module):
    """Conformer's convolution module: pointwise conv + GLU, depthwise conv, BatchNorm, Swish, pointwise."""

    def __init__(self, d_model, kernel_size=31, dropout=0.1):
        super().__init__()
        self.norm = nn.LayerNorm(d_model)
        self.pointwise1 = nn.Conv1d(d_model, 2 * d_model, kernel_size=1)
        self.depthwise = nn.Conv1d(d_model, d_model, kernel_size, padding=kernel_size // 2, groups=d_model)
        self.batch_norm = nn.BatchNorm1d(d_model)
        self.pointwise2 = nn.Conv1d(d_model, d_model, kernel_size=1)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        y = self.norm(x).transpose(1, 2)
        y = F.glu(self.pointwise1(y), dim=1)
        y = F.silu(self.batch_norm(self.depthwise(y)))
        y = self.dropout(self.pointwise2(y))
        return y.transpose(1, 2)


class ConformerBlock(nn.Module):
    """x + FFN/2, + self-attention, + convolution, + FFN/2, then LayerNorm (the course's slides)."""

    codegen_deps = (FeedForwardModule, ConvolutionModule)

    def __init__(self, d_model, num_heads=4, ff_mult=4, kernel_size=31, dropout=0.1):
        super().__init__()
        self.ff1 = FeedForwardModule(d_model, ff_mult, dropout)
        self.attn_norm = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, num_heads, dropout=dropout, batch_first=True)
        self.attn_dropout = nn.Dropout(dropout)
        self.conv = ConvolutionModule(d_model, kernel_size, dropout)
        self.ff2 = FeedForwardModule(d_model, ff_mult, dropout)
        self.final_norm = nn.LayerNorm(d_model)

    def forward(self, x):
        x = x + 0.5 * self.ff1(x)
        a = self.attn_norm(x)
        x = x + self.attn_dropout(self.attn(a, a, a, need_weights=False)[0])
        x = x + self.conv(x)
        x = x + 0.5 * self.ff2(x)
        return self.final_norm(x)
