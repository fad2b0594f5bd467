"""Differences within the noise of measuring read as "about the same".

The Export panel called the very same fp32 model "1.50x faster" than itself (PyTorch, batch 64,
74.5 ms then 49.6 ms): the two were timed one after the other while the machine's load changed.
"""

from __future__ import annotations

from studio.core.export.compare import Variant, compare, latency_change
from studio.core.export.measure import Timing
from studio.core.export.onnx_export import export_onnx
from studio.core.export.speed import speed_change


def test_the_same_model_measured_twice_is_about_the_same(source, tmp_path):
    samples = source.samples(64)
    fp32 = export_onnx(source.model, source.io, tmp_path / "fp32.onnx", samples).out
    rows = compare([Variant("before", source.model, fp32), Variant("after", source.model, fp32)],
                   samples, None, batches=(1, 64), on=["cpu"], repeats=30)
    keys = set(rows[0]["latency_ms"])
    assert keys == {"onnxruntime_cpu_b1", "onnxruntime_cpu_b64", "pytorch_cpu_b1", "pytorch_cpu_b64"}
    for key in keys:
        q1, q3 = rows[0]["latency_iqr_ms"][key]
        assert q1 <= rows[0]["latency_ms"][key] <= q3, "the quartiles travel with the median"
        change = latency_change(rows[0], rows[1], key)
        assert change.kind == "same", f"{key}: {change.words()}"
        assert change.words("before") == "about the same speed as before"


def test_the_noise_band_and_the_spread_decide_together():
    # the panel's figures: 74.5 ms then 49.6 ms for one model, each with the spread of a busy machine
    assert speed_change(Timing(74.5, 52.0, 90.0), Timing(49.6, 45.0, 70.0)).kind == "same"
    # tight spreads, but less than 15% apart: still the same
    assert speed_change(Timing(10.0, 9.9, 10.1), Timing(8.9, 8.8, 9.0)).kind == "same"
    # microseconds apart: one thread wake-up, whatever the ratio
    assert speed_change(Timing(0.009, 0.0085, 0.0095), Timing(0.020, 0.019, 0.021)).kind == "same"
    # a real difference: far apart and the quartiles do not meet
    faster = speed_change(Timing(0.427, 0.41, 0.44), Timing(0.133, 0.13, 0.14))
    assert (faster.kind, f"{faster.factor():.2f}") == ("faster", "3.21")
    assert faster.words("fp32") == "3.21x faster than fp32"
    slower = speed_change(Timing(0.427, 0.41, 0.44), Timing(1.15, 1.1, 1.2))
    assert slower.kind == "slower" and slower.words("fp32") == "2.69x slower than fp32"


def test_timed_side_by_side_rounds_are_compared_round_by_round():
    """A few slow rounds widen both spreads until the quartiles meet; round by round it is still 3x."""
    before = [0.30, 0.31, 0.30, 0.95, 0.32, 0.30, 0.97, 0.31, 0.30, 0.96, 0.31, 0.95]
    after = [0.95, 0.96, 0.94, 2.90, 0.97, 0.95, 2.95, 0.96, 0.94, 2.90, 0.95, 2.92]
    a, b = Timing.of(before), Timing.of(after)
    assert a.q3_ms >= b.q1_ms, "the premise: the quartiles overlap"
    assert speed_change(a, b).kind == "slower"
    # the same calls with their pairing lost (timed apart): only the overlap is left to go by
    assert speed_change(Timing(a.median_ms, a.q1_ms, a.q3_ms), Timing(b.median_ms, b.q1_ms, b.q3_ms)).kind == "same"
