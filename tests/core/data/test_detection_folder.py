"""`detection_folder`: YOLO and COCO labels written from shapes_multi samples read back as the same
boxes; every kind of bad input named with its file and line (or annotation), never a crash."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from PIL import Image

from studio.core.data import load_dataset
from studio.core.data.detection_folder import load_detection_folder
from studio.core.data.shapes_multi import load_shapes_multi
from studio.core.errors import UserError

SIZE = 32
NAMES = ["circle", "square", "triangle"]


@pytest.fixture(scope="module")
def source():
    raw = load_shapes_multi({"size": SIZE, "count": 6, "min_objects": 0, "max_objects": 3, "seed": 3})
    return raw


def _save_images(raw, folder):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(raw.x.shape[0]):
        pixels = (raw.x[i, 0].numpy() * 255).round().astype(np.uint8)
        path = folder / f"img{i:02d}.png"
        Image.fromarray(pixels, "L").save(path)
        paths.append(path)
    return paths


def _write_yolo(raw, root):
    _save_images(raw, root / "images")
    (root / "labels").mkdir()
    for i in range(raw.x.shape[0]):
        lines = []
        for c, x0, y0, x1, y1 in raw.y["boxes"][i].tolist():
            if c >= 0:
                lines.append(f"{int(c)} {(x0 + x1) / 2:.6f} {(y0 + y1) / 2:.6f} {x1 - x0:.6f} {y1 - y0:.6f}")
        (root / "labels" / f"img{i:02d}.txt").write_text("\n".join(lines) + ("\n" if lines else ""))
    (root / "classes.txt").write_text("\n".join(NAMES) + "\n")
    return root


def _write_coco(raw, root):
    _save_images(raw, root / "images")
    images, annotations = [], []
    for i in range(raw.x.shape[0]):
        images.append({"id": 100 + i, "file_name": f"img{i:02d}.png", "width": SIZE, "height": SIZE})
        for c, x0, y0, x1, y1 in raw.y["boxes"][i].tolist():
            if c >= 0:
                annotations.append({"id": len(annotations) + 1, "image_id": 100 + i, "category_id": 7 + int(c),
                                    "bbox": [x0 * SIZE, y0 * SIZE, (x1 - x0) * SIZE, (y1 - y0) * SIZE]})
    categories = [{"id": 7 + k, "name": n} for k, n in enumerate(NAMES)]
    (root / "annotations.json").write_text(json.dumps({"images": images, "annotations": annotations,
                                                       "categories": categories}, indent=1))
    return root


def _same_boxes(raw, got):
    want = raw.y["boxes"]
    for i in range(want.shape[0]):
        a = want[i][want[i, :, 0] >= 0]
        b = got.y["boxes"][i][got.y["boxes"][i, :, 0] >= 0]
        assert a.shape == b.shape, i
        assert torch.allclose(a, b, atol=1e-5), (a, b)
    assert torch.equal(got.y["count"], raw.y["count"])


def test_yolo_folder_gives_the_source_boxes(tmp_path, source):
    root = _write_yolo(source, tmp_path / "yolo")
    got = load_detection_folder({"root": str(root), "image_size": SIZE})
    assert got.task == "detection" and got.class_names == NAMES and got.targets["boxes"].num_classes == 3
    assert got.x.shape == (6, 1, SIZE, SIZE)
    assert torch.allclose(got.x, source.x, atol=1 / 255 + 1e-6)  # the same pixels, 8-bit rounding
    _same_boxes(source, got)
    assert (got.y["count"] == 0).any()  # an empty label file: an image with no objects
    bundle = load_dataset({"dataset": "detection_folder", "options": {"root": str(root), "image_size": SIZE}})
    assert bundle.y_train["boxes"].shape[1:] == (3, 5)


def test_coco_file_gives_the_source_boxes(tmp_path, source):
    root = _write_coco(source, tmp_path / "coco")
    got = load_detection_folder({"root": str(root), "image_size": SIZE, "channels": 3})
    assert got.class_names == NAMES and got.x.shape == (6, 3, SIZE, SIZE)
    _same_boxes(source, got)
    also = load_detection_folder({"root": str(root / "annotations.json"), "format": "coco", "image_size": SIZE})
    assert torch.equal(also.y["boxes"], got.y["boxes"])


def test_names_from_a_plain_text_data_yaml(tmp_path, source):
    root = _write_yolo(source, tmp_path / "yolo")
    (root / "classes.txt").unlink()
    (root / "data.yaml").write_text("path: .\nnames:\n  0: circle\n  1: square\n  2: 'triangle'\n")
    assert load_detection_folder({"root": str(root), "image_size": SIZE}).class_names == NAMES
    (root / "data.yaml").write_text("names: [circle, square, \"triangle\"]  # three\n")
    assert load_detection_folder({"root": str(root), "image_size": SIZE}).class_names == NAMES


def _refused(options, *words):
    with pytest.raises(UserError) as info:
        load_detection_folder(options)
    text = info.value.one_line()
    for w in words:
        assert w in text, text
    return text


@pytest.mark.parametrize("line, words", [
    ("0 0.5 0.5 0.2", ("img00.txt line 2", "five numbers")),
    ("0 0.5 nan 0.2 0.2", ("img00.txt line 2", "five numbers")),
    ("5 0.5 0.5 0.2 0.2", ("img00.txt line 2", "class 5 is not one of the 3 classes")),
    ("1.5 0.5 0.5 0.2 0.2", ("img00.txt line 2", "not a whole number")),
    ("0 1.5 1.5 0.2 0.2", ("img00.txt line 2", "wholly outside the image")),
    ("0 0.5 0.5 0 0.2", ("img00.txt line 2", "width and height must be above 0")),
])
def test_bad_yolo_lines_are_named(tmp_path, source, line, words):
    root = _write_yolo(source, tmp_path / "yolo")
    (root / "labels" / "img00.txt").write_text("0 0.5 0.5 0.2 0.2\n" + line + "\n")
    _refused({"root": str(root)}, *words)


def test_a_box_across_the_edge_is_clipped_and_noted(tmp_path, source):
    root = _write_yolo(source, tmp_path / "yolo")
    (root / "labels" / "img00.txt").write_text("2 0.95 0.5 0.2 0.2\n")
    got = load_detection_folder({"root": str(root), "image_size": SIZE})
    assert got.y["boxes"][0, 0].tolist() == pytest.approx([2, 0.85, 0.4, 1.0, 0.6])
    assert "1 box(es) crossing the image's edge clipped" in got.notes and "img00.txt line 1" in got.notes


def test_missing_labels_orphans_and_unreadable_images_are_named(tmp_path, source):
    root = _write_yolo(source, tmp_path / "yolo")
    (root / "labels" / "img03.txt").unlink()
    _refused({"root": str(root)}, "img03.png has no label file", "empty .txt")
    (root / "labels" / "img03.txt").write_text("")
    (root / "labels" / "extra.txt").write_text("0 0.5 0.5 0.1 0.1\n")
    _refused({"root": str(root)}, "extra.txt has no image")
    (root / "labels" / "extra.txt").unlink()
    (root / "images" / "img04.png").write_bytes(b"not a picture at all")
    _refused({"root": str(root)}, "img04.png")
    _refused({"root": str(tmp_path / "nowhere")}, "does not exist")
    _refused({"root": str(root), "format": "voc"}, "format='voc'")


def test_bad_coco_annotations_are_named(tmp_path, source):
    root = _write_coco(source, tmp_path / "coco")
    path = root / "annotations.json"
    good = json.loads(path.read_text())

    def write(change):
        data = json.loads(json.dumps(good))
        change(data)
        path.write_text(json.dumps(data))

    write(lambda d: d["annotations"][0].update(category_id=99))
    _refused({"root": str(root)}, "annotations[0] (id 1)", "category_id 99 is not one of the categories",
             "7 circle")
    write(lambda d: d["annotations"][1].update(bbox=[1, 2, 3]))
    _refused({"root": str(root)}, "annotations[1]", "not [x, y, width, height]")
    write(lambda d: d["annotations"][0].update(bbox=[SIZE + 5, 1, 4, 4]))
    _refused({"root": str(root)}, "annotations[0]", "wholly outside the image")
    write(lambda d: d["images"][2].update(file_name="gone.png"))
    _refused({"root": str(root)}, "images[2] (id 102) names gone.png")
    write(lambda d: None)
    (root / "images" / "img01.png").write_bytes(b"\x89PNG broken")
    _refused({"root": str(root)}, "img01.png")
    path.write_text('{"images": [\n  {"id": 1,,}\n]}')
    _refused({"root": str(root)}, "annotations.json line 2", "not valid JSON")
