"""Every user-visible string goes through Qt's translation: the pt-BR start shows in the window."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

from PySide6.QtWidgets import QApplication

from studio.core.resources import resource_path
from studio.ui.app import install_translations


def test_pt_br_translation_renames_menus_and_panels(launch):
    app = QApplication.instance()
    translators = install_translations(app, "pt_BR")
    try:
        assert translators, "studio_pt_BR.qm ships and loads"
        window = launch()
        titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
        assert titles == ["Arquivo", "Editar", "Exibir", "Ajuda"]
        assert window.docks["build"].windowTitle() == "Montar"
        assert window.docks["train"].windowTitle() == "Treinar"
        assert window.panels["train"].fact_texts()["Tamanho do lote"] == "64"
        schedule = window.panels["train"].form.schedule
        assert (schedule.currentText(), schedule.currentData()) == ("constante", "constant")
        assert "ainda não salvo" in window.windowTitle()
        palette = window.panels["build"].palette
        groups = [palette.tree.topLevelItem(i).text(0) for i in range(palette.tree.topLevelItemCount())]
        assert "Convolução" in groups and "Convolution" not in groups
        palette.search.setText("convolução")  # the shown category name finds its blocks
        assert not palette.items["Conv2d"].isHidden()
    finally:
        for translator in translators:
            app.removeTranslator(translator)


def test_unknown_locale_stays_english(launch):
    assert install_translations(QApplication.instance(), "xx_YY") == []
    window = launch()
    assert window.menuBar().actions()[0].text() == "&File"


def test_translation_source_lists_every_string_of_the_ui(tmp_path):
    """The shipped .ts is current: lupdate over all of studio/ui finds no string it lacks."""
    from ui_env import REPO

    lupdate = REPO / ".venv" / "bin" / "pyside6-lupdate"
    if not lupdate.exists():
        import shutil

        lupdate = shutil.which("pyside6-lupdate")
    assert lupdate, "pyside6-lupdate comes with PySide6"
    shipped = resource_path("translations", "studio_pt_BR.ts")
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (REPO / "studio" / "ui").rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh), "-locations", "none"], check=True,
                   capture_output=True, timeout=120)

    def strings(path):
        root = ET.parse(path).getroot()
        return {(c.findtext("name"), m.findtext("source")) for c in root.iter("context") for m in c.iter("message")}

    missing = strings(fresh) - strings(shipped)
    assert not missing, f"run the lupdate command in docs/user-guide.md; new strings: {sorted(missing)[:5]}"


def test_translations_keep_every_placeholder_tag_and_mnemonic():
    """A lost {name} or %n shows a raw or missing value (or raises in str.format); a lost tag breaks markup."""
    import re
    from collections import Counter

    tokens = re.compile(r"\{[^{}]*\}|%n|%L?\d|</?[a-zA-Z][^>]*>")

    def shape(text):
        return (Counter(tokens.findall(text)), text.replace("&&", "").count("&"),
                text[:1].isspace(), text[-1:].isspace(), text.count("\n"))

    root = ET.parse(resource_path("translations", "studio_pt_BR.ts")).getroot()
    broken = []
    for context in root.iter("context"):
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if translation.get("type") in ("unfinished", "vanished", "obsolete"):
                continue
            forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
            broken += [(context.findtext("name"), source, form) for form in forms if shape(form) != shape(source)]
    assert not broken, f"translations that differ from their source in placeholders, tags, '&' or spacing: {broken[:5]}"
