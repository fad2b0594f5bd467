"""DDPM noise schedules (issue 13, paradigm 2, item 1): linear, quadratic and cosine beta_t and
alpha-bar_t for T steps, checked against their formulas, and the alpha-bar curve the UI plots."""

from __future__ import annotations

import math

import pytest
import torch

from studio.core.train.diffusion import (
    COSINE_S,
    MAX_BETA,
    Schedule,
    alpha_bar,
    alpha_bar_curve,
    betas,
    forward_strip,
    q_sample,
    strip_steps,
)


def test_linear_betas_step_evenly_from_start_to_end():
    b = betas("linear", 1000, 1e-4, 0.02)
    assert b.shape == (1000,) and b.dtype == torch.float64
    for t in (1, 2, 500, 1000):
        assert math.isclose(float(b[t - 1]), 1e-4 + (0.02 - 1e-4) * (t - 1) / 999, rel_tol=1e-9)


def test_quadratic_betas_are_squares_of_an_even_ramp_of_square_roots():
    b = betas("quadratic", 200, 1e-4, 0.05)
    lo, hi = math.sqrt(1e-4), math.sqrt(0.05)
    for t in (1, 77, 200):
        assert math.isclose(float(b[t - 1]), (lo + (hi - lo) * (t - 1) / 199) ** 2, rel_tol=1e-9)
    assert float(b[0]) == pytest.approx(1e-4) and float(b[-1]) == pytest.approx(0.05)
    assert float(b[99]) < float(betas("linear", 200, 1e-4, 0.05)[99])  # slower start than linear


def test_cosine_alpha_bar_follows_the_squared_cosine_until_the_clip():
    T = 1000
    ab = alpha_bar(betas("cosine", T))

    def f(t):
        return math.cos((t / T + COSINE_S) / (1 + COSINE_S) * math.pi / 2) ** 2

    for t in (1, 10, 250, 500, 750, 900):
        assert math.isclose(float(ab[t - 1]), f(t) / f(0), rel_tol=1e-6)
    b = betas("cosine", T)
    assert float(b.max()) <= MAX_BETA and float(b[-1]) == pytest.approx(MAX_BETA)
    assert bool((b[1:] >= b[:-1] - 1e-12).all())  # noise is added faster and faster


def test_alpha_bar_is_the_running_product_of_one_minus_beta():
    b = betas("linear", 50, 1e-3, 0.2)
    ab = alpha_bar(b)
    want = 1.0
    for t in range(50):
        want *= 1 - float(b[t])
        assert math.isclose(float(ab[t]), want, rel_tol=1e-9)


def test_every_schedule_ends_near_pure_noise_and_falls_monotonically():
    for name in ("linear", "quadratic", "cosine"):
        ab = alpha_bar(betas(name, 1000))
        assert bool((ab[1:] < ab[:-1]).all()), name
        assert 0 < float(ab[0]) < 1 and float(ab[-1]) < 0.01, name


def test_the_curve_for_the_plot_spans_1_to_t_with_the_schedules_values():
    steps, values = alpha_bar_curve("cosine", 1000, points=100)
    assert steps[0] == 1 and steps[-1] == 1000 and len(steps) == 100 == len(values)
    ab = alpha_bar(betas("cosine", 1000))
    assert all(math.isclose(v, float(ab[t - 1]), abs_tol=1e-6) for t, v in zip(steps, values, strict=True))
    short_t, short_v = alpha_bar_curve("linear", 20, 1e-4, 0.2, points=100)
    assert short_t == list(range(1, 21)) and len(short_v) == 20


def test_an_unknown_schedule_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown noise schedule 'sigmoid'"):
        betas("sigmoid", 10)


def test_forward_noising_is_sqrt_alpha_bar_x0_plus_sqrt_one_minus_alpha_bar_noise():
    sched = Schedule.make("linear", 100, 1e-4, 0.1)
    x0, e = torch.rand(3, 1, 4, 4) * 2 - 1, torch.randn(3, 1, 4, 4)
    t = torch.tensor([1, 50, 100])
    xt = q_sample(x0, t, e, sched)
    for i, step in enumerate(t.tolist()):
        ab = float(sched.alpha_bar[step - 1])
        assert torch.allclose(xt[i], math.sqrt(ab) * x0[i] + math.sqrt(1 - ab) * e[i], atol=1e-6)
    strip = forward_strip(x0[0], sched, strip_steps(100), seed=3)
    assert strip.shape == (8, 1, 4, 4) and torch.equal(strip[0], x0[0])
    assert torch.equal(strip, forward_strip(x0[0], sched, strip_steps(100), seed=3))  # seeded
    assert strip_steps(100) == [0, 14, 29, 43, 57, 71, 86, 100]
