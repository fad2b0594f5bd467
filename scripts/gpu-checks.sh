#!/usr/bin/env bash
# Everything that needs an NVIDIA GPU, in one go: the CUDA benchmarks and the gpu-marked tests.
#
#   scripts/gpu-checks.sh [OUT_DIR]        (default: $OUT, else ./gpu-results)
#
# Meant for a machine with CUDA and PyTorch but perhaps not the whole app (no PySide6): it runs
# from the source tree with PYTHONPATH, and writes one JSON file per benchmark plus the test log
# into OUT_DIR. Copy the figures into docs/performance.md with the date and the machine.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-${OUT:-gpu-results}}
mkdir -p "$out"
py=${PYTHON:-python3}
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1 STUDIO_OFFLINE=1

"$py" - <<'PY' | tee "$out/machine.txt"
import torch, platform
print("python", platform.python_version(), "torch", torch.__version__)
print("cuda", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "-")
PY

status=0
for bench in "train --device cuda" "cam" "export"; do
    name=$(echo "$bench" | cut -d' ' -f1)
    echo "== bench $bench"
    "$py" -m studio bench $bench --json > "$out/bench_$name.json" 2> "$out/bench_$name.err" || status=1
    tail -c 2000 "$out/bench_$name.json"; echo
done
echo "== gpu tests"
"$py" -m pytest -m gpu -q -p no:cacheprovider tests/core/train tests/core/explain tests/core/export \
    2>&1 | tee "$out/pytest_gpu.log" || status=1
exit $status
