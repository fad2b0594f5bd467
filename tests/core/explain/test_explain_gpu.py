"""CAM on CUDA: same maps as on the CPU, and a batch of 64 through a ResNet-18-sized network."""

from __future__ import annotations

import pytest
import torch
from explain_models import SmallCNN

from studio.core.explain import METHODS, compute_cam

pytestmark = pytest.mark.gpu
needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")


@needs_cuda
def test_cuda_maps_match_cpu_maps():
    torch.manual_seed(0)
    model = SmallCNN(inplace=True)
    x = torch.randn(4, 1, 16, 16)
    gpu_model = SmallCNN(inplace=True).cuda()
    gpu_model.load_state_dict(model.state_dict())
    for method in METHODS:
        cpu = compute_cam(model, x, method)
        gpu = compute_cam(gpu_model, x.cuda(), method)
        assert cpu.targets == gpu.targets
        assert torch.allclose(cpu.heatmap, gpu.heatmap, atol=1e-3), method


@needs_cuda
def test_resnet18_batch_of_64_on_cuda():
    import torchvision

    model = torchvision.models.resnet18(weights=None, num_classes=10).cuda()
    x = torch.randn(64, 3, 224, 224, device="cuda")
    result = compute_cam(model, x, "gradcam")
    assert result.layer == "layer4" and result.heatmap.shape == (64, 224, 224)
    assert not result.heatmap.is_cuda  # results come back on the CPU, ready to draw
