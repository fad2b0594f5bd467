#!/usr/bin/env bash
# Set up what the tests need (first run only) and run the whole test suite.
#   ./test.sh [PYTEST ARGS...]      e.g. ./test.sh tests/core -x
# GUI tests run in a virtual X screen (Xvfb) when no display is present.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/setup.sh test
export PYTHONUNBUFFERED=1
# Two worker processes (pytest-xdist) by default; tests that share the sound system are kept on
# one worker (tests/conftest.py). STUDIO_TEST_WORKERS=0 runs everything in this one process.
workers=${STUDIO_TEST_WORKERS:-2}
cmd=(.venv/bin/python -m pytest -p no:cacheprovider --durations=20)
if [ "$workers" != 0 ]; then cmd+=(-n "$workers" --dist loadgroup); fi
cmd+=("$@")
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
  exec xvfb-run -a -s "-screen 0 1600x1000x24" "${cmd[@]}"
fi
exec "${cmd[@]}"
