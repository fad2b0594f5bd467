"""The Train panel's GAN tab, fed with the events of a real GAN run (the MLP GAN template, 2 epochs on
the CPU): the tab shows for a GAN run and not for a supervised one, the grid is the newest epoch's 64
samples pixel for pixel, D(x)/D(G(z)) and the losses are the per-step values, the FID-like distance
has a point per epoch, and the mode-collapse banner follows the event's `collapse`."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from PySide6.QtGui import QColor
from ui_builders import make_project

from studio.core.project import load_project
from studio.core.resources import TEMPLATES
from studio.core.train.metrics_stream import iter_events
from studio.core.train.trainer import run_training


@pytest.fixture(scope="module")
def gan_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("gan") / "run"
    events: list[dict] = []
    final = run_training(load_project(TEMPLATES / "gan_mlp_digits.studio.json"), run_dir,
                         {"epochs": 2, "device": "cpu"}, emit=events.append)
    assert final["event"] == "done", final
    return run_dir, events


def feed(curves, events, batch: int = 4) -> None:
    """The events as the GUI's timer hands them over, a few at a time, then the GAN tab looked at
    (when there is one: its curves are drawn while it shows)."""
    for i in range(0, len(events), batch):
        curves.add_events(events[i:i + batch])
    curves.refresh()
    if curves.tabs.isTabVisible(curves.gan_tab):
        curves.tabs.setCurrentIndex(curves.gan_tab)


def newest_gan(events) -> dict:
    return [e for e in events if e["event"] == "gan"][-1]


def tile_pixels(view, event) -> None:
    """Every tile of the rendered grid against the event's samples, on a lattice of points per tile."""
    from studio.ui.training.gan_view import GAP_PX

    c, h, w = event["shape"]
    samples = np.asarray(event["samples"], dtype=np.uint8).reshape(-1, c, h, w)
    image = view.grid_image
    size = view.tile_size
    cols = event["columns"]
    rows = (len(samples) + cols - 1) // cols
    assert size >= 2 * h  # scaled up: 28-pixel digits are drawn at least twice as large
    assert (image.width(), image.height()) == (cols * (size + GAP_PX) + GAP_PX, rows * (size + GAP_PX) + GAP_PX)
    scale = size // h
    for i, sample in enumerate(samples):
        r, col = divmod(i, cols)
        x0, y0 = GAP_PX + col * (size + GAP_PX), GAP_PX + r * (size + GAP_PX)
        for sy in range(0, h, 3):
            for sx in range(0, w, 3):
                px = QColor(image.pixel(x0 + sx * scale + scale // 2, y0 + sy * scale + scale // 2))
                assert px.red() == int(sample[0, sy, sx]), (i, sy, sx)


def test_a_gan_run_shows_the_gan_tab_with_the_newest_grid(qtbot, train_panel, gan_run):
    _run_dir, events = gan_run
    curves = train_panel.curves
    assert not curves.tabs.isTabVisible(curves.gan_tab)
    feed(curves, events)
    assert curves.tabs.isTabVisible(curves.gan_tab)
    assert not curves.tabs.isTabVisible(curves.diffusion_tab)
    curves.tabs.setCurrentIndex(curves.gan_tab)
    view = curves.gan_view
    event = newest_gan(events)
    assert event["epoch"] == 2 and len(event["samples"]) == 64
    assert view.caption.text().startswith("Epoch 2: 64 samples")
    tile_pixels(view, event)
    assert "Recognised:" in view.figures.text() and "Diversity:" in view.figures.text()

    curves.reset()  # a new run: the tab goes with the old curves
    assert not curves.tabs.isTabVisible(curves.gan_tab)


def test_the_discriminator_curves_hold_every_steps_values(qtbot, train_panel, gan_run):
    _run_dir, events = gan_run
    curves = train_panel.curves
    feed(curves, events)
    steps = [e for e in events if e["event"] == "step"]
    want_x = np.concatenate([np.arange(e["first_step"], e["step"] + 1) for e in steps])
    view = curves.gan_view
    for key in ("d_real", "d_fake", "loss_d", "loss_g"):
        want = np.concatenate([np.asarray(e["series"][key], dtype=float) for e in steps])
        x, y = view.curve_data(key)
        assert len(y) == len(want) == len(want_x), key
        np.testing.assert_array_equal(x, want_x)
        np.testing.assert_allclose(y, want, rtol=1e-12, err_msg=key)
    assert view.half_line.value() == 0.5


def test_the_fid_like_curve_has_a_point_per_epoch(qtbot, train_panel, gan_run):
    _run_dir, events = gan_run
    feed(train_panel.curves, events)
    view = train_panel.curves.gan_view
    x, y = view.curve_data("fid")
    epochs = [e for e in events if e["event"] == "epoch"]
    assert list(x) == [1.0, 2.0]
    np.testing.assert_allclose(y, [e["val_fid_like"] for e in epochs])
    assert "lower is better" in view.fid_plot.getPlotItem().titleLabel.text


def test_the_collapse_banner_follows_the_events_warning(qtbot, train_panel, gan_run):
    _run_dir, events = gan_run
    curves = train_panel.curves
    feed(curves, events)
    curves.tabs.setCurrentIndex(curves.gan_tab)
    view = curves.gan_view
    assert not view.banner.isVisible()
    collapsed = copy.deepcopy(newest_gan(events))
    collapsed["epoch"] = 3
    collapsed["collapse"] = "mode collapse: the generated images are alike"
    collapsed["advice"] = ["give the discriminator noise on its inputs", "use different learning rates"]
    curves.add_events([collapsed])
    assert view.banner.isVisible()
    assert "mode collapse: the generated images are alike" in view.banner.headline.text()
    assert "use different learning rates" in view.banner.advice.text()
    healthy = copy.deepcopy(collapsed)
    healthy["epoch"], healthy["collapse"], healthy["advice"] = 4, None, []
    curves.add_events([healthy])
    assert not view.banner.isVisible()


def test_a_conditional_grid_names_each_rows_class(qtbot, train_panel, gan_run):
    _run_dir, events = gan_run
    event = copy.deepcopy(newest_gan(events))
    event["labels"] = [r for r in range(8) for _ in range(8)]
    event["class_names"] = [f"c{k}" for k in range(10)]
    train_panel.curves.add_events([event])
    view = train_panel.curves.gan_view
    assert view._row_labels == [f"c{k}" for k in range(8)]
    assert "left: the class asked for" in view.caption.text()
    event["labels"] = [i % 10 for i in range(64)]  # the trainer's cGAN grid: the classes across the rows
    event["epoch"] = 5
    train_panel.curves.add_events([event])
    assert view._row_labels is None and view._tile_labels[:11] == [f"c{k % 10}" for k in range(11)]
    assert "corner: the class asked for" in view.caption.text()


def test_opening_a_finished_run_shows_the_same(qtbot, train_panel, gan_run):
    run_dir, events = gan_run
    curves = train_panel.curves
    curves.add_events(list(iter_events(run_dir)))  # the whole file at once, as a replay hands it over
    curves.tabs.setCurrentIndex(curves.gan_tab)
    assert curves.tabs.isTabVisible(curves.gan_tab)
    tile_pixels(curves.gan_view, newest_gan(events))
    assert len(curves.gan_view.curve_data("fid")[0]) == 2
    assert len(curves.gan_view.curve_data("d_real")[1]) == sum(
        len(e["series"]["d_real"]) for e in events if e["event"] == "step")


def test_a_supervised_run_has_no_gan_tab(qtbot, train_panel, tmp_path):
    events: list[dict] = []
    run_training(make_project(layer_stats_every=0), tmp_path / "run", {"epochs": 1, "device": "cpu", "max_steps": 6},
                 emit=events.append)
    feed(train_panel.curves, events)
    assert any(e["event"] == "epoch" for e in events)
    assert not train_panel.curves.tabs.isTabVisible(train_panel.curves.gan_tab)
    assert train_panel.curves.gan_view.curve_data("d_real")[1].size == 0


def test_the_step_curves_decimation_keeps_every_peak_of_a_long_run():
    from studio.ui.training.gan_view import PeakCache

    rng = np.random.default_rng(0)
    x = np.arange(1, 100_001, dtype=float)
    y = rng.random(x.size)
    y[[777, 54_321]] = (-5.0, 7.0)  # a dip and a spike
    cache = PeakCache()
    for n in (5_000, 20_000, 20_050, 60_000, 100_000):  # the run grows between redraws
        dx, dy = cache.get(x[:n], y[:n], 800)
        assert dx.size <= 4 * 800 + cache.per
        assert np.all(np.diff(dx) > 0) and dx[-1] == n and dy[-1] == y[n - 1]
        assert dy.min() == y[:n].min() and dy.max() == y[:n].max()
    assert -5.0 in dy and 7.0 in dy


def class_figures_shown(curves) -> tuple[bool, bool]:
    """(the Accuracy plot, the Confusion tab) as the user finds them."""
    tabs = curves.tabs
    confusion = next(i for i in range(tabs.count()) if tabs.tabText(i) == "Confusion")
    return curves.metric_plot.isVisibleTo(curves), tabs.isTabVisible(confusion)


def test_gan_and_diffusion_runs_hide_the_accuracy_plot_and_the_confusion_tab(qtbot, train_panel, gan_run, tmp_path):
    """A GAN and a denoiser measure no accuracy and no confusion matrix: replaying their runs hides
    the Accuracy plot (the loss takes the row) and the Confusion tab; a classifier's run after them
    has both again, drawn."""
    curves = train_panel.curves
    assert class_figures_shown(curves) == (True, True)
    loss_width = curves.loss_plot.width()
    feed(curves, gan_run[1])
    assert class_figures_shown(curves) == (False, False)
    qtbot.waitUntil(lambda: curves.loss_plot.width() > 1.3 * loss_width, timeout=2_000)
    curves.reset()
    assert class_figures_shown(curves) == (True, True)
    events: list[dict] = []
    run_training(load_project(TEMPLATES / "ddpm_digits.studio.json"), tmp_path / "ddpm",
                 {"epochs": 1, "device": "cpu", "max_steps": 3, "layer_stats_every": 0}, emit=events.append)
    feed(curves, events)
    assert curves.tabs.isTabVisible(curves.diffusion_tab)
    assert class_figures_shown(curves) == (False, False)
    curves.reset()
    events = []
    run_training(make_project(layer_stats_every=0), tmp_path / "mlp", {"epochs": 1, "device": "cpu", "max_steps": 6},
                 emit=events.append)
    curves.show_figures(False, False)  # a wrong guess: the classifier's epoch brings them back
    feed(curves, events)
    assert class_figures_shown(curves) == (True, True)
    assert curves.val_acc.getData()[1].size == 1 and curves.series.confusion is not None


def test_the_train_panel_hides_them_before_the_first_event(qtbot, train_panel, state, tmp_path, monkeypatch):
    """Opening a project, and pressing Start, the panel tells the curves what the graph trains, so a
    denoiser's first epoch (its first `diffusion` event comes at the epoch's end) shows no empty
    Accuracy plot either."""
    curves = train_panel.curves
    state.replace(load_project(TEMPLATES / "ddpm_digits.studio.json"), None)
    assert class_figures_shown(curves) == (False, False)
    curves.reset()
    assert class_figures_shown(curves) == (True, True)
    started = []
    monkeypatch.setattr(train_panel.controller, "start", lambda *args, **kwargs: started.append(args))  # no worker
    train_panel.start_training(tmp_path / "run", cheap_checks=False)
    assert started and class_figures_shown(curves) == (False, False)
    state.replace(load_project(TEMPLATES / "cgan_digits.studio.json"), None)
    assert class_figures_shown(curves) == (False, False)
    state.replace(load_project(TEMPLATES / "transformer_lm.studio.json"), None)
    assert class_figures_shown(curves) == (True, False), "an accuracy per token, no confusion matrix"
    state.replace(make_project(), None)
    assert class_figures_shown(curves) == (True, True)
    from studio.ui.training.curves import class_figures

    assert {t: class_figures(load_project(TEMPLATES / f"{t}.studio.json").graph)
            for t in ("gan_mlp_digits", "dcgan_digits", "ddpm_digits", "siamese_embedding", "multitask")} == {
        "gan_mlp_digits": (False, False), "dcgan_digits": (False, False), "ddpm_digits": (False, False),
        "siamese_embedding": (False, False), "multitask": (True, True)}
