#!/usr/bin/env bash
# The main job in one command: installs what is needed, builds, starts the
# bundled demo service under the system python3 and scans it from outside.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/install-deps.sh"
scanner=$("$top/tools/build.sh")
fifo=$(mktemp -u /tmp/pyheapscan-demo.XXXXXX)
mkfifo "$fifo"
python3 "$top/fixtures/demo_service.py" > "$fifo" &
demo=$!
trap 'kill $demo 2>/dev/null; rm -f "$fifo"' EXIT
read -r ready < "$fifo"
echo "demo service (pid $demo): $ready"
echo "\$ pyheapscan -p $demo"
"$scanner" -p "$demo"
