#!/usr/bin/env bash
# The whole test suite in one command: installs what is needed, provisions
# the interpreter fleet, builds (plain, and with ASan+UBSan) and runs every
# unit and end-to-end test under both builds.  In CI (CI=true) a missing
# fleet interpreter is a failure; a test that skips (exit 77) counts as
# skipped only when what it lacks is an optional interpreter (built from
# fetched source), and as failed otherwise.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tools/install-deps.sh || exit 1
fixtures/fleet/provision.sh || { echo "test: the interpreter fleet is incomplete" >&2; exit 1; }

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
status=0
passed=0
skipped=0
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
    # One read of meson's log: the tables the end-to-end tests printed, and
    # the counts. OK passes; SKIP (exit 77) is a skip only when the test had
    # nothing to run but optional interpreters this machine lacks (each line
    # it printed before its closing line names one as "not tested"); any
    # other result, or any other skip, fails.
    counts="$dir/meson-logs/counts"
    rm -f "$counts"
    python3 - "$log" "$counts" <<'PY'
import json, sys
p = s = f = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    out = [l for l in r.get("stdout", "").splitlines() if l.strip()]
    optional = out and all(l.startswith("not tested: ") for l in out[:-1]) and \
        out[-1].startswith("0 passed, 0 failed, ")
    if r["result"] == "OK":
        p += 1
    elif r["result"] == "SKIP" and optional:
        s += 1
    else:
        f += 1
    if ":e2e / " in r["name"]:
        print("--- %s (%s)" % (r["name"], r["result"]))
        print(r.get("stdout", "").rstrip())
open(sys.argv[2], "w").write("%d %d %d\n" % (p, s, f))
PY
    read -r p s f < "$counts" || { p=0; s=0; f=1; }
    passed=$((passed + p))
    skipped=$((skipped + s))
    failed=$((failed + f))
    [ $rc = 0 ] || status=1
done
[ $failed = 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
