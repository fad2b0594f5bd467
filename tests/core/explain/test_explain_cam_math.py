"""Each CAM method equals its written definition on a model whose gradients we can write down.

For conv -> ReLU -> flatten -> Linear, the score of class c is sum_kij V[c,k,i,j] * ReLU(A)[k,i,j],
so at the conv layer the gradient is G = V_c * [A > 0] and at the ReLU it is V_c: no autograd needed.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from explain_models import ConvLinear, seeded

from studio.core.explain import compute_cam


@pytest.fixture
def model_and_input():
    model = seeded(ConvLinear())
    x = torch.randn(3, 2, 5, 5, generator=torch.Generator().manual_seed(1))
    return model, x


def closed_form(model: ConvLinear, x: torch.Tensor, layer: str, classes: torch.Tensor):
    with torch.no_grad():
        pre = F.conv2d(x, model.conv.weight, model.conv.bias, padding=1)
        v = model.fc.weight[classes].view(x.shape[0], *model.shape)
    if layer == "conv":
        return pre, v * (pre > 0)
    return pre.clamp_min(0), v


def definition(method: str, a: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    if method == "gradcam":
        return (g.mean(dim=(2, 3), keepdim=True) * a).sum(1)
    if method == "gradcam++":
        alpha = g**2 / (2 * g**2 + a.sum(dim=(2, 3), keepdim=True) * g**3)
        alpha = torch.nan_to_num(torch.where(g != 0, alpha, 0.0))
        return ((alpha * g.clamp_min(0)).sum(dim=(2, 3), keepdim=True) * a).sum(1)
    if method == "xgradcam":
        return (((g * a).sum(dim=(2, 3), keepdim=True) / a.sum(dim=(2, 3), keepdim=True)) * a).sum(1)
    if method == "hirescam":
        return (g * a).sum(1)
    if method == "layercam":
        return (g.clamp_min(0) * a).sum(1)
    raise AssertionError(method)


@pytest.mark.parametrize("layer", ["conv", "act"])
def test_gradcam_equals_closed_form(model_and_input, layer):
    model, x = model_and_input
    result = compute_cam(model, x, "gradcam", layer=layer)
    predicted = model(x).argmax(1)
    assert result.targets == predicted.tolist()
    a, g = closed_form(model, x, layer, predicted)
    expected = definition("gradcam", a, g)
    assert torch.allclose(result.raw, expected, atol=1e-5)
    relu = expected.clamp_min(0)
    scaled = relu / relu.flatten(1).amax(1).clamp_min(1e-12).view(-1, 1, 1)
    assert torch.allclose(result.heatmap, scaled, atol=1e-5)  # 5x5 input: no resizing
    peak = [divmod(int(i), 5) for i in scaled.flatten(1).argmax(1)]
    assert [tuple(p) for p in result.peaks] == [tuple(p) for p in peak]


@pytest.mark.parametrize("method", ["gradcam++", "xgradcam", "hirescam", "layercam"])
def test_gradient_methods_equal_their_definitions(model_and_input, method):
    model, x = model_and_input
    target = 2
    result = compute_cam(model, x, method, layer="act", target=target)
    a, g = closed_form(model, x, "act", torch.full((3,), target))
    assert result.targets == [target] * 3
    assert torch.allclose(result.raw, definition(method, a, g), atol=1e-4, rtol=1e-4)


def test_signed_map_keeps_evidence_against_the_class(model_and_input):
    model, x = model_and_input
    signed = compute_cam(model, x, "gradcam", layer="conv", target=1, signed=True)
    plain = compute_cam(model, x, "gradcam", layer="conv", target=1)
    a, g = closed_form(model, x, "conv", torch.full((3,), 1))
    expected = definition("gradcam", a, g)
    assert (expected < 0).any(), "fixture should have negative evidence somewhere"
    assert torch.allclose(signed.raw, expected, atol=1e-5)
    assert signed.heatmap.min() < 0 and signed.heatmap.abs().max() == pytest.approx(1.0)
    assert plain.heatmap.min() >= 0
    assert torch.equal((signed.heatmap > 0), (plain.heatmap > 0))


def test_eigencam_is_the_first_principal_component(model_and_input):
    model, x = model_and_input
    result = compute_cam(model, x, "eigencam", layer="act", signed=True)
    a, _ = closed_form(model, x, "act", torch.zeros(3, dtype=torch.long))
    for i in range(3):
        m = a[i].reshape(3, -1).T.double().numpy()
        m = m - m.mean(axis=0)
        _, _, vt = np.linalg.svd(m, full_matrices=False)
        proj = (m @ vt[0]).reshape(5, 5)
        got = result.raw[i].double().numpy()
        assert np.allclose(got, proj, atol=1e-4) or np.allclose(got, -proj, atol=1e-4)
        energy = a[i].sum(0).double().numpy()
        assert np.corrcoef(got.ravel(), energy.ravel())[0, 1] >= 0  # oriented like the activation


def test_scorecam_equals_its_definition_and_batching_does_not_change_it(model_and_input):
    model, x = model_and_input
    result = compute_cam(model, x[:1], "scorecam", layer="act", target=3, batch_size=2)
    single = compute_cam(model, x[:1], "scorecam", layer="act", target=3, batch_size=1)
    with torch.no_grad():
        a = F.conv2d(x[:1], model.conv.weight, model.conv.bias, padding=1).clamp_min(0)[0]
        base = model(torch.zeros_like(x[:1])).softmax(1)[0, 3]
        weights = []
        for k in range(a.shape[0]):
            m = a[k]
            m = (m - m.min()) / (m.max() - m.min()) if m.max() > m.min() else torch.zeros_like(m)
            weights.append(model(x[:1] * m).softmax(1)[0, 3] - base)
        expected = (torch.stack(weights).view(-1, 1, 1) * a).sum(0)
    assert torch.allclose(result.raw[0], expected, atol=1e-5)
    assert torch.allclose(single.raw, result.raw, atol=1e-6)


def test_scorecam_reports_progress_and_can_be_cancelled(model_and_input):
    import threading

    model, x = model_and_input
    calls = []
    compute_cam(model, x[:2], "scorecam", layer="act", batch_size=2, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (6, 6) and [d for d, _ in calls] == sorted(d for d, _ in calls)
    stop = threading.Event()
    stop.set()
    with pytest.raises(InterruptedError):
        compute_cam(model, x[:1], "scorecam", layer="act", cancel=stop)
    assert not model.conv._forward_hooks


def test_targets_true_any_and_named(model_and_input):
    from studio.core.errors import UserError

    model, x = model_and_input
    labels = torch.tensor([3, 0, 1])
    assert compute_cam(model, x, target="true", labels=labels).targets == [3, 0, 1]
    assert compute_cam(model, x, target=[1, 1, 2]).targets == [1, 1, 2]
    names = ["cat", "dog", "owl", "eel"]
    assert compute_cam(model, x, target="owl", class_names=names).targets == [2, 2, 2]
    with pytest.raises(UserError, match="out of range"):
        compute_cam(model, x, target=7)
    with pytest.raises(UserError, match="'yak'"):
        compute_cam(model, x, target="yak", class_names=names)
    with pytest.raises(UserError, match="true labels"):
        compute_cam(model, x, target="true")
