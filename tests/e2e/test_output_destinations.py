"""Every destination of -o and --save is written through, and left what it
was: a character device made in the test's folder (the /dev/null that an
earlier build replaced with a regular file), a FIFO with a reader, a socket
is refused cleanly, a symlink (followed: the link stays, the file it names
is written; a dangling one makes that file), /dev/fd/N and /proc/self/fd/N
of a pipe, a link to /proc/self/fd/1 as /dev/stdout is (also with stdout a
file opened for appending: the output follows what it held), "-", bash's process
substitution, and a regular file (atomic: no temporary file left beside
it).  Every node is made in the test's own folder: a broken build replaces
the test's nodes, never the host's.  What arrives is compared byte
for byte with the same output written to a regular file."""
import os
import socket
import stat
import subprocess
import sys
import tempfile
import threading

import harness

TIMEOUT = 120


class Check:
    def __init__(self):
        self.rows = []      # (destination, cell)
        self.failures = []

    def add(self, what, failures):
        self.rows.append((what, "ok" if not failures else "FAIL"))
        self.failures += ["%s: %s" % (what, f) for f in failures]


def scanner(args, **kw):
    return subprocess.run([harness.scanner_path()] + args, stdout=kw.pop("stdout", subprocess.PIPE),
                          stderr=subprocess.PIPE, timeout=TIMEOUT, **kw)


def read_fifo_in_background(path, into):
    """A reader that opens the FIFO and keeps all it reads (before the writer
    opens it, as a consumer would)."""
    def run():
        with open(path, "rb") as f:
            into.append(f.read())
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def release_reader(path, reader):
    """A reader still waiting (the FIFO was replaced, or nobody opened it)
    gets its end of file."""
    if reader.is_alive():
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass


def node_kind(path):
    st = os.lstat(path)
    return stat.S_IFMT(st.st_mode), st.st_rdev


def leftovers(folder, keep):
    return sorted(set(os.listdir(folder)) - set(keep))


# A character device, as /dev/null is (1, 3), made here.
def character_device(snap, ref, folder, base, target):
    null = os.path.join(folder, "null")
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    base.add("null")
    fails = []
    for args in (["--load", snap, "-o", null], ["-p", str(target.pid), "--save", null, "-o", null]):
        p = scanner(args)
        if p.returncode != 0:
            fails.append("%s exited %d: %s" % (" ".join(args[-2:]), p.returncode, p.stderr.decode()))
        if node_kind(null) != (stat.S_IFCHR, os.makedev(1, 3)):
            fails.append("the device node became %r" % (node_kind(null),))
    if leftovers(folder, base):
        fails.append("left %s" % leftovers(folder, base))
    return fails


# A FIFO with a reader: the table, then a snapshot through it.
def fifo_with_reader(snap, ref, folder, base, target):
    fifo = os.path.join(folder, "fifo")
    os.mkfifo(fifo)
    base.add("fifo")
    fails = []
    got = []
    reader = read_fifo_in_background(fifo, got)
    p = scanner(["--load", snap, "-o", fifo])
    reader.join(10 if p.returncode else TIMEOUT)
    waiting = reader.is_alive()
    release_reader(fifo, reader)
    if p.returncode != 0 or waiting or got != [ref]:
        fails.append("exit %d, reader %s, %s bytes of %d, same: %s"
                     % (p.returncode, "waiting" if waiting else "done",
                        len(got[0]) if got else "no", len(ref), got == [ref]))
    got = []
    reader = read_fifo_in_background(fifo, got)
    table = os.path.join(folder, "fifo-live.txt")
    p = scanner(["-p", str(target.pid), "--save", fifo, "-o", table])
    reader.join(10 if p.returncode else TIMEOUT)
    release_reader(fifo, reader)
    if p.returncode != 0 or not got:
        fails.append("--save: exit %d, %s" % (p.returncode, p.stderr.decode()))
    else:
        through = os.path.join(folder, "through.snap")
        with open(through, "wb") as f:
            f.write(got[0])
        loaded = scanner(["--load", through]).stdout
        with open(table, "rb") as f:
            if loaded != f.read():
                fails.append("--save: the snapshot read from the FIFO loads to another table")
        os.unlink(through)
    os.unlink(table)
    if not stat.S_ISFIFO(os.lstat(fifo).st_mode):
        fails.append("the FIFO became %o" % os.lstat(fifo).st_mode)
    if leftovers(folder, base):
        fails.append("left %s" % leftovers(folder, base))
    return fails


