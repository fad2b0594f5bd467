"""Silence the ONNX exporter, whose C++ side prints whole graphs to stderr when it fails.

The failure itself reaches us as an exception that we turn into a one-line message; the dump
would bury that message in the terminal. Python-level redirection does not catch C++ writes, so
the process's file descriptors 1 and 2 are pointed at a temporary file for the duration.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import tempfile
import warnings


@contextlib.contextmanager
def quiet_exporter():
    """Drop stdout/stderr output (Python and C++), warnings and log records up to WARNING for the duration."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, ValueError):
            pass
    saved: list[tuple[int, int]] = []
    sink = tempfile.TemporaryFile()
    try:
        for fd in (1, 2):
            try:
                saved.append((fd, os.dup(fd)))
                os.dup2(sink.fileno(), fd)
            except OSError:
                pass
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            logging.disable(logging.WARNING)
            yield
    finally:
        logging.disable(logging.NOTSET)
        for fd, copy in saved:
            os.dup2(copy, fd)
            os.close(copy)
        sink.close()
