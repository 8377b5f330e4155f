"""stacks on damaged input, from the kernel's cores:

- a thread whose frame chain cycles (the core of the stacks fixture, one
  frame's link to the frame before it bent back to a newer frame of the
  same thread): that thread's frames are shown up to the cycle, the cycle
  is named on stderr, every other thread is shown as from the clean core,
  and the exit code is 0;
- a thread whose frame chain leads into memory the core does not hold:
  its frames end there, at the address named, the others are whole;
- a thread whose C stack the core does not hold (its segment's bytes left
  out): its Python frames whole where they live on the heap, else cut
  where they reach that stack, the reason said; its native frames end
  there and are said not to be merged for that reason; the other threads'
  native frames as from the whole core;
- the core of a process that is not Python (/bin/sleep): exit 5 with its
  one line, and still the crash facts and the native frames.

One interpreter per frame model: frame objects (3.9), interpreter frames
(3.11), tagged stack references (3.14)."""
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile

import harness
from test_stacks import abort_core, end, parked_target

MINORS = {"3.9", "3.11", "3.14"}
PT_LOAD = 1
PT_NOTE = 4
NT_PRSTATUS = 1


def thread_stack_pointers(path):
    """tid -> rsp, from the core's NT_PRSTATUS notes (struct elf_prstatus:
    pr_pid at 32, pr_reg at 112, rsp the 20th register of user_regs_struct)."""
    with open(path, "rb") as f:
        data = f.read(1 << 20)
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    out = {}
    for i in range(phnum):
        p_type, _, off, _, _, filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type != PT_NOTE:
            continue
        with open(path, "rb") as f:
            f.seek(off)
            notes = f.read(filesz)
        at = 0
        while at + 12 <= len(notes):
            namesz, descsz, ntype = struct.unpack_from("<III", notes, at)
            desc = at + 12 + ((namesz + 3) & ~3)
            if ntype == NT_PRSTATUS:
                pid, = struct.unpack_from("<I", notes, desc + 32)
                out[pid], = struct.unpack_from("<Q", notes, desc + 112 + 19 * 8)
            at = desc + ((descsz + 3) & ~3)
    return out


def without_segment_of(core, addr, workdir, name):
    """A copy of the core whose PT_LOAD holding addr keeps none of its bytes
    (p_filesz 0): a core writer that left that mapping out; and the
    segment's bounds."""
    out = os.path.join(workdir, name)
    shutil.copyfile(core, out)
    with open(out, "r+b") as f:
        head = f.read(64)
        phoff, = struct.unpack_from("<Q", head, 32)
        phentsize, phnum = struct.unpack_from("<HH", head, 54)
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, _, vaddr, _, filesz = struct.unpack_from("<IIQQQQ", f.read(phentsize), 0)
            if p_type == PT_LOAD and vaddr <= addr < vaddr + filesz:
                f.seek(phoff + i * phentsize + 32)
                f.write(struct.pack("<Q", 0))
                return out, (vaddr, vaddr + filesz)
    raise AssertionError("no segment holds %#x" % addr)


def file_offset(segs, addr):
    for vaddr, offset, filesz in segs:
        if vaddr <= addr and addr + 8 <= vaddr + filesz:
            return offset + addr - vaddr
    raise AssertionError("%#x is not in the core" % addr)


def link_offset(path, segs, frame, older):
    """Where in frame (within its first 128 bytes) the core holds the
    address of the older frame: the chain's link."""
    with open(path, "rb") as f:
        f.seek(file_offset(segs, frame))
        words = f.read(128)
    for k in range(0, 128, 8):
        if struct.unpack_from("<Q", words, k)[0] == older:
            return k
    raise AssertionError("no link from %#x to %#x" % (frame, older))


def patched(core, at, value, workdir, name):
    out = os.path.join(workdir, name)
    shutil.copyfile(core, out)
    with open(out, "r+b") as f:
        f.seek(at)
        f.write(struct.pack("<Q", value))
    return out


