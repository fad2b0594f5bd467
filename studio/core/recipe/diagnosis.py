"""What the learning curves say, in the course's words, with the epoch where it began.

The input is the stream of training events (live from the worker, or read back from a run's
metrics.jsonl), so the GUI and `studio diagnose` reach the same verdict from the same numbers.
Rules, checked in this order (the first that holds wins):

1. diverging: a NaN/Inf loss, the smoothed step loss climbing above 4x its best so far, a
   training loss that oscillates above where it started, or a finished run the trainer itself
   judged diverged (its `done` event: the loss ended above twice its start, see train/outcome.py);
   (too early: fewer than 3 epochs;)
   no better than counting characters: a language model whose best validation perplexity is not
   below the unigram perplexity of its text (the epoch events' `unigram_perplexity`);
2. overfitting: validation loss rising while training loss still falls, or a train/validation
   accuracy gap above 10 points;
3. underfitting: training loss still high (above half its starting value) and flat;
4. still improving: validation (or training) loss still falling over the last epochs;
5. healthy: none of the above.

A language model's evidence speaks of perplexity (exp of the loss per token) where a classifier's
speaks of accuracy.

A GAN's run (its epochs carry D(x) and D(G(z)): val_d_real, val_d_fake) is read by its own rules,
since its two losses pull against each other and neither falls like a supervised loss: after the
NaN checks and "too early",

G1. mode collapse: the last epoch carries the run's collapse warning (train/gan.py);
G2. the discriminator wins: D(x) >= 0.8 and D(G(z)) <= 0.2 over the last epochs (the course:
    slow D down with its own lr, d_lr, and put noise on its inputs, d_input_noise);
G3. still improving: the FID-like distance still falls (and is near its best);
G4. balanced: D(x) and D(G(z)) both within 0.15 of 0.5 and the FID-like distance flat;
G5. otherwise unsettled: D ahead of G without winning, the FID-like distance flat.

Thresholds are module constants so docs/recipe.md and the tests can name them.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from studio.core.recipe.smoothing import debiased_ema

DIVERGE_FACTOR = 4.0
"""Smoothed loss above this multiple of its best means the run is diverging."""
STEP_SMOOTHING = 0.9
GAP_POINTS = 0.10
"""Train minus validation accuracy above this is an overfitting gap."""
VAL_RISE = 0.05
"""Validation loss this far (relative) above its minimum counts as rising."""
HIGH_FRACTION = 0.5
"""Training loss above this fraction of its starting value is still high."""
FLAT_PER_EPOCH = 0.02
"""Relative fall per epoch below which a curve is flat..."""
PLATEAU_RATIO = 0.35
"""...and only when it fell at most this fraction as fast as over the first epochs (it levelled off)."""
STILL_PER_EPOCH = 0.01
"""A loss at its best that still falls faster than this per epoch is still improving."""
NEAR_BEST = 0.01
MIN_EPOCHS = 3
D_WINS_REAL = 0.8
"""A GAN's discriminator wins when D(x) stays at or above this..."""
D_WINS_FAKE = 0.2
"""...and D(G(z)) at or below this..."""
D_WINS_EPOCHS = 2
"""...over this many last epochs."""
BALANCED_BAND = 0.15
"""D(x) and D(G(z)) within this of 0.5: the two networks are balanced."""
FID_STILL_PER_EPOCH = 0.02
"""A FID-like distance near its best that still falls faster than this per epoch (over the last two) is still improving..."""
FID_NEAR_BEST = 0.05
"""...near its best: within this (relative) of it; the distance of 256 samples moves a few % from epoch to epoch."""

REGULARISATION_STEPS = (
    "get more data (the best regulariser there is)",
    "add data augmentation (flips, crops, rotation, noise)",
    "add normalisation layers (BatchNorm / LayerNorm)",
    "use a smaller batch size",
    "add dropout and weight decay",
    "use label smoothing",
    "use early stopping (keep the best checkpoint)",
    "try a smaller model",
)

TITLES = {
    "diverging": "Diverging: the learning rate is too high",
    "overfitting": "Overfitting",
    "underfitting": "Underfitting",
    "still_improving": "Still improving",
    "no_better_than_unigram": "No better than counting characters",
    "healthy": "Healthy",
    "too_early": "Too early to tell",
    "not_trained": "Not trained yet",
    "mode_collapse": "Mode collapse",
    "discriminator_wins": "The discriminator wins",
    "balanced": "Balanced",
    "unsettled": "Unsettled: D ahead, no progress",
}

