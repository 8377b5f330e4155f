#!/usr/bin/env bash
# The whole test suite in one command: installs what is needed, provisions
# the interpreter fleet, builds (plain, and with ASan+UBSan) and runs every
# unit and end-to-end test under both builds.  In CI (CI=true) a missing
# fleet interpreter or a skipped test is a failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tools/install-deps.sh || exit 1
fixtures/fleet/provision.sh || { echo "test: the interpreter fleet is incomplete" >&2; exit 1; }

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
status=0
passed=0
failed=0
for variant in plain sanitize; do
    if [ $variant = plain ]; then
        tools/build.sh >/dev/null || { echo "test: the build failed" >&2; exit 1; }
        dir=build
    else
        tools/build.sh --sanitize >/dev/null || { echo "test: the sanitizer build failed" >&2; exit 1; }
        dir=build-sanitize
    fi
    echo "=== $variant build: meson test ($dir)"
    meson test -C "$dir" --print-errorlogs --no-rebuild --suite unit --suite e2e
    rc=$?
    log="$dir/meson-logs/testlog.json"
    p=$(python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; print(sum(x["result"]=="OK" for x in r))' "$log")
    f=$(python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; print(sum(x["result"]!="OK" for x in r))' "$log")
    passed=$((passed + p))
    failed=$((failed + f))
    # A skipped test counts as failed (meson's SKIP is not OK above).
    [ $rc = 0 ] || status=1
    # The tables the end-to-end tests printed.
    python3 - "$log" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if ":e2e / " in r["name"]:
        print("--- %s (%s)" % (r["name"], r["result"]))
        print(r.get("stdout", "").rstrip())
PY
done
[ $failed = 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
