"""Augmentation on device tensors: images change, and masks and boxes move with them."""

from __future__ import annotations

import torch

from studio.core.data import augment_batch, load_dataset


def _shapes():
    return load_dataset({"dataset": "shapes", "options": {"size": 32, "count": 60, "seed": 2}, "normalize": False})


def test_flip_mirrors_image_mask_and_box_together():
    b = _shapes()
    x, y = b.x_train[:16], {k: v[:16] for k, v in b.y_train.items()}
    g = torch.Generator().manual_seed(0)
    xa, ya = augment_batch(x, y, {"flip": True}, g)
    flipped = [i for i in range(16) if not torch.equal(xa[i], x[i])]
    assert 0 < len(flipped) < 16
    for i in flipped:
        assert torch.equal(xa[i], x[i].flip(-1)) and torch.equal(ya["mask"][i], y["mask"][i].flip(-1))
        assert torch.allclose(ya["box"][i], torch.stack([1 - y["box"][i, 2], y["box"][i, 1], 1 - y["box"][i, 0],
                                                         y["box"][i, 3]]))
    assert torch.equal(ya["label"], y["label"])


def test_shift_and_rotation_keep_the_box_around_the_mask():
    b = _shapes()
    x, y = b.x_train[:32], {k: v[:32] for k, v in b.y_train.items()}
    xa, ya = augment_batch(x, y, {"crop": 3, "rotation": 20}, torch.Generator().manual_seed(1))
    assert not torch.equal(xa, x)
    for i in range(32):
        ys, xs = torch.nonzero(ya["mask"][i], as_tuple=True)
        if len(xs) == 0:
            continue
        tight = torch.tensor([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]).float() / 32
        box = ya["box"][i]
        # the transformed box contains the transformed shape (to within a pixel)
        assert box[0] <= tight[0] + 1 / 32 and box[1] <= tight[1] + 1 / 32
        assert box[2] >= tight[2] - 1 / 32 and box[3] >= tight[3] - 1 / 32
        assert set(ya["mask"][i].unique().tolist()) <= {0, int(y["label"][i]) + 1}


def test_noise_is_seeded():
    b = _shapes()
    x = b.x_train[:4]
    a1, _ = augment_batch(x, {}, {"noise": 0.1}, torch.Generator().manual_seed(5))
    a2, _ = augment_batch(x, {}, {"noise": 0.1}, torch.Generator().manual_seed(5))
    assert torch.equal(a1, a2) and 0.05 < float((a1 - x).std()) < 0.15