GAN_ACTIONS = {
    "d_lr": "slow the discriminator down: give it its own lower learning rate (training d_lr, e.g. half of lr)",
    "noise": "put noise on the discriminator's inputs (training d_input_noise 0.05 to 0.1) so it cannot win too "
             "easily",
    "adam": "keep Adam at the course's lr 2e-4 with betas (0.5, 0.999)",
    "longer": "train for more epochs",
}
"""The course's advice for a GAN, as the verdicts give it."""


@dataclass
class Verdict:
    name: str
    advice: str
    evidence: str = ""
    epoch: int | None = None
    """The epoch (1-based) where the verdict's evidence begins; the plots mark it."""
    step: int | None = None
    actions: list[str] = field(default_factory=list)
    """What to try, in the course's order."""

    @property
    def title(self) -> str:
        return TITLES.get(self.name, self.name)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["title"] = self.title
        return out


def _num(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and value is not None else math.nan


@dataclass
class Curves:
    """The numbers the rules look at, pulled out of a run's events."""

    step: np.ndarray
    loss: np.ndarray
    step_epoch: np.ndarray
    epochs: list[dict[str, Any]]
    nan_error: dict[str, Any] | None = None
    diverged: dict[str, Any] | None = None
    """The run's `done` event when the trainer judged the run diverged (train/outcome.py)."""
    unigram_perplexity: float | None = None
    """A language model's bar: the perplexity of counting its text's tokens (recipe/subject.py's
    `unigram_perplexity`), set by the caller that knows the data; an epoch event's own
    `unigram_perplexity`, when it has one, wins."""

    @classmethod
    def from_events(cls, events: Iterable[dict[str, Any]]) -> Curves:
        steps: list[int] = []
        losses: list[float] = []
        step_epochs: list[int] = []
        epochs: dict[int, dict[str, Any]] = {}
        nan_error = diverged = None
        for ev in events:
            kind = ev.get("event")
            if kind == "start" and not ev.get("resumed_from_step"):
                steps, losses, step_epochs, epochs = [], [], [], {}  # a fresh run in the same stream
                nan_error = diverged = None
            elif kind == "step":
                chunk = ev.get("losses") or [ev.get("loss")]
                first = int(ev.get("first_step", ev.get("step", 0) - len(chunk) + 1))
                for i, value in enumerate(chunk):
                    steps.append(first + i)
                    losses.append(_num(value))
                    step_epochs.append(int(ev.get("epoch", 1)))
            elif kind == "epoch":
                epochs[int(ev["epoch"])] = ev
            elif kind == "error" and ev.get("kind") == "nan":
                nan_error = ev
            elif kind == "done":
                diverged = ev if ev.get("diverged") else None
        return cls(np.asarray(steps, dtype=np.int64), np.asarray(losses, dtype=np.float64),
                   np.asarray(step_epochs, dtype=np.int64), [epochs[k] for k in sorted(epochs)], nan_error,
                   diverged)

    def series(self, key: str) -> np.ndarray:
        return np.asarray([_num(e.get(key)) for e in self.epochs], dtype=np.float64)

    @property
    def gan(self) -> bool:
        """A GAN's run: its epochs carry D(x) and D(G(z))."""
        return bool(np.isfinite(self.series("val_d_real")).any())

    @property
    def language_model(self) -> bool:
        """A language model's run: its epochs carry a validation perplexity."""
        return bool(np.isfinite(self.series("val_perplexity")).any())

    def unigram(self) -> float | None:
        """The unigram perplexity to beat: the epochs' own, else the one a caller set."""
        found = [e.get("unigram_perplexity") for e in self.epochs if _finite(e.get("unigram_perplexity"))]
        value = found[-1] if found else self.unigram_perplexity
        return float(value) if _finite(value) else None

    def epoch_numbers(self) -> list[int]:
        return [int(e["epoch"]) for e in self.epochs]


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def _ppl(c: Curves, loss: float, form: str = " (perplexity {p})") -> str:
    """" (perplexity 8.3)" (or `form` filled in) after a loss of a language model's run, "" for any other run."""
    if not c.language_model or not math.isfinite(loss):
        return ""
    return form.format(p=f"{math.exp(min(loss, 700.0)):.3g}")


def diagnose_events(events: Iterable[dict[str, Any]], unigram_perplexity: float | None = None) -> Verdict:
    """The verdict on a stream of events; `unigram_perplexity` is a language model's bar (the
    events do not know the text: the caller computes it from the data, recipe/subject.py)."""
    return diagnose(Curves.from_events(events), unigram_perplexity)


def diagnose(c: Curves, unigram_perplexity: float | None = None) -> Verdict:
    """The first rule's verdict that holds. `unigram_perplexity`: a language model's bar, when the
    curves do not carry one (see `Curves.unigram`)."""
    if unigram_perplexity is not None and c.unigram_perplexity is None:
        c = dataclasses.replace(c, unigram_perplexity=float(unigram_perplexity))
    if c.gan:
        return diagnose_gan(c)
    for rule in (_diverging, _too_early, _no_better_than_counting, _overfitting, _underfitting, _still_improving):
        verdict = rule(c)
        if verdict is not None:
            return verdict
    return _healthy(c)


# --- the rules --------------------------------------------------------------------------------

def _lower_lr(lr: float | None) -> str:
    if lr and math.isfinite(lr):
        return f"lower the learning rate (try {lr / 10:g}, or run the LR range test), or clip gradients"
    return "lower the learning rate (run the LR range test for a value), or clip gradients"


def _diverging(c: Curves) -> Verdict | None:
    if c.nan_error is not None:
        d = c.nan_error.get("diagnosis") or {}
        return Verdict("diverging", _lower_lr(d.get("lr")),
                       f"the loss became NaN/Inf at step {d.get('step')} ({d.get('cause', 'see the error')})",
                       d.get("epoch"), d.get("step"), [_lower_lr(d.get("lr"))])
    lr = next((_num(e.get("lr")) for e in reversed(c.epochs)), None)
    if c.loss.size:
        bad = np.flatnonzero(~np.isfinite(c.loss))
        if bad.size:
            i = int(bad[0])
            return Verdict("diverging", _lower_lr(lr), f"the training loss is NaN/Inf from step {int(c.step[i])}",
                           int(c.step_epoch[i]), int(c.step[i]), [_lower_lr(lr)])
        smooth = debiased_ema(c.loss, STEP_SMOOTHING)
        best = np.minimum.accumulate(smooth)
        # A guard of a quarter of the starting loss keeps spikes near zero loss from counting.
        over = (smooth > DIVERGE_FACTOR * best) & (smooth - best > 0.25 * abs(smooth[0]))
        hits = np.flatnonzero(over)
        if hits.size:
            i = int(hits[0])
            j = int(np.argmin(smooth[: i + 1]))
            return Verdict(
                "diverging", _lower_lr(lr),
                f"the smoothed training loss climbed from its best {best[i]:.3g} (step {int(c.step[j])}) "
                f"to {smooth[i]:.3g} at step {int(c.step[i])}, more than {DIVERGE_FACTOR:g}x",
                int(c.step_epoch[j]), int(c.step[j]), [_lower_lr(lr)])
    train = c.series("train_loss")
    if train.size and not np.isfinite(train).all():
        i = int(np.flatnonzero(~np.isfinite(train))[0])
        return Verdict("diverging", _lower_lr(lr), f"the epoch training loss is NaN/Inf at epoch {c.epoch_numbers()[i]}",
                       c.epoch_numbers()[i], None, [_lower_lr(lr)])
    if c.diverged is not None:
        # finite all along, but the run ended far above where it began: the trainer's own judgement
        d = c.diverged
        return Verdict("diverging", d.get("fix") or _lower_lr(lr), d.get("warning", "the run diverged"),
                       None, None, [d.get("fix") or _lower_lr(lr)])
    if train.size and c.loss.size and train[-1] > c.loss[0]:
        # Oscillating: never exploded 4x, but after all this training it is worse than at initialisation.
        i = int(np.flatnonzero(train > c.loss[0])[0])
        return Verdict("diverging", _lower_lr(lr),
                       f"the training loss oscillates above where it started ({c.loss[0]:.3g}): {train[-1]:.3g} at "
                       f"epoch {c.epoch_numbers()[-1]}, above its start since epoch {c.epoch_numbers()[i]}",
                       c.epoch_numbers()[i], None, [_lower_lr(lr)])
    return None


def _too_early(c: Curves) -> Verdict | None:
    if not c.epochs and not c.loss.size:
        return Verdict("not_trained", "train the project to get learning curves to read")
    if len(c.epochs) < MIN_EPOCHS:
        return Verdict("too_early", f"wait for at least {MIN_EPOCHS} epochs; the curves say too little yet",
                       f"{len(c.epochs)} epoch(s) so far")
    return None


def _no_better_than_counting(c: Curves) -> Verdict | None:
    """A language model whose best validation perplexity is not below its text's unigram perplexity
    has learned no more than how often each token occurs."""
    unigram = c.unigram()
    if not c.language_model or unigram is None:
        return None
    ppl = c.series("val_perplexity")
    b = int(np.nanargmin(ppl))
    if ppl[b] < unigram:
        return None
    epochs = c.epoch_numbers()
    actions = ["check that the tokens reach the layers (the recipe's input-independent baseline tells)",
               "train longer, or at the LR range test's lr", "a bigger model (more layers, a wider embedding)"]
    return Verdict(
        "no_better_than_unigram",
        "the model has learned no more than how often each token occurs: " + "; ".join(actions),
        f"the best validation perplexity {ppl[b]:.3g} (epoch {epochs[b]}) is not below {unigram:.3g}, the perplexity "
        f"of a unigram model that only counts how often each token occurs in the training text",
        epochs[0], None, actions)


def _overfitting(c: Curves) -> Verdict | None:
    epochs = c.epoch_numbers()
    train, val = c.series("train_loss"), c.series("val_loss")
    advice = "regularise, in the course's order: " + "; ".join(REGULARISATION_STEPS)
    if np.isfinite(val).any():
        b = int(np.nanargmin(val))
        last = len(val) - 1
        rising = (last - b >= 2 and val[last] > val[b] * (1 + VAL_RISE)
                  and val[last] - val[b] > 0.02 * abs(val[0]) and train[last] < train[b])
        if rising:
            return Verdict("overfitting", advice,
                           f"validation loss rose from {val[b]:.3g}{_ppl(c, val[b])} at epoch {epochs[b]} to "
                           f"{val[last]:.3g}{_ppl(c, val[last])} at epoch {epochs[last]} while training loss fell "
                           f"from {train[b]:.3g}{_ppl(c, train[b])} to {train[last]:.3g}{_ppl(c, train[last])}",
                           epochs[b] + 1 if b + 1 < len(epochs) else epochs[b], None, list(REGULARISATION_STEPS))
    tr_acc, va_acc = c.series("train_accuracy"), c.series("val_accuracy")
    if tr_acc.size and np.isfinite(tr_acc[-1]) and np.isfinite(va_acc[-1]):
        gap = tr_acc - va_acc
        if gap[-1] > GAP_POINTS:
            start = len(gap) - 1
            while start > 0 and gap[start - 1] > GAP_POINTS:
                start -= 1
            return Verdict("overfitting", advice,
                           f"training accuracy {tr_acc[-1]:.1%} vs validation {va_acc[-1]:.1%}: a gap of "
                           f"{gap[-1] * 100:.0f} points (above {GAP_POINTS * 100:.0f}) since epoch {epochs[start]}",
                           epochs[start], None, list(REGULARISATION_STEPS))
    return None


def _relative_fall(series: np.ndarray, span: int) -> float:
    """Average relative fall per epoch over the last `span` epochs (positive = still falling)."""
    s = series[np.isfinite(series)]
    if s.size < 2:
        return 0.0
    span = min(span, s.size - 1)
    a, b = s[-1 - span], s[-1]
    return float((a - b) / max(abs(a), 1e-12) / span)


def _tail_start(series: np.ndarray, epochs: list[int]) -> int:
    """The epoch where the current run of epoch-over-epoch falls began."""
    i = len(series) - 1
    while i > 0 and series[i - 1] > series[i]:
        i -= 1
    return epochs[i]


def _underfitting(c: Curves) -> Verdict | None:
    train = c.series("train_loss")
    start = float(c.loss[np.isfinite(c.loss)][0]) if c.loss.size and np.isfinite(c.loss).any() else train[0]
    span = max(2, len(train) // 3)
    recent = _relative_fall(train, span)
    early = _relative_fall(train[: span + 1], span)
    levelled = recent < FLAT_PER_EPOCH and recent <= PLATEAU_RATIO * max(early, 1e-12)
    if train[-1] > HIGH_FRACTION * start and levelled:
        epochs = c.epoch_numbers()
        flat_from = len(train) - 1
        while flat_from > 0 and (train[flat_from - 1] - train[flat_from]) / max(abs(train[flat_from - 1]), 1e-12) \
                < FLAT_PER_EPOCH:
            flat_from -= 1
        return Verdict(
            "underfitting",
            "make the model bigger (more layers or units), regularise less (less dropout / weight decay), "
            "train longer or raise the learning rate, and check the loss and the labels",
            f"training loss {train[-1]:.3g}{_ppl(c, train[-1])} is still {train[-1] / start:.0%} of its start "
            f"({start:.3g}{_ppl(c, start, ', perplexity {p}')}) and flat "
            f"since epoch {epochs[flat_from]}", epochs[flat_from], None,
            ["a bigger model", "less regularisation", "a higher learning rate or longer training",
             "check the loss function and the labels"])
    return None


def _still_improving(c: Curves) -> Verdict | None:
    val = c.series("val_loss")
    series, what = (val, "validation") if np.isfinite(val).sum() >= 2 else (c.series("train_loss"), "training")
    span = 2
    fall = _relative_fall(series, span)
    finite = series[np.isfinite(series)]
    at_best = finite.size > 0 and finite[-1] <= finite.min() * (1 + NEAR_BEST)
    if at_best and fall > STILL_PER_EPOCH:
        epochs = c.epoch_numbers()
        return Verdict("still_improving", "train longer (more epochs) or raise the learning rate",
                       f"{what} loss still falls {fall:.1%} per epoch over the last {min(span, len(series) - 1)} epochs "
                       f"(down to {series[-1]:.3g}{_ppl(c, series[-1], ', perplexity {p}')})", _tail_start(series, epochs), None,
                       ["train for more epochs", "raise the learning rate"])
    return None


def _healthy(c: Curves) -> Verdict:
    val = c.series("val_loss")
    epochs = c.epoch_numbers()
    best = int(np.nanargmin(val)) if np.isfinite(val).any() else len(epochs) - 1
    acc = c.series("val_accuracy")
    acc_text = f", validation accuracy {acc[best]:.1%}" if acc.size and np.isfinite(acc[best]) else ""
    if c.language_model:  # perplexity is what a language model's run is read by, against counting tokens
        ppl = c.series("val_perplexity")
        unigram = c.unigram()
        bar = f", below the unigram model's {unigram:.3g}" if unigram is not None else ""
        acc_text = f", validation perplexity {ppl[best]:.3g}{bar}" if np.isfinite(ppl[best]) else ""
    return Verdict("healthy", "converged without over- or underfitting; tune (LR schedule, EMA) to squeeze out the rest",
                   f"validation loss levelled off at {val[best]:.3g} around epoch {epochs[best]}{acc_text}",
                   epochs[best], None, ["try a learning-rate schedule (cosine)", "try EMA of the weights",
                                        "a hyper-parameter search"])


# --- a GAN's rules ------------------------------------------------------------------------------

def diagnose_gan(c: Curves) -> Verdict:
    """A GAN run's verdict: NaN, too early, then G1-G5 of the module doc."""
    early = _gan_nan(c) or _too_early(c)
    if early is not None:
        return early
    for rule in (_mode_collapse, _discriminator_wins, _gan_still_improving, _balanced):
        verdict = rule(c)
        if verdict is not None:
            return verdict
    return _unsettled(c)


def _gan_nan(c: Curves) -> Verdict | None:
    """Only the NaN/Inf part of the diverging rule: a GAN's summed loss rises whenever D gets ahead,
    so neither its climb nor ending above its start says the lr is too high."""
    if c.nan_error is not None or (c.loss.size and not np.isfinite(c.loss).all()):
        return _diverging(dataclasses.replace(c, diverged=None))
    return None


def _last(c: Curves, key: str) -> float:
    values = c.series(key)
    return float(values[-1]) if values.size else math.nan


def _streak_start(c: Curves, holds) -> int:
    """The epoch that began the last epochs' run of epochs for which `holds(event)` is true."""
    i = len(c.epochs) - 1
    while i > 0 and holds(c.epochs[i - 1]):
        i -= 1
    return c.epoch_numbers()[i]


def _verdicts_text(c: Curves) -> str:
    return f"D(x) {_last(c, 'val_d_real'):.2f} and D(G(z)) {_last(c, 'val_d_fake'):.2f}"


def _mode_collapse(c: Curves) -> Verdict | None:
    warning = c.epochs[-1].get("collapse")
    if not warning:
        return None
    since = _streak_start(c, lambda e: bool(e.get("collapse")))
    actions = [GAN_ACTIONS["noise"], GAN_ACTIONS["d_lr"], GAN_ACTIONS["adam"]]
    return Verdict("mode_collapse", "the generator draws only a few kinds of image: " + "; ".join(actions),
                   f"the run warns at epoch {c.epoch_numbers()[-1]}: {warning}", since, None, actions)


def _d_wins(e: dict[str, Any]) -> bool:
    return _num(e.get("val_d_real")) >= D_WINS_REAL and _num(e.get("val_d_fake")) <= D_WINS_FAKE


def _discriminator_wins(c: Curves) -> Verdict | None:
    tail = c.epochs[-D_WINS_EPOCHS:]
    if len(tail) < D_WINS_EPOCHS or not all(_d_wins(e) for e in tail):
        return None
    since = _streak_start(c, _d_wins)
    lr = _last(c, "lr")
    d_lr = GAN_ACTIONS["d_lr"]
    if math.isfinite(lr) and lr > 0:
        d_lr = d_lr.replace("e.g. half of lr", f"e.g. {lr / 2:g}, half of lr {lr:g}")
    actions = [d_lr, GAN_ACTIONS["noise"], GAN_ACTIONS["adam"]]
    return Verdict("discriminator_wins",
                   "the discriminator tells real from generated too easily, so the generator gets almost no "
                   "gradient: " + "; ".join(actions),
                   f"{_verdicts_text(c)} at epoch {c.epoch_numbers()[-1]}: D(x) at or above {D_WINS_REAL:g} and "
                   f"D(G(z)) at or below {D_WINS_FAKE:g} since epoch {since}", since, None, actions)


def _fid(c: Curves) -> np.ndarray:
    return c.series("val_fid_like")


def _gan_still_improving(c: Curves) -> Verdict | None:
    fid = _fid(c)
    finite = fid[np.isfinite(fid)]
    if finite.size < 2:
        return None
    fall = _relative_fall(fid, 2)
    at_best = finite[-1] <= finite.min() * (1 + FID_NEAR_BEST)
    if not (at_best and fall > FID_STILL_PER_EPOCH):
        return None
    epochs = c.epoch_numbers()
    span = min(2, finite.size - 1)
    return Verdict("still_improving", "train longer (more epochs): the generator's images still get closer to the data",
                   f"the FID-like distance still falls {fall:.1%} per epoch over the last {span} epochs (down to "
                   f"{finite[-1]:.4g}; {_verdicts_text(c)})", _tail_start(fid, epochs), None,
                   [GAN_ACTIONS["longer"]])


def _flat_fid_text(c: Curves) -> str:
    fid = _fid(c)
    finite = fid[np.isfinite(fid)]
    if not finite.size:
        return "no FID-like distance (the data set has no class labels to train its classifier)"
    return f"the FID-like distance is flat at {finite[-1]:.4g} (best {finite.min():.4g})"


def _balanced(c: Curves) -> Verdict | None:
    real, fake = _last(c, "val_d_real"), _last(c, "val_d_fake")
    if not (abs(real - 0.5) <= BALANCED_BAND and abs(fake - 0.5) <= BALANCED_BAND):
        return None
    best = int(np.nanargmin(_fid(c))) if np.isfinite(_fid(c)).any() else len(c.epochs) - 1
    return Verdict("balanced",
                   "the two networks are balanced and the samples no longer improve: look at the sample grid; for "
                   "better images try a bigger generator or a convolutional one (the DCGAN template)",
                   f"{_verdicts_text(c)}, both within {BALANCED_BAND:g} of 0.5 where D cannot tell them apart; "
                   f"{_flat_fid_text(c)}", c.epoch_numbers()[best], None,
                   ["a bigger or convolutional generator (the DCGAN template)", "an LR schedule (cosine)"])


def _unsettled(c: Curves) -> Verdict:
    actions = [GAN_ACTIONS["d_lr"], GAN_ACTIONS["noise"], GAN_ACTIONS["longer"]]
    return Verdict("unsettled",
                   "the discriminator stays ahead but does not win, and the samples no longer improve: "
                   + "; ".join(actions),
                   f"{_verdicts_text(c)} at epoch {c.epoch_numbers()[-1]} (0.5 each when balanced); {_flat_fid_text(c)}",
                   None, None, actions)
