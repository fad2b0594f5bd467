"""The block catalogue is filled once, whichever thread asks first (issue 19: a race at first use)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

FIRST_USE_FROM_8_THREADS = textwrap.dedent("""
    import threading
    from studio.core.graph.registry import all_blocks, get_block

    barrier = threading.Barrier(8)
    errors = []

    def look_up():
        barrier.wait()  # all eight ask at the same moment, before anything is registered
        try:
            get_block("Conv2d")
        except Exception as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=look_up) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(len(errors), len(all_blocks()))
""")


def test_eight_threads_at_first_use_all_find_the_block():
    # a fresh interpreter each time: the catalogue loads once per process; the three run side by side
    procs = [subprocess.Popen([sys.executable, "-c", FIRST_USE_FROM_8_THREADS], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        failed, blocks = map(int, stdout.split())
        assert failed == 0, f"{failed} of 8 threads got 'unknown block'"
        assert blocks >= 45