# A socket cannot be opened: one line, exit 9, the socket stays.
def socket_refused(snap, ref, folder, base, target):
    sock_path = os.path.join(folder, "sock")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(sock_path)
    base.add("sock")
    fails = []
    p = scanner(["--load", snap, "-o", sock_path])
    err = p.stderr.decode().splitlines()
    if p.returncode != 9 or len(err) != 1 or "cannot write" not in err[0]:
        fails.append("exit %d, stderr %r" % (p.returncode, err))
    if not stat.S_ISSOCK(os.lstat(sock_path).st_mode):
        fails.append("the socket became %o" % os.lstat(sock_path).st_mode)
    sock.close()
    return fails


# Symlinks: to a regular file (relative), through a chain, dangling.
def symlinks(snap, ref, folder, base, target):
    fails = []
    os.mkdir(os.path.join(folder, "sub"))
    real = os.path.join(folder, "sub", "real.txt")
    with open(real, "w") as f:
        f.write("old contents\n")
    link = os.path.join(folder, "link")
    os.symlink("sub/real.txt", link)
    chain = os.path.join(folder, "chain")
    os.symlink("link", chain)
    dangling = os.path.join(folder, "dangling")
    os.symlink("sub/new.txt", dangling)
    base.update({"sub", "link", "chain", "dangling"})
    for name, path, file in (("link", link, real), ("chain", chain, real),
                             ("dangling", dangling, os.path.join(folder, "sub", "new.txt"))):
        p = scanner(["--load", snap, "-o", path])
        if p.returncode != 0:
            fails.append("%s: exit %d %s" % (name, p.returncode, p.stderr.decode()))
        if not os.path.islink(path):
            fails.append("%s is no longer a symlink" % name)
        with open(file, "rb") as f:
            if f.read() != ref:
                fails.append("%s: the file it names does not hold the output" % name)
    if os.readlink(link) != "sub/real.txt" or os.readlink(chain) != "link":
        fails.append("a symlink was changed")
    if leftovers(folder, base) or sorted(os.listdir(os.path.join(folder, "sub"))) != ["new.txt", "real.txt"]:
        fails.append("left %s %s" % (leftovers(folder, base), os.listdir(os.path.join(folder, "sub"))))
    return fails


# A pipe by /dev/fd/N and /proc/self/fd/N, and stdout by a link as /dev/stdout.
def fd_links(snap, ref, folder, base, target):
    fails = []
    for pattern in ("/dev/fd/%d", "/proc/self/fd/%d"):
        r, w = os.pipe()
        chunks = []
        def drain(fd=r, into=chunks):
            with os.fdopen(fd, "rb") as f:
                into.append(f.read())
        t = threading.Thread(target=drain, daemon=True)
        t.start()
        p = subprocess.run([harness.scanner_path(), "--load", snap, "-o", pattern % w],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=(w,), timeout=TIMEOUT)
        os.close(w)
        t.join(TIMEOUT)
        if p.returncode != 0 or chunks != [ref]:
            fails.append("%s: exit %d %s, same: %s" % (pattern, p.returncode, p.stderr.decode(), chunks == [ref]))
    # /dev/stdout is the link to /proc/self/fd/1 made here: a build that
    # replaced the link would replace the test's, never the host's.
    stdout_link = os.path.join(folder, "stdout")
    os.symlink("/proc/self/fd/1", stdout_link)
    base.add("stdout")
    for dest in (stdout_link, "-"):
        p = scanner(["--load", snap, "-o", dest])
        if p.returncode != 0 or p.stdout != ref:
            fails.append("%s: exit %d %s, same: %s" % (dest, p.returncode, p.stderr.decode(), p.stdout == ref))
    if not os.path.islink(stdout_link) or os.readlink(stdout_link) != "/proc/self/fd/1":
        fails.append("the link to /proc/self/fd/1 was replaced")
    # stdout a file opened for appending (>>): the output follows what the
    # file held (a reopened descriptor would start at its first byte).
    log = os.path.join(folder, "appended.log")
    for dest in (stdout_link, "/dev/fd/1", "/proc/self/fd/1"):
        with open(log, "wb") as f:
            f.write(b"held before\n")
        with open(log, "ab") as f:
            p = scanner(["--load", snap, "-o", dest], stdout=f)
        got = open(log, "rb").read()
        if p.returncode != 0 or got != b"held before\n" + ref:
            fails.append("%s >> a file: exit %d %s, kept what it held: %s, output whole: %s"
                         % (dest, p.returncode, p.stderr.decode(), got.startswith(b"held before\n"), got.endswith(ref)))
    os.unlink(log)
    return fails


