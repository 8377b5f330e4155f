#!/usr/bin/env bash
# Builds and runs the benchmark: bench/run.sh [PYTHON] [NOBJECTS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/install-deps.sh"
"$top/tools/build.sh" >/dev/null
python3 "$top/bench/run.py" "$top/build" "${1:-/usr/bin/python3.11}" "${2:-1000000}"
