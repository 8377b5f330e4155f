#!/usr/bin/env python3
"""Two builds' scans of the same target, alternating, so that a move of
code can show it made no scan slower on a noisy machine: each round runs
every command with both builds, in turns (old first on even rounds, new
first on odd ones), on one target of bench/target.py.  Prints, per
command, the median wall and CPU time of each build and their ratio.

usage: bench/alternate.py OLD NEW [PYTHON [NOBJECTS [ROUNDS]]]
  OLD, NEW  two pyheapscan executables
  defaults: Debian's /usr/bin/python3.11, 1000000 objects, 9 rounds"""
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# Each command's arguments before and after "-p PID".
COMMANDS = {"default": ([], []), "--by rcs": ([], ["--by", "rcs"]),
            "--set all objects": ([], ["--set", "all", "--format", "objects"]),
            "suspects": (["suspects"], ["--threshold", "5"]), "stacks": (["stacks"], [])}
TIMEOUT = 600


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    builds = {"old": os.path.abspath(sys.argv[1]), "new": os.path.abspath(sys.argv[2])}
    python = sys.argv[3] if len(sys.argv) > 3 else "/usr/bin/python3.11"
    nobjects = sys.argv[4] if len(sys.argv) > 4 else "1000000"
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 9
    target = subprocess.Popen([python, os.path.join(HERE, "target.py"), nobjects], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        while True:
            line = target.stdout.readline()
            if not line:
                sys.exit("bench: the target ended before READY")
            if "READY" in line:
                break
        times = {(c, b): [] for c in COMMANDS for b in builds}
        for r in range(rounds):
            for c, (before, after) in COMMANDS.items():
                for b in ("old", "new") if r % 2 == 0 else ("new", "old"):
                    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                    w0 = time.monotonic()
                    subprocess.run([builds[b]] + before + ["-p", str(target.pid)] + after, check=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=TIMEOUT)
                    wall = time.monotonic() - w0
                    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
                    times[(c, b)].append((wall, cpu))
    finally:
        target.kill()
        target.wait()
    print("%s, %s objects, %d rounds, old %s, new %s" % (python, nobjects, rounds, builds["old"], builds["new"]))
    for c in COMMANDS:
        med = {b: (statistics.median(w for w, _ in times[(c, b)]), statistics.median(u for _, u in times[(c, b)]))
               for b in builds}
        print("  %-18s wall %.3f s -> %.3f s (%.2fx), cpu %.3f s -> %.3f s (%.2fx)"
              % (c, med["old"][0], med["new"][0], med["new"][0] / med["old"][0], med["old"][1], med["new"][1],
                 med["new"][1] / med["old"][1]))


if __name__ == "__main__":
    main()
