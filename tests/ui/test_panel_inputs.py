"""Panels declare what they take from outside the window, and the window routes by that alone."""

from __future__ import annotations

from pathlib import Path

from studio.ui import drops
from studio.ui.panels import PANELS
from studio.ui.panels.inputs import Incoming, Input, TakesInputs, takers

ROUTED_KINDS = (drops.RUN, drops.ONNX, drops.IMAGE, drops.WAV)


def test_every_kind_a_drop_can_be_has_one_panel_that_shows_it():
    for kind in ROUTED_KINDS:
        declared = [(cls.KEY, cls.takes(kind)) for cls in PANELS if issubclass(cls, TakesInputs) and cls.takes(kind)]
        showing = [key for key, d in declared if d.shows]
        assert len(showing) == 1, f"{kind}: panels that come to the front: {showing}"


def test_a_panel_that_declares_an_input_receives_it():
    for cls in PANELS:
        if issubclass(cls, TakesInputs) and cls.INPUTS:
            assert cls.receive is not TakesInputs.receive, f"{cls.__name__} declares inputs it cannot receive"


def test_routing_follows_the_declarations_of_any_panel():
    """A panel the window has never heard of takes WAV files by declaring it, nothing else."""

    class Listener(TakesInputs):
        KEY = "listener"
        INPUTS = (Input(drops.WAV, shows=False),)

        def __init__(self):
            self.got: list[Incoming] = []

        def receive(self, item: Incoming) -> bool:
            self.got.append(item)
            return True

    class Deaf(TakesInputs):
        KEY = "deaf"

    listener, deaf = Listener(), Deaf()
    found = takers({"deaf": deaf, "listener": listener, "plain": object()}, drops.WAV)
    assert [(p, d.shows) for p, d in found] == [(listener, False)]
    assert takers({"listener": listener}, drops.ONNX) == []
    item = Incoming(drops.WAV, Path("a.wav"))
    assert found[0][0].receive(item) and listener.got == [item]
