"""The live curves: smoothing over raw, NaN marks, log scale, decimation, hover, overlay, export."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from ui_builders import make_project

from studio.core.recipe.smoothing import debiased_ema
from studio.core.train.run_folder import read_metrics
from studio.core.train.trainer import run_training
from studio.ui.training.curves import UPDATE_RATIO_GUIDE, CurvesView
from studio.ui.training.series import peak_decimate


@pytest.fixture(scope="module")
def real_events(tmp_path_factory):
    """The events of one real (tiny) training, as the worker streams them."""
    run = tmp_path_factory.mktemp("curves") / "run"
    run_training(make_project(epochs=3, layer_stats_every=5), run)
    return read_metrics(run)


@pytest.fixture
def view(qtbot):
    v = CurvesView()
    qtbot.addWidget(v)
    v.resize(1200, 800)
    v.show()
    return v


def test_real_run_draws_loss_metrics_lr_grad_ratios_and_confusion(view, real_events):
    view.add_events(real_events)
    assert view.refresh()
    s = view.series
    steps = int(sum(len(e["losses"]) for e in real_events if e["event"] == "step"))
    assert s.step.n == steps and len(view.raw_loss.xData) == steps
    assert len(view.val_loss.xData) == 3 and len(view.val_acc.yData) == 3
    assert view.val_acc.yData[-1] > 0.5
    assert len(view.lr_curve.yData) == steps and np.all(view.grad_curve.yData > 0)
    assert set(view.ratio_curves) >= {"fc1.weight", "out.weight"}
    ratios = view.ratio_curves["fc1.weight"].yData
    assert np.all(np.isfinite(ratios)) and np.all(ratios < 0)  # log10 of a small ratio
    assert any(getattr(i, "value", lambda: None)() == UPDATE_RATIO_GUIDE for i in view.ratio_plot.getPlotItem().items)
    assert view.dist_layer.count() >= 4 and len(view.dist_mean.xData) > 0
    cm = np.asarray(view.series.confusion)
    assert cm.shape == (10, 10) and cm.sum() == real_events[0]["dataset"]["n_val"]
    assert view.confusion_image.image.shape == (10, 10)
    assert not view.refresh()  # nothing new: nothing redrawn


def test_distributions_show_weight_and_gradient_histograms_over_time(view, real_events):
    view.add_events(real_events)
    view.refresh()
    layers = [e for e in real_events if e["event"] == "layers"]
    assert layers and all("weight_hist" in r and "grad_hist" in r for r in layers[0]["layers"])
    view.tabs.setCurrentIndex(view.tabs.indexOf(view.dist_plot.parentWidget()))
    view.dist_layer.setCurrentText("fc1.weight")
    for kind in ("weight", "grad"):
        view.dist_kind.setCurrentIndex(view.dist_kind.findData(kind))
        img = view.dist_image.image
        assert img is not None and img.shape[0] == len(layers)  # one column per layers event
        last = next(r for r in layers[-1]["layers"] if r["name"] == "fc1.weight")
        # colour is log(1 + count); each column holds the whole tensor (64*32 values)
        assert np.allclose(np.expm1(img).sum(axis=1), sum(last[f"{kind}_hist"]))
        lo, hi = last[f"{kind}_range"]
        x, y = view.dist_latest.getData()
        assert list(y) == last[f"{kind}_hist"] and x[0] == pytest.approx(lo) and x[-1] == pytest.approx(hi)
        rect = view.dist_image.boundingRect()
        assert rect.width() > 0 and not view._bands[0][3].isVisible()
    # the heat map is redrawn only when a layers event came in
    key = view._dist_key
    view.add_events([{"event": "step", "step": 10_000, "losses": [0.1], "grad_norms": [1.0], "lrs": [1e-3]}])
    view.refresh()
    assert view._dist_key == key


def test_runs_recorded_before_histograms_fall_back_to_sigma_bands(view, real_events):
    old = [dict(e, layers=[{k: v for k, v in r.items() if "hist" not in k and "range" not in k}
                           for r in e["layers"]]) if e["event"] == "layers" else e for e in real_events]
    view.add_events(old)
    view.refresh()
    view.dist_layer.setCurrentText("fc1.weight")
    assert view.dist_image.image is None and len(view._bands[0][1].xData) > 0 and view._bands[0][3].isVisible()


def test_smoothing_is_tensorboards_debiased_ema_and_the_slider_recomputes(view, real_events):
    view.add_events(real_events)
    view.set_smoothing(0.9)
    raw = view.series.loss.values
    np.testing.assert_allclose(view.smooth_loss.yData, debiased_ema(raw, 0.9), rtol=1e-9)
    assert view.smooth_loss.yData[0] == pytest.approx(raw[0])  # starts on the data, not at zero
    view.set_smoothing(0.0)
    np.testing.assert_allclose(view.smooth_loss.yData, raw)


def test_streamed_chunks_smooth_the_same_as_the_whole(view, real_events):
    steps = [e for e in real_events if e["event"] == "step"]
    view.add_events([real_events[0]])
    for e in steps:
        view.add_events([e])
        view.refresh()
    whole = debiased_ema(view.series.loss.values, view._smooth_weight)
    np.testing.assert_allclose(view.smooth_loss.yData, whole, rtol=1e-9)


def test_nan_and_inf_losses_are_marked_not_smoothed(view):
    view.add_events([{"event": "start", "epochs": 1, "steps_per_epoch": 6},
                     {"event": "step", "first_step": 1, "step": 6, "epoch": 1,
                      "losses": [2.0, 1.5, None, 1.2, float("inf"), 1.0], "grad_norms": [1] * 6, "lrs": [0.1] * 6}])
    view.refresh()
    xs, _ys = view.nan_marks.getData()
    assert list(xs) == [3, 5]
    assert math.isnan(view.raw_loss.yData[2]) and math.isnan(view.smooth_loss.yData[4])
    assert np.isfinite(view.smooth_loss.yData[5])  # the average goes on after the bad points


def test_log_scale_toggle(view, real_events):
    view.add_events(real_events)
    view.refresh()
    view.log_scale.setChecked(True)
    assert view.loss_plot.getPlotItem().ctrl.logYCheck.isChecked()
    view.log_scale.setChecked(False)
    assert not view.loss_plot.getPlotItem().ctrl.logYCheck.isChecked()


def test_100k_points_are_decimated_to_the_view_but_keep_spikes(view):
    n = 100_000
    loss = np.full(n, 0.5)
    loss[77_777] = 9.0
    view.add_events([{"event": "start", "epochs": 1, "steps_per_epoch": n},
                     {"event": "step", "first_step": 1, "step": n, "epoch": 1, "losses": loss.tolist(),
                      "grad_norms": [1.0] * n, "lrs": [1e-3] * n}])
    view.set_smoothing(0.0)
    view.refresh(force=True)
    drawn = view.raw_loss.yData
    assert len(drawn) < 10_000
    assert drawn.max() == 9.0 and view.raw_loss.xData[np.argmax(drawn)] == 77_778
    x, y = peak_decimate(np.arange(n, dtype=float), loss, 500)
    assert len(x) <= 1000 and y.max() == 9.0 and y.min() == 0.5
    # Zoomed in, the view gets the raw points of that range only.
    vb = view.loss_plot.getPlotItem().vb
    vb.setXRange(77_700, 77_800, padding=0)
    assert view.raw_loss.xData.min() >= 77_690 and view.raw_loss.xData.max() <= 77_812


def test_hover_reads_out_values_at_the_mouse(view, real_events):
    view.add_events(real_events)
    view.refresh()
    text = view.loss_hover.show_at(10.2)
    assert text.startswith("step 10")
    i = int(np.searchsorted(view.raw_loss.xData, 10))
    assert f"{view.raw_loss.yData[i]:.4g}" in text


def test_overlay_of_an_earlier_run_draws_dashed_curves(view, real_events):
    from studio.ui.training.series import RunSeries

    earlier = RunSeries()
    earlier.add_events(real_events)
    view.set_overlay(earlier, "earlier")
    assert len(view.overlay_val.yData) == 3
    view.set_overlay(None)
    assert view.overlay_val.yData is None or len(view.overlay_val.yData) == 0


def test_export_png_and_csv(view, real_events, tmp_path):
    view.add_events(real_events)
    view.refresh()
    png = view.save_png(tmp_path / "curves.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    files = view.save_csv(tmp_path / "csv")
    names = sorted(p.name for p in files)
    assert names == ["curves_epochs.csv", "curves_layers.csv", "curves_steps.csv"]
    rows = list(csv.DictReader(open(tmp_path / "csv" / "curves_epochs.csv")))
    assert [int(r["epoch"]) for r in rows] == [1, 2, 3]
    first_epoch = next(e for e in real_events if e["event"] == "epoch")
    assert float(rows[0]["val_loss"]) == pytest.approx(first_epoch["val_loss"], rel=1e-6)
    steps = list(csv.DictReader(open(tmp_path / "csv" / "curves_steps.csv")))
    assert len(steps) == view.series.step.n


def test_verdict_marker_points_at_the_epoch(view, real_events):
    view.add_events(real_events)
    view.refresh()
    view.mark_epoch(2, "overfitting")
    epoch2_step = next(e["step"] for e in real_events if e["event"] == "epoch" and e["epoch"] == 2)
    assert view._marker == epoch2_step
    view.mark_epoch(None)
    assert view._marker is None
