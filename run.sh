#!/usr/bin/env bash
# Set up Studio (first run only) and open the desktop app on the built-in example project.
#   ./run.sh [PROJECT.studio.json]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
scripts/setup.sh app
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "studio: no display found (DISPLAY is not set). Run this from a desktop session, or on a" >&2
  echo "        headless machine use the command line: .venv/bin/studio --help" >&2
  exit 1
fi
exec .venv/bin/python main.py "$@"
