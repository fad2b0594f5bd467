#!/usr/bin/env bash
# Set up everything Studio needs on a Debian/Ubuntu machine; safe to run again.
#
#   scripts/setup.sh [app|test]
#
#   app   system libraries for the app (Qt's xcb libraries, PortAudio, espeak-ng), a virtualenv in .venv,
#         Studio with its speech extra
#   test  the same plus what the tests use: Xvfb, xdotool, PulseAudio, sox, and the
#         dev extra (pytest, pytest-qt, import-linter, ...)
#
# System packages are installed with apt-get when run as root or with password-less sudo;
# otherwise the script names what is missing and the command that installs it.
# The Python part is skipped when pyproject.toml has not changed since the last install.
set -euo pipefail

mode=${1:-app}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

say() { printf '\033[1mstudio setup:\033[0m %s\n' "$*" >&2; }

app_pkgs=(python3 python3-venv python3-pip libportaudio2 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
          libxcb-image0 libxcb-render-util0 libxcb-xinerama0 libxcb-randr0 libxcb-shape0 libxcb-xkb1
          libxkbcommon-x11-0 libxkbcommon0 libegl1 libgl1 libdbus-1-3 libfontconfig1 fonts-dejavu-core
          espeak-ng)  # espeak-ng: the built-in spoken_digits data set is synthesised with it
test_pkgs=(xvfb xauth x11-utils xdotool pulseaudio pulseaudio-utils sox)

pkgs=("${app_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else sudo=none; fi
  if [ "${sudo[*]-}" = none ]; then
    say "missing system packages: ${missing[*]}"
    say "install them with: sudo apt-get install -y ${missing[*]}   (then run this again)"
    [ "$mode" = test ] || exit 1
  else
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
elif ! command -v dpkg-query >/dev/null 2>&1; then
  say "not a Debian/Ubuntu system: make sure PortAudio, Qt's xcb libraries and espeak-ng (and for tests Xvfb, PulseAudio) are installed"
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  say "creating the virtualenv .venv"
  "$python" -m venv .venv || { say "python3 -m venv failed: install python3-venv (apt-get install python3-venv)"; exit 1; }
fi

extras=speech
[ "$mode" = test ] && extras=speech,dev
stamp=.venv/.studio-installed
hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
installed=$(cat "$stamp" 2>/dev/null || true)
case "$installed" in
  "$hash $extras"|"$hash speech,dev") up_to_date=yes ;;
  *) up_to_date=no ;;
esac
if [ "$up_to_date" = no ]; then
  say "installing Studio and its Python packages into .venv (the first time downloads PyTorch: a few GB)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[$extras]"
  echo "$hash $extras" > "$stamp"
else
  say "Python packages are up to date"
fi
