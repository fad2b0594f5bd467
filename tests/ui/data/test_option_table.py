"""The options table the Data panel's form is built from agrees with the loaders: every kind has an
entry, and each whole-number option's range is the loader's own (one past either end is refused by
the loader with a message naming the option)."""

from __future__ import annotations

import pytest

from studio.core.data import dataset_names, load_dataset
from studio.core.data import options as table
from studio.core.errors import UserError


def test_every_dataset_kind_has_its_options_listed():
    assert set(table.DATASET_OPTIONS) == set(dataset_names())
    assert [o.key for o in table.options_for("folder")] == ["root", "image_size", "channels"]
    assert [o.key for o in table.options_for("text")] == ["path", "level", "context", "stride"]
    assert table.options_for("image_folder") == table.options_for("folder")  # the loader's alias
    assert [o.key for o in table.missing_required("csv", {})] == ["path"]
    assert table.missing_required("csv", {"path": "t.csv"}) == []
    assert "folder: root*, image_size, channels" in table.options_help()
    assert any(line.startswith("root (folder, required)") for line in table.describe_options("folder"))


GENERATED = ("digits", "shapes", "sequence", "sine", "text")


@pytest.mark.parametrize("name", GENERATED)
def test_whole_number_ranges_are_the_loaders(name):
    for option in table.options_for(name):
        if option.kind != table.INT or option.key == "seed":  # any seed is fine; the form keeps it positive
            continue
        for outside in (int(option.lo) - 1, int(option.hi) + 1):
            with pytest.raises(UserError, match=option.key):
                load_dataset({"dataset": name, "options": {option.key: outside}})


def test_choices_are_the_loaders():
    for name in GENERATED:
        for option in table.options_for(name):
            if option.kind == table.CHOICE:
                assert option.default in option.choices
                with pytest.raises(UserError):
                    load_dataset({"dataset": name, "options": {option.key: "no-such-choice"}})


def test_csv_columns_reads_the_header_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbfa, b ,label\n1,2,x\n")
    assert table.csv_columns(path) == ["a", "b", "label"]
    assert table.csv_columns(tmp_path / "missing.csv") == []
