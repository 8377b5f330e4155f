#!/usr/bin/env bash
# Builds pyheapscan into build/ (and, with --sanitize, into build-sanitize/
# with ASan and UBSan).  usage: tools/build.sh [--sanitize]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=build
opts=()
if [ "${1:-}" = --sanitize ]; then
    dir=build-sanitize
    opts=(-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug)
fi
if [ ! -f "$top/$dir/build.ninja" ]; then
    meson setup "$top/$dir" "$top" --werror "${opts[@]}" >&2
else
    meson setup --reconfigure "$top/$dir" "$top" >&2
fi
ninja -C "$top/$dir" >&2
echo "$top/$dir/scanner/pyheapscan"
