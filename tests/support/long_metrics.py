"""Long metrics.jsonl files for the tests of reading them (a million lines is a real long run).

Written from template strings, not json.dumps, so 200,000 lines take well under a second; found
through pytest's `pythonpath` (pyproject.toml) by the core reader's tests and the Train panel's.
"""

from __future__ import annotations

import numpy as np

STEP = ('{"event":"step","step":%d,"first_step":%d,"epoch":%d,"progress":%.6f,"loss":%.6f,"lr":0.001,'
        '"grad_norm":%.4f,"samples_per_s":5120.5,"step_time_ms":12.5,"gpu_memory_mb":0.0,'
        '"losses":[%.6f],"grad_norms":[%.4f],"lrs":[0.001]}\n')
EPOCH = '{"event":"epoch","epoch":%d,"step":%d,"train_loss":%.6f,"val_loss":%.6f,"val_accuracy":%.4f}\n'


def write_long_run(folder, lines: int, per_epoch: int = 1000, spikes=(), dip=None):
    """A metrics.jsonl of `lines` lines written from templates (fast): a falling noisy loss, an
    epoch event every `per_epoch` steps, `spikes` {step: loss} and a `dip` (step, loss)."""
    steps = lines - 2 - (lines - 2) // (per_epoch + 1)
    s = np.arange(1, steps + 1)
    rng = np.random.default_rng(0)
    loss = 2.3 * np.exp(-s / (steps / 4)) + 0.05 + 0.02 * rng.random(steps)
    for step, value in dict(spikes).items():
        loss[step - 1] = value
    if dip is not None:
        loss[dip[0] - 1] = dip[1]
    epoch = (s - 1) // per_epoch + 1
    out = [f'{{"event":"start","epochs":{epoch[-1]},"steps_per_epoch":{per_epoch},"resumed_from_step":0}}\n']
    for lo in range(0, steps, per_epoch):
        hi = min(steps, lo + per_epoch)
        out.append("".join(STEP % (k, k, e, k / steps, v, 1.0, v, 1.0)
                           for k, e, v in zip(s[lo:hi].tolist(), epoch[lo:hi].tolist(), loss[lo:hi].tolist(),
                                              strict=True)))
        if hi % per_epoch == 0:
            out.append(EPOCH % (hi // per_epoch, hi, loss[hi - 1], 1.1 * loss[hi - 1], 0.9))
    out.append('{"event":"done","run_dir":"x"}\n')
    path = folder / "metrics.jsonl"
    path.write_text("".join(out), encoding="utf-8")
    return path, loss
