"""An explanation must leave no trace: modes, .grad, weights, statistics and hooks as they were."""

from __future__ import annotations

import pytest
import torch
from explain_models import ConvLinear, SmallCNN, seeded

from studio.core.errors import UserError
from studio.core.explain import METHODS, activation_maps, compute_cam, dead_units, visualise_feature


def no_hooks(model: torch.nn.Module) -> bool:
    return all(not m._forward_hooks and not m._forward_pre_hooks and not m._backward_hooks for m in model.modules())


def test_cam_mid_training_leaves_modes_grads_and_statistics_untouched():
    torch.manual_seed(0)
    model = SmallCNN()
    model.train()
    model.features[1].eval()  # a frozen batch norm: mixed modes must come back exactly
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(8, 1, 12, 12), torch.randint(0, 3, (8,))
    torch.nn.functional.cross_entropy(model(x), y).backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters()}
    weights = {n: t.clone() for n, t in model.state_dict().items()}
    modes = {n: m.training for n, m in model.named_modules()}
    for method in METHODS:
        compute_cam(model, x[:2], method)
    assert {n: m.training for n, m in model.named_modules()} == modes
    for n, p in model.named_parameters():
        assert torch.equal(p.grad, grads[n]), f"{n}.grad changed"
        assert p.requires_grad
    for n, t in model.state_dict().items():
        assert torch.equal(t, weights[n]), f"{n} changed (batch-norm statistics must not update)"
    assert no_hooks(model)
    opt.step()  # training goes on with the gradients it computed
    assert not torch.equal(model.fc.weight, weights["fc.weight"])


def test_other_explanations_leave_grads_and_modes_untouched():
    torch.manual_seed(0)
    model = SmallCNN().train()
    x = torch.randn(4, 1, 12, 12)
    model(x).sum().backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters()}
    activation_maps(model, x, "features.1")
    dead_units(model, x, "features.3")
    visualise_feature(model, "features.3", 2, (1, 12, 12), steps=3)
    assert model.training and model.drop.training
    assert all(torch.equal(p.grad, grads[n]) for n, p in model.named_parameters())
    assert no_hooks(model)


def test_eval_mode_is_used_so_dropout_does_not_change_the_map():
    torch.manual_seed(0)
    model = SmallCNN().train()
    x = torch.randn(2, 1, 12, 12)
    first = compute_cam(model, x, "gradcam")
    second = compute_cam(model, x, "gradcam")
    assert torch.equal(first.raw, second.raw)
    with torch.no_grad():
        expected = model.eval()(x).argmax(1).tolist()
    assert first.predicted == expected


@pytest.mark.parametrize("context", ["no_grad", "inference_mode"])
def test_works_under_the_callers_no_grad_or_inference_mode(context):
    model = seeded(ConvLinear())
    x = torch.randn(2, 2, 5, 5)
    reference = compute_cam(model, x, "gradcam", layer="conv")
    ctx = torch.no_grad() if context == "no_grad" else torch.inference_mode()
    with ctx:
        x_inner = x.clone()  # an inference tensor when made under inference_mode
        inside = compute_cam(model, x_inner, "gradcam", layer="conv")
    assert torch.allclose(inside.raw, reference.raw)
    assert inside.raw.abs().sum() > 0


def test_in_place_relu_gives_the_convolutions_own_map():
    plain = seeded(ConvLinear(inplace=False))
    inplace = ConvLinear(inplace=True)
    inplace.load_state_dict(plain.state_dict())
    x = torch.randn(3, 2, 5, 5)
    for method in ("gradcam", "hirescam", "layercam"):
        a = compute_cam(plain, x, method, layer="conv", signed=True)
        b = compute_cam(inplace, x, method, layer="conv", signed=True)
        assert torch.allclose(a.raw, b.raw, atol=1e-6), method
        if method == "gradcam":
            assert (b.raw < 0).any()  # pre-ReLU values reached the map: the in-place ReLU did not clobber them


def test_frozen_layers_are_explained_like_trainable_ones():
    model = seeded(ConvLinear())
    x = torch.randn(2, 2, 5, 5)
    reference = compute_cam(model, x, "gradcam++", layer="conv")
    for p in model.parameters():
        p.requires_grad_(False)
    frozen = compute_cam(model, x, "gradcam++", layer="conv")
    assert torch.allclose(frozen.raw, reference.raw)
    assert not any(p.requires_grad for p in model.parameters())


def test_hooks_and_modes_are_restored_when_the_call_fails():
    model = seeded(SmallCNN()).train()
    x = torch.randn(2, 1, 12, 12)
    with pytest.raises(UserError, match="out of range"):
        compute_cam(model, x, target=99)
    assert model.training and model.drop.training
    assert no_hooks(model)


def test_layer_mistakes_name_the_layer():
    model = seeded(SmallCNN())
    x = torch.randn(1, 1, 12, 12)
    with pytest.raises(UserError, match="'features.9'"):
        compute_cam(model, x, layer="features.9")
    with pytest.raises(UserError, match="'fc' has no spatial output"):
        compute_cam(model, x, layer="fc")
    with pytest.raises(UserError, match="unknown CAM method 'magic'"):
        compute_cam(model, x, method="magic")


def test_worker_threads_sharing_a_model_get_the_same_maps_as_one_caller():
    import threading

    model = seeded(SmallCNN())
    xs = [torch.randn(2, 1, 12, 12, generator=torch.Generator().manual_seed(i)) for i in range(4)]
    expected = [compute_cam(model, x, "gradcam").raw for x in xs]
    got: dict[int, torch.Tensor] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for _ in range(3):
                got[i] = compute_cam(model, xs[i], "gradcam").raw
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(torch.equal(got[i], expected[i]) for i in range(4))
    assert no_hooks(model)
