"""Benchmark: the cost of reading traverse functions from their machine
code, on a heap of extension types (the extension zoo's libraries and
NOBJECTS gc objects of theirs; bench/extension_target.py).

The scanner scans the target ROUNDS times (--set all: every object
traversed) with PYHEAPSCAN_TIMES=1, which reports, beside the phases, the
time spent reading traverse functions ("within: traverse code read", once
per function a scan).  Printed: the objects and types, how many types
were read from code, the median scan and code-reading times, and the
share of the scan the reading is (both measured in the same run).

usage: extension_types.py BUILD [PYTHON] [NOBJECTS]   (a Debian python
with the zoo's python3-* packages: fixtures/fleet/provision.sh)"""
import os
import re
import statistics
import subprocess
import sys

build = sys.argv[1]
python = sys.argv[2] if len(sys.argv) > 2 else "/usr/bin/python3.11"
nobjects = sys.argv[3] if len(sys.argv) > 3 else "1000000"
here = os.path.dirname(os.path.abspath(__file__))
scanner = os.path.join(build, "scanner", "pyheapscan")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))

target = subprocess.Popen([python, os.path.join(here, "extension_target.py"),
                           os.path.join(os.path.dirname(here), "fixtures"), nobjects],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
try:
    facts = target.stdout.readline().decode().split()
    assert target.stdout.readline().decode().split() == ["READY"], "target did not start"
    totals, reads, functions = [], [], 0
    env = dict(os.environ, PYHEAPSCAN_TIMES="1")
    for _ in range(ROUNDS):
        p = subprocess.run([scanner, "-p", str(target.pid), "--set", "all", "--format", "types"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True, timeout=900)
        err = p.stderr.decode()
        total = float(re.search(r"time: all\s+([0-9.]+) s", err).group(1))
        m = re.search(r"within: traverse code read\s+([0-9.]+) s \((\d+) times\)", err)
        totals.append(total)
        reads.append(float(m.group(1)) if m else 0.0)
        functions = int(m.group(2)) if m else 0
        rows = [line.split("\t") for line in p.stdout.decode().splitlines()[1:]]
        from_code = sum(1 for r in rows if r[3] == "code")
        objects = sum(int(r[2]) for r in rows)
finally:
    target.stdin.write(b"quit\n")
    target.stdin.close()
    target.wait()
print("target: %s gc objects, %s third-party C types with objects" % (facts[1], facts[3]))
print("scanned: %d objects (--set all), %d types read from their traverse's code, %d functions read"
      % (objects, from_code, functions))
print("median of %d: scan %.3f s, reading code %.4f s: %.2f%% of the scan"
      % (ROUNDS, statistics.median(totals), statistics.median(reads),
         100 * statistics.median(reads) / statistics.median(totals)))
