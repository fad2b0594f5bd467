"""The one verdict banner in its two looks: a check's result (tinted, hidden until there is one) and
the training curves' running verdict (edged, in the verdict's colour)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from studio.core.recipe.diagnosis import Verdict
from studio.ui.common.widgets import VerdictBanner
from studio.ui.training.recipe_view import DIAGNOSIS_COLORS, show_diagnosis


def on_a_page(qtbot, banner: VerdictBanner) -> QWidget:
    page = QWidget()
    QVBoxLayout(page).addWidget(banner)
    qtbot.addWidget(page)
    page.show()
    return page


def test_a_check_verdict_shows_its_mark_and_text_and_goes_away_on_clear(qtbot):
    banner = VerdictBanner()
    page = on_a_page(qtbot, banner)
    assert not banner.isVisibleTo(page) and banner.state() == ""  # nothing checked yet: nothing shown
    banner.show_verdict("fail", "FAIL", "max abs diff 3.1e-02 > 1e-04", "Saved to /tmp/m.onnx")
    assert banner.isVisible() and banner.state() == "fail"
    assert banner.mark.text() == "FAIL" and banner.mark.isVisible()
    assert banner.headline.text() == "max abs diff 3.1e-02 > 1e-04"
    assert not banner.advice.isVisible()  # no advice given: no empty line
    banner.clear()
    assert banner.isHidden() and banner.state() == ""


def test_the_curves_verdict_reads_in_its_colour_with_the_epoch_and_the_remedies(qtbot):
    banner = VerdictBanner(edged=True)
    page = on_a_page(qtbot, banner)
    verdict = Verdict("overfitting", "regularise", "validation loss rose for 3 epochs", epoch=4,
                      actions=["more data", "dropout"])
    show_diagnosis(banner, verdict)
    assert banner.isVisibleTo(page) and banner.state() == "overfitting"
    assert not banner.mark.isVisible()  # a running verdict has no PASS/FAIL mark
    color = DIAGNOSIS_COLORS["overfitting"]
    assert color in banner.headline.text() and verdict.title in banner.headline.text()
    assert "since epoch 4" in banner.headline.text()
    assert color in banner.styleSheet()  # the card's edge
    assert banner.detail.text() == "validation loss rose for 3 epochs"
    assert "<li>more data</li>" in banner.advice.text() and "<li>dropout</li>" in banner.advice.text()
    show_diagnosis(banner, Verdict("diverging", "lower the learning rate"))
    assert DIAGNOSIS_COLORS["diverging"] in banner.styleSheet()
    assert not banner.detail.isVisible()  # no evidence for this one