# bash's process substitution: -o >(gzip > out.gz), with cat.
def process_substitution(snap, ref, folder, base, target):
    fails = []
    out = os.path.join(folder, "subst.txt")
    p = subprocess.run(["bash", "-c", '"$0" --load "$1" -o >(cat > "$2"); rc=$?; wait $!; exit $rc',
                        harness.scanner_path(), snap, out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    with open(out, "rb") as f:
        if p.returncode != 0 or f.read() != ref:
            fails.append("exit %d %s" % (p.returncode, p.stderr.decode()))
    os.unlink(out)
    return fails


# A regular file, replaced atomically, and a new one with the
# snapshot's mode.
def regular_file(snap, ref, folder, base, target):
    fails = []
    plain = os.path.join(folder, "plain.txt")
    with open(plain, "w") as f:
        f.write("old\n")
    saved = os.path.join(folder, "saved.snap")
    p = scanner(["-p", str(target.pid), "--save", saved, "-o", plain])
    if p.returncode != 0:
        fails.append("exit %d %s" % (p.returncode, p.stderr.decode()))
    elif stat.S_IMODE(os.stat(saved).st_mode) != 0o600:
        fails.append("the snapshot's mode is %o" % stat.S_IMODE(os.stat(saved).st_mode))
    elif scanner(["--load", saved]).stdout != open(plain, "rb").read():
        fails.append("the table and the snapshot's table differ")
    base.update({"plain.txt", "saved.snap"})
    if leftovers(folder, base):
        fails.append("left %s" % leftovers(folder, base))
    return fails


SECTIONS = [
    ("character device", character_device),
    ("FIFO with a reader", fifo_with_reader),
    ("socket (refused)", socket_refused),
    ("symlinks (to a file, a chain, dangling)", symlinks),
    ("/dev/fd/N, /proc/self/fd/N, /dev/stdout, -", fd_links),
    ("process substitution", process_substitution),
    ("regular file", regular_file),
]


def main():
    folder = tempfile.mkdtemp(prefix="pyheapscan-dest-")
    check = Check()
    target = harness.Target(harness.system_python())
    try:
        snap = os.path.join(folder, "heap.snap")
        p = scanner(["-p", str(target.pid), "--save", snap, "-o", os.path.join(folder, "live.txt")])
        if p.returncode != 0:
            harness.fatal("the reference scan failed: %s" % p.stderr.decode(errors="replace"))
        ref = scanner(["--load", snap]).stdout
        if not ref:
            harness.fatal("the reference output is empty")
        base = {"heap.snap", "live.txt"}

        for what, section in SECTIONS:
            try:
                fails = section(snap, ref, folder, base, target)
            except Exception as e:  # a section that breaks is one failure, the rest still run
                fails = ["%s: %s" % (type(e).__name__, e)]
            check.add(what, fails)

        if target.state() not in ("S", "R"):
            check.failures.append("target left in state %s" % target.state())
        if not target.finish():
            check.failures.append("the target did not run on")
    finally:
        target.kill()
        subprocess.run(["rm", "-rf", folder])

    print("\n-o and --save onto every kind of destination")
    width = max(len(w) for w, _ in check.rows)
    for what, cell in check.rows:
        print("%s  %s" % (what.ljust(width), cell))
    for f in check.failures:
        print("FAIL " + f)
    failed = len({f.split(":")[0] for f in check.failures})
    print("%d passed, %d failed" % (len(check.rows) - failed, failed), flush=True)
    sys.exit(1 if check.failures else 0)


main()
