#!/usr/bin/env python3
"""Runs two builds of pyheapscan side by side on the same stops and compares
what they print, byte for byte: a move of code (a file split, a family
moved) must change no output.

usage: tools/compare_builds.py [--old-frames] OLD NEW [ID ...]
       tools/compare_builds.py [--old-frames] --rev OLD_REV [ID ...]
                                (builds OLD_REV in a worktree of its own,
                                against this tree)
  --old-frames  OLD predates the one JSON frame of stacks and triage (the
            house issue's one deliberate change, 5859c00's successor): the
            new build's JSON frames are projected onto the old schema
            (stacks: "type" dropped; triage: {"python": {qualname, file,
            line}} or {"native": {function, module, module_offset,
            build_id}}), and the rest of the output compared byte for byte
  OLD, NEW  two pyheapscan executables
  ID        fleet interpreters (default: sys-3.11 pyenv-3.8 pyenv-3.12 sid-3.14)

Sources: a live heap_fixture target, gdb's core of it, the snapshot each
build saves of it (which must be the same bytes), a grown heap for diff and
a series, the whyalive fixture for refs, paths, top and suspects, the stacks
fixture (live, core, snapshot) for stacks and triage.  Every command runs
with both builds on the same stop; what only measures time (JSON's
"*_seconds", heapy's .timemade) is blanked before comparing, and each
command runs twice with OLD to show that nothing else moves.  Exits 1 on
any difference, naming the command and the first differing line."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
import harness  # noqa: E402
from test_stacks import end, parked_target  # noqa: E402

DEFAULT_IDS = ["sys-3.11", "pyenv-3.8", "pyenv-3.12", "sid-3.14"]
TIMEOUT = 300
BYS = ["clodo", "type", "class", "size", "module", "id", "idset", "via", "rcs", "unity"]
SETS = ["reachable", "unreachable", "garbage", "held", "gc", "all", "muppy"]
FORMATS = ["text", "json", "heapy", "pympler", "objects", "referents"]
TIMES = [(re.compile(rb'("[a-z_]*seconds": )-?[0-9.e+-]+'), rb"\g<1>0"),
         (re.compile(rb"^(\.timemade: ).*$", re.M), rb"\g<1>0")]


def normalized(data):
    for pattern, repl in TIMES:
        data = pattern.sub(repl, data)
    return data


def run(binary, args):
    p = subprocess.run([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT,
                       preexec_fn=harness.no_core)
    # stderr's timing lines (PYHEAPSCAN_TIMES) are not asked for; progress
    # is off when stdout is not a terminal.
    return p.returncode, normalized(p.stdout), normalized(p.stderr)


def old_frame(frame, triage):
    """A frame of the one schema as the builds before it wrote it."""
    f = dict(frame)
    kind = f.pop("type")
    if not triage:
        return f
    if kind == "python":
        return {"python": {"qualname": f["qualname"], "file": f["file"],
                           "line": -1 if f["line"] is None else f["line"]}}
    return {"native": {k: f[k] for k in ("function", "module", "module_offset", "build_id")}}


def old_frames_projected(data):
    """stacks' or triage's JSON with its frames as the old builds wrote them."""
    doc = json.loads(data)
    if "threads" in doc:
        for t in doc["threads"]:
            t["frames"] = [old_frame(f, False) for f in t["frames"]]
            if "native" in t:
                t["native"] = [old_frame(f, False) for f in t["native"]]
    elif doc.get("thread"):
        doc["thread"]["frames"] = [old_frame(f, True) for f in doc["thread"]["frames"]]
    return (json.dumps(doc, ensure_ascii=False, separators=(", ", ": ")) + "\n").encode()


class Compare:
    old_frames = False

    def __init__(self, old, new):
        self.old, self.new = old, new
        self.same = 0
        self.failures = []
        self.refused = []  # commands both builds refused (the same way): listed, so that none hides

    def check(self, label, args, files=()):
        """Both builds with args; files: paths the command writes, which are
        compared too (each build writes its own copy: "{}" in args and
        files is replaced by the build's name)."""
        outs = []
        for name, binary in (("old", self.old), ("new", self.new), ("old again", self.old)):
            a = [x.replace("{}", name.replace(" ", "-")) for x in args]
            got = run(binary, a)
            if name == "new" and self.old_frames and ("stacks" in label or "triage" in label) \
                    and "json" in label and got[0] == 0:
                got = (got[0], old_frames_projected(got[1]), got[2])
            written = []
            for f in files:
                path = f.replace("{}", name.replace(" ", "-"))
                with open(path, "rb") as fh:
                    written.append(normalized(fh.read()))
            outs.append((got, written))
        (old, old_files), (new, new_files), (again, again_files) = outs
        if (old, old_files) != (again, again_files):
            self.failures.append("%s: the old build itself is not repeatable: %s" % (label, first_diff(old, again)))
        elif (old, old_files) != (new, new_files):
            what = first_diff(old, new) if old != new else "the file it writes differs"
            self.failures.append("%s: %s" % (label, what))
        else:
            self.same += 1
            if old[0] != 0:
                self.refused.append("%s: exit %d: %s" % (label, old[0], old[2].decode(errors="replace").strip()))
        return old


def first_diff(a, b):
    names = ("exit code", "stdout", "stderr")
    for k in range(3):
        if a[k] != b[k]:
            if k == 0:
                return "exit %s, new %s" % (a[0], b[0])
            la, lb = a[k].splitlines(), b[k].splitlines()
            for i in range(max(len(la), len(lb))):
                x = la[i] if i < len(la) else b"<end>"
                y = lb[i] if i < len(lb) else b"<end>"
                if x != y:
                    return "%s line %d: %r != %r" % (names[k], i + 1, x[:160], y[:160])
    return "?"


def heap_commands(c, tag, source, tmp):
    for by in BYS:
        c.check("%s --by %s" % (tag, by), source + ["--by", by])
    for s in SETS:
        c.check("%s --set %s" % (tag, s), source + ["--set", s])
    for f in FORMATS:
        extra = ["--set", "all"] if f == "referents" else []
        c.check("%s --format %s" % (tag, f), source + ["--format", f] + extra)
    c.check("%s --retained --format json" % tag, source + ["--retained", "--format", "json"])
    c.check("%s --where" % tag, source + ["--where", "list | dict of __main__.Node", "--by", "type"])
    c.check("%s -o FILE" % tag, source + ["--by", "rcs", "-o", os.path.join(tmp, "{}.out")],
            [os.path.join(tmp, "{}.out")])


def first_object(c, source, kind):
    """An address of an object of kind (heapy's clodo) in the source."""
    rc, out, _ = run(c.old, source + ["--set", "all", "--format", "objects"])
    for line in out.decode().splitlines():
        fields = line.split("\t")
        if len(fields) >= 4 and fields[3] == kind:
            return fields[0]
    return None


def why_commands(c, tag, source):
    for kind in ("list", "dict"):
        addr = first_object(c, source, kind)
        if addr:
            c.check("%s refs %s" % (tag, kind), ["refs"] + source + [addr])
            c.check("%s paths %s" % (tag, kind), ["paths"] + source + [addr])
            c.check("%s paths %s json" % (tag, kind), ["paths"] + source + [addr, "--format", "json"])
    c.check("%s paths --where" % tag, ["paths"] + source + ["--where", "list", "-n", "3"])
    c.check("%s top" % tag, ["top"] + source + ["-n", "5", "--depth", "2"])
    c.check("%s top --by" % tag, ["top"] + source + ["--by", "clodo", "--format", "json"])
    c.check("%s suspects" % tag, ["suspects"] + source + ["--threshold", "1"])
    c.check("%s suspects json" % tag, ["suspects"] + source + ["--threshold", "1", "--format", "json"])
    c.check("%s suspects dot" % tag, ["suspects"] + source + ["--threshold", "1", "--format", "dot"])


def stacks_commands(c, tag, source):
    for extra in ([], ["--format", "json"], ["--locals"], ["--locals", "--format", "json"],
                  ["--native", "--format", "json"]):
        if extra[:1] == ["--native"] and source[0] == "--load":
            continue
        c.check("%s stacks %s" % (tag, " ".join(extra)), ["stacks"] + source + extra)
    if source[0] != "--load":
        c.check("%s triage" % tag, ["triage"] + source)
        c.check("%s triage json" % tag, ["triage"] + source + ["--format", "json"])


def check_interp(c, interp, tmp):
    root = ["--sysroot", interp.root] if interp.root.rstrip("/") else []
    # The heap fixture: live, its core, its snapshots; a grown heap.
    target = harness.Target(interp)
    try:
        live = ["-p", str(target.pid)]
        heap_commands(c, "%s live" % interp.id, live, tmp)
        snaps = [os.path.join(tmp, "{}.snap")]
        c.check("%s --save" % interp.id, live + ["--save", snaps[0], "-o", os.path.join(tmp, "{}.txt")],
                snaps + [os.path.join(tmp, "{}.txt")])
        snap = os.path.join(tmp, "old.snap")
        heap_commands(c, "%s snapshot" % interp.id, ["--load", snap], tmp)
        core = harness.gcore(target.pid, tmp)
        heap_commands(c, "%s core" % interp.id, ["--core", core] + root, tmp)
        os.unlink(core)
        target.grow()
        grown = os.path.join(tmp, "grown.snap")
        run(c.old, live + ["--save", grown, "-o", os.devnull])
        for f in ("text", "json", "objects"):
            c.check("%s diff %s" % (interp.id, f), ["diff", snap, grown, "--format", f])
        c.check("%s diff snapshot pid" % interp.id, ["diff", snap, str(target.pid)])
        c.check("%s suspects series" % interp.id, ["suspects", snap, grown, "--threshold", "1"])
    finally:
        target.finish()
    # Why alive: refs, paths, top, suspects.
    target = harness.Target(interp, fixture="whyalive_fixture.py")
    try:
        why_commands(c, "%s live" % interp.id, ["-p", str(target.pid)])
        snap = os.path.join(tmp, "why.snap")
        run(c.old, ["-p", str(target.pid), "--save", snap, "-o", os.devnull])
        why_commands(c, "%s snapshot" % interp.id, ["--load", snap])
    finally:
        target.finish()
    # Stacks and triage: live, core, snapshot.
    target = parked_target(interp)
    try:
        stacks_commands(c, "%s live" % interp.id, ["-p", str(target.pid)])
        core = harness.gcore(target.pid, tmp)
        stacks_commands(c, "%s core" % interp.id, ["--core", core] + root)
        os.unlink(core)
        snap = os.path.join(tmp, "stacks.snap")
        run(c.old, ["-p", str(target.pid), "--save", snap, "-o", os.devnull])
        stacks_commands(c, "%s snapshot" % interp.id, ["--load", snap])
    finally:
        end(target)


def build_rev(rev, tmp):
    """pyheapscan built from rev in a worktree of its own."""
    top = os.path.join(HERE, "..")
    tree = os.path.join(tmp, "rev")
    subprocess.run(["git", "-C", top, "worktree", "add", "--detach", "-q", tree, rev], check=True)
    subprocess.run(["meson", "setup", os.path.join(tree, "build"), tree], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["ninja", "-C", os.path.join(tree, "build")], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(tree, "build", "scanner", "pyheapscan")


def main():
    args = sys.argv[1:]
    old_frames = args[:1] == ["--old-frames"]
    args = args[old_frames:]
    tmp = tempfile.mkdtemp(prefix="pyheapscan-compare-")
    worktree = None
    try:
        if args[:1] == ["--rev"] and len(args) >= 2:
            old = build_rev(args[1], tmp)
            worktree = os.path.join(tmp, "rev")
            new = harness.scanner_path()
            ids = args[2:]
        elif len(args) >= 2:
            old, new, ids = os.path.abspath(args[0]), os.path.abspath(args[1]), args[2:]
        else:
            sys.exit(__doc__)
        os.environ["PYHEAPSCAN"] = new
        ids = ids or DEFAULT_IDS
        c = Compare(old, new)
        c.old_frames = old_frames
        for interp in harness.select(lambda i: i.id in ids):
            before = c.same + len(c.failures)
            check_interp(c, interp, tmp)
            print("%s: %d commands compared" % (interp.id, c.same + len(c.failures) - before), flush=True)
        for r in c.refused:
            print("refused by both: " + r)
        for f in c.failures:
            print("DIFFERENT " + f)
        print("%d same, %d different" % (c.same, len(c.failures)))
        sys.exit(1 if c.failures else 0)
    finally:
        if worktree:
            subprocess.run(["git", "-C", os.path.join(HERE, ".."), "worktree", "remove", "--force", worktree])
        shutil.rmtree(tmp, ignore_errors=True)


main()
