"""Studio: a desktop deep-learning experimentation studio.

`studio.core` holds everything that computes (graphs, data, training, explanations, export, audio)
and never imports Qt, so the same project trains on a headless GPU server. `studio.ui` is the thin
PySide6 layer over it. `studio.cli` is the headless command line.
"""

__version__ = "0.1.0"