def stacks(core, root):
    p = subprocess.run([harness.scanner_path(), "stacks", "--core", core, "--format", "json"] + root,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, json.loads(p.stdout) if p.stdout else None, p.stderr.decode()


def frames_of(doc):
    return {t["native_id"]: [(f["function"], f["line"], f["frame"]) for f in t["frames"]] for t in doc["threads"]}


def check_chain(name, clean, doc, thread, keep, stderr, rc, want_in_stderr):
    failures = []
    if rc != 0 or doc is None:
        return ["%s: exit %d: %s" % (name, rc, stderr.strip())]
    got, want = frames_of(doc), frames_of(clean)
    if got.get(thread) != want[thread][:keep]:
        failures.append("%s: the damaged thread shows %d frames, expected the %d before the damage"
                        % (name, len(got.get(thread) or []), keep))
    for tid, frames in want.items():
        if tid != thread and got.get(tid) != frames:
            failures.append("%s: thread %s differs from the clean core" % (name, tid))
    if want_in_stderr not in stderr:
        failures.append("%s: stderr does not name %r: %r" % (name, want_in_stderr, stderr))
    return failures


def stack_left_out(core, clean, deep, root, workdir, failures):
    """The recursing thread's C stack left out of the core: its Python
    frames whole where they live on the heap (up to 3.11), else cut where
    they reach that stack with the reason said; its native frames end
    there, and are said not to be merged for that reason; every other
    thread as from the whole core."""
    sps = thread_stack_pointers(core)
    lost, (start, end) = without_segment_of(core, sps[deep["native_id"]], workdir, "nostack")
    # Threads' stacks may share one mapping (sid's glibc places them side
    # by side with their guard pages inside): all of them lose it.
    victims = {tid for tid, sp in sps.items() if start <= sp < end}
    p = subprocess.run([harness.scanner_path(), "stacks", "--core", lost, "--native", "--format", "json"] + root,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    whole = subprocess.run([harness.scanner_path(), "stacks", "--core", core, "--native", "--format", "json"] + root,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if p.returncode != 0 or whole.returncode != 0:
        failures.append("stack left out: exit %d: %s" % (p.returncode, p.stderr.decode().strip()))
        return "FAIL"
    doc, full = json.loads(p.stdout), json.loads(whole.stdout)
    mine = [t for t in doc["threads"] if t["native_id"] == deep["native_id"]][0]
    frames = [f["frame"] for f in mine["frames"]]
    want = [f["frame"] for f in deep["frames"]]
    if frames != want and not (frames == want[:len(frames)] and "does not hold" in (mine["cut_note"] or "")):
        failures.append("stack left out: %d Python frames of %d, cut note %r"
                        % (len(frames), len(want), mine["cut_note"]))
    full_native = {t["native_id"]: [f["pc"] for f in t.get("native", [])] for t in full["threads"]}
    if len(mine.get("native", [])) >= len(full_native[deep["native_id"]]):
        failures.append("stack left out: the thread still unwinds %d native frames" % len(mine.get("native", [])))
    for t in doc["threads"]:
        if t["native_id"] not in victims and [f["pc"] for f in t.get("native", [])] != full_native[t["native_id"]]:
            failures.append("stack left out: thread %s's native frames changed" % t["name"])
    text = subprocess.run([harness.scanner_path(), "stacks", "--core", lost, "--native"] + root,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120).stdout.decode()
    # Python frames left with no native eval frame to stand in: said.
    if mine["frames"] and any(f["eval"] for t in full["threads"] for f in t.get("native", [])) and \
            not any(f["eval"] for f in mine.get("native", [])) and \
            "this thread's unwinding ended after" not in text:
        failures.append("stack left out: the text does not say why the thread's frames are not merged")
    return "cut" if frames != want else "whole"


def check(interp, workdir):
    """The checks of one interpreter; its target (and the core the kernel
    wrote in its directory) cleared up whatever happened."""
    target = parked_target(interp)
    failures, cells = [], ["-", "-", "-"]
    try:
        failures, cells = check_target(target, interp, workdir)
    finally:
        failures = failures + end(target)
    return failures, cells


def check_target(target, interp, workdir):
    core, how = abort_core(target)
    if core is None:
        return ["no core: %s" % how], ["-", "-", "-"]
    failures, cells = [], ["-", "-", "-"]
    root = ["--sysroot", interp.root] if interp.root.rstrip("/") else []
    try:
        rc, clean, err = stacks(core, root)
        if rc != 0:
            return ["clean core: exit %d: %s" % (rc, err.strip())], cells
        deep = [t for t in clean["threads"] if t["name"] == "deep-thread"][0]
        frames = [int(f["frame"], 16) for f in deep["frames"]]
        segs = harness.core_segments(core)
        # Frames 3 and 4 are both of the recursion: a plain link between them.
        link = link_offset(core, segs, frames[4], frames[5])
        # The cycle: frame 4's older frame is frame 2 again.
        bent = patched(core, file_offset(segs, frames[4] + link), frames[2], workdir, "cycle")
        rc, doc, err = stacks(bent, root)
        fails = check_chain("cycle", clean, doc, deep["native_id"], 5, err, rc, "cyclic")
        failures += fails
        cells[0] = "cut" if not fails else "FAIL"
        # Into memory the core does not hold (an address in no segment).
        nowhere = 0x10000
        lost = patched(core, file_offset(segs, frames[4] + link), nowhere, workdir, "lost")
        rc, doc, err = stacks(lost, root)
        fails = check_chain("unreadable", clean, doc, deep["native_id"], 5, err, rc, "")
        if doc is not None and [t for t in doc["threads"] if t["native_id"] == deep["native_id"]][0]["cut_at"] \
                not in ("%#x" % nowhere, hex(nowhere)):
            fails.append("unreadable: cut_at is not the address the chain led to")
        failures += fails
        cells[1] = "cut" if not fails else "FAIL"
        failures_before = len(failures)
        cells[2] = stack_left_out(core, clean, deep, root, workdir, failures)
        if len(failures) > failures_before:
            cells[2] = "FAIL"
    except Exception as e:
        failures.append("%s" % e)
    finally:
        for f in os.listdir(workdir):
            os.unlink(os.path.join(workdir, f))
    return failures, cells


def not_python(workdir):
    """The kernel's core of /bin/sleep, killed by SIGABRT."""
    sleeper = subprocess.Popen(["/bin/sleep", "600"], cwd=workdir,
                               preexec_fn=lambda: __import__("resource").setrlimit(
                                   __import__("resource").RLIMIT_CORE, (-1, -1)))
    # parked in its clock_nanosleep (230), not still loading: the core's
    # frames are the sleep's
    why = harness.wait_parked(sleeper.pid, (harness.SYS_CLOCK_NANOSLEEP, 0))
    if why:
        sleeper.kill()
        sleeper.wait()
        return ["sleep: %s" % why]
    os.kill(sleeper.pid, signal.SIGABRT)
    sleeper.wait(timeout=60)
    cores = [f for f in os.listdir(workdir) if f.startswith("core")]
    if len(cores) != 1:
        return ["sleep: expected one core, found %s" % cores]
    core = os.path.join(workdir, cores[0])
    try:
        p = subprocess.run([harness.scanner_path(), "stacks", "--core", core], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
    finally:
        os.unlink(core)
    out, err, failures = p.stdout.decode(), p.stderr.decode(), []
    if p.returncode != 5:
        failures.append("sleep: exit %d, expected 5 (not a CPython process)" % p.returncode)
    if len(err.strip().splitlines()) != 1 or "not a CPython process" not in err:
        failures.append("sleep: stderr is not one line saying so: %r" % err)
    if "Crash: SIGABRT (SI_USER)" not in out or "[native]" not in out or "nanosleep" not in out:
        failures.append("sleep: the crash facts and native frames are not shown: %r" % out[:500])
    # sleep has no symbols of its own: its frames are its offsets and its
    # build-id, as readelf reads it.
    notes = subprocess.run(["readelf", "-n", "/bin/sleep"], stdout=subprocess.PIPE).stdout.decode()
    build_id = [l.split()[-1] for l in notes.splitlines() if "Build ID" in l]
    if not build_id or "(sleep+0x" not in out or "build-id %s)" % build_id[0] not in out:
        failures.append("sleep: its frames without symbols do not show module+offset and build-id %s"
                        % (build_id[0] if build_id else "?"))
    return failures


def main():
    if open("/proc/sys/kernel/core_pattern").read().startswith("|"):
        harness.fatal("core_pattern hands cores to a program: the kernel's cores cannot be read here")
    workdir = tempfile.mkdtemp(prefix="pyheapscan-stacks-damage-")
    results = harness.Results("stacks on damaged cores: frame chains cut, other threads whole",
                              ["cyclic chain", "unreadable link", "stack left out"])
    try:
        for interp in harness.select(lambda i: i.minor in MINORS):
            failures, cells = check(interp, workdir)
            results.add(interp, cells, failures)
        failures = not_python(workdir)
        print("core of /bin/sleep (not Python): %s" % ("exit 5, crash facts and native frames shown"
                                                       if not failures else "; ".join(failures)))
        results.failures += ["sleep-core: %s" % f for f in failures]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(results.report())


if __name__ == "__main__":
    main()
