"""PretrainedBackbone's weights download when the machine is offline, and which files a graph lacks.

The successful and the refused (sha256) downloads over HTTP are driven from the Train panel
(tests/ui/training/test_pretrained_weights_download.py); here the address nothing listens on.
"""

from __future__ import annotations

import pytest
import torch

from studio.core.errors import UserError
from studio.core.graph import blocks_pretrained
from studio.core.graph.blocks_pretrained import download_weights, missing_weights, weights_name
from studio.core.graph.model import Graph


@pytest.fixture(autouse=True)
def _no_weights_anywhere(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_PRETRAINED_DIR", str(tmp_path / "pretrained"))
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    monkeypatch.delenv("STUDIO_OFFLINE", raising=False)


def _graph(**params):
    return Graph.chain([("input", "Input", {"shape": [3, 32, 32]}),
                        ("backbone", "PretrainedBackbone", {"arch": "resnet18", **params})])


def test_offline_names_the_url_and_where_to_put_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv(blocks_pretrained.URL_ENV, "http://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(UserError, match="seems offline") as err:
        download_weights("resnet18")
    text = err.value.one_line()
    assert "http://127.0.0.1:9/resnet18-f37072fd.pth" in text
    assert f"into {tmp_path / 'pretrained'}" in text and "sha256 begins with f37072fd" in text
    folder = tmp_path / "pretrained"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_missing_weights_lists_what_a_download_would_fetch(tmp_path):
    assert missing_weights(_graph()) == ["resnet18"]
    assert missing_weights(_graph(random_init=True)) == []
    assert missing_weights(_graph(weights_file=str(tmp_path / "mine.pth"))) == []
    (tmp_path / "pretrained").mkdir()
    (tmp_path / "pretrained" / weights_name("resnet18")).write_bytes(b"there")
    assert missing_weights(_graph()) == []
