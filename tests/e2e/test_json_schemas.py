"""Every command's JSON against its schema in README.md ("### JSON
schemas"): the schemas are read from the README's json-schema blocks, and
real outputs must have every key the schema names (but those marked "?"),
no other key, and values of the schema's types, all the way down.  On
each interpreter of the minors: the heap fixture (the heap report, --by
id, --retained, a gcore core of it, top, top --by, paths ADDR and --where,
suspects), two snapshots of it with growth between them (diff, a series),
the stacks fixture (stacks --native --locals, triage) and a crash's core
(stacks and triage with the crash's facts).  Each schema must have been
met at least once, and each optional key seen at least once where an
output can have it, so that a schema describing nothing fails too."""
import json
import os
import re
import shutil
import sys
import tempfile

import harness
from test_crash import crash_core
from test_stacks import end, parked_target

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11", "3.14"]
README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")
TYPES = {"int": lambda v: isinstance(v, int) and not isinstance(v, bool),
         "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
         "str": lambda v: isinstance(v, str),
         "bool": lambda v: isinstance(v, bool),
         "null": lambda v: v is None,
         "hex": lambda v: isinstance(v, str) and re.fullmatch(r"0|0x[0-9a-f]+", v) is not None}
# Schemas no sound run can meet, and why.
UNMET = {"heap-error": "triage's heap is an error only when the heap cannot be read"}


def schemas():
    text = open(README).read()
    blocks = re.findall(r"```json-schema ([a-z-]+)\n(.*?)```", text, re.S)
    if not blocks:
        harness.fatal("README.md has no json-schema blocks")
    return {name: json.loads(body) for name, body in blocks}


class Checker:
    def __init__(self, defs):
        self.defs = defs
        self.used = set()        # schemas met
        self.optional = {}       # (block, key) -> seen anywhere

    def check(self, name, value):
        """Differences of value from schema name, as "path: what" lines."""
        return self.value("$" + name, value, name, name)

    def value(self, schema, v, path, block):
        if isinstance(schema, str):
            alts = schema.split("|")
            errors = []
            for alt in alts:
                if alt.startswith("$"):
                    if not isinstance(v, dict) and not isinstance(self.defs[alt[1:]], list):
                        errors.append("%s: %r is no object (%s)" % (path, v, alt))
                        continue
                    got = self.value(self.defs[alt[1:]], v, path, alt[1:])
                    if not got:
                        self.used.add(alt[1:])
                        return []
                    errors += got
                elif alt in TYPES:
                    if TYPES[alt](v):
                        return []
                    errors.append("%s: %r is not %s" % (path, v, schema))
                else:
                    harness.fatal("README schema: unknown type %r" % alt)
            return errors[:5] if len(alts) == 1 else ["%s: %r matches none of %s (%s)"
                                                      % (path, v, schema, "; ".join(errors[:3]))]
        if isinstance(schema, list):
            if not isinstance(v, list):
                return ["%s: %r is no array" % (path, v)]
            out = []
            for k, item in enumerate(v):
                out += self.value(schema[0], item, "%s[%d]" % (path, k), block)
            return out[:3]
        if not isinstance(v, dict):
            return ["%s: %r is no object" % (path, v)]
        fields = dict(schema)
        origin = {k: block for k in fields}
        while "$include" in fields:
            name = fields.pop("$include")
            self.used.add(name)
            fields.update(self.defs[name])
            origin.update({k: name for k in self.defs[name]})
        out = []
        if "*" in fields:
            for k, item in v.items():
                out += self.value(fields["*"], item, "%s.%s" % (path, k), block)
            return out
        for key, sub in fields.items():
            bare = key.rstrip("?")
            if key.endswith("?"):
                where = (origin[key], bare)
                self.optional[where] = self.optional.get(where, False) or bare in v
                if bare not in v:
                    continue
            elif bare not in v:
                out.append("%s: no key %r" % (path, bare))
                continue
            out += self.value(sub, v[bare], "%s.%s" % (path, bare), origin[key])
        extra = set(v) - {k.rstrip("?") for k in fields}
        if extra:
            out.append("%s: keys the schema does not name: %s" % (path, sorted(extra)))
        return out


def outputs(interp, workdir):
    """(schema name, what, JSON document) of every command on interp."""
    got = []

    def scan(schema, what, args):
        p = harness.run_scanner(args)
        got.append((schema, what, json.loads(p.stdout)))

    target = harness.Target(interp)
    try:
        pid = ["-p", str(target.pid)]
        scan("heap", "heap report", pid + ["--format", "json", "--top", "3", "--retained"])
        scan("heap", "--by id", pid + ["--format", "json", "--top", "3", "--by", "id"])
        scan("heap", "top --by", ["top"] + pid + ["--by", "clodo", "-n", "3", "--format", "json"])
        # a reachable list: paths of one gives a length (the heap fixture
        # keeps garbage lists too, and which comes first varies with the
        # run's hash seed: found on sid-3.14)
        objs = harness.run_scanner(pid + ["--set", "reachable", "--format", "objects"]).stdout.decode().splitlines()
        addr = next(line.split("\t")[0] for line in objs if line.split("\t")[3] == "list")
        scan("paths", "paths ADDR", ["paths"] + pid + [addr, "--format", "json"])
        scan("paths-where", "paths --where", ["paths"] + pid + ["--where", "list", "-n", "2", "--format", "json"])
        scan("top", "top --depth 2", ["top"] + pid + ["-n", "2", "--depth", "2", "--format", "json"])
        scan("suspects", "suspects", ["suspects"] + pid + ["--threshold", "1", "-n", "2", "--format", "json"])
        before, after = os.path.join(workdir, "before.snap"), os.path.join(workdir, "after.snap")
        harness.run_scanner(pid + ["--save", before])
        target.grow()
        harness.run_scanner(pid + ["--save", after])
        core = harness.gcore(target.pid, workdir)
        harness.wait_parked(target.pid, (harness.SYS_READ, 0))
        scan("heap", "a core", ["--core", core, "--format", "json", "--top", "3"]
             + (["--sysroot", interp.root] if interp.root.rstrip("/") else []))
        os.unlink(core)
        scan("diff", "diff", ["diff", before, after, "--format", "json", "--top", "3"])
        scan("series", "suspects A B", ["suspects", before, after, "--threshold", "1", "-n", "2",
                                        "--format", "json"])
    finally:
        target.kill()
        target.cleanup()
    stacks = parked_target(interp)
    try:
        pid = ["-p", str(stacks.pid)]
        scan("stacks", "stacks --native --locals", ["stacks"] + pid + ["--native", "--locals", "--format", "json"])
        scan("triage", "triage", ["triage"] + pid + ["--format", "json"])
    finally:
        end(stacks)
    truth, core, run = crash_core(interp, "null", workdir)
    try:
        root = ["--sysroot", interp.root] if interp.root.rstrip("/") else []
        scan("stacks", "stacks of a crash", ["stacks", "--core", core, "--native", "--format", "json"] + root)
        scan("triage", "triage of a crash", ["triage", "--core", core, "--format", "json"] + root)
        with open(os.path.join(run, "core.truncated"), "wb") as f:  # one unreadable core beside it
            f.write(open(core, "rb").read(4096))
        scan("triage-group", "triage of a directory", ["triage", run, "--format", "json"] + root)
    finally:
        shutil.rmtree(run, ignore_errors=True)
    return got


def main():
    defs = schemas()
    results = harness.Results("every command's JSON against README.md's schemas",
                              ["outputs", "schemas met", "optional keys seen"])
    for interp in harness.select(lambda i: i.minor in MINORS):
        checker = Checker(defs)
        failures = []
        workdir = tempfile.mkdtemp(prefix="pyheapscan-schemas-")
        try:
            docs = outputs(interp, workdir)
        except Exception as e:  # a scan that failed or timed out: reported, not a crash of the test
            results.add(interp, ["-", "-", "-"], ["%s" % e])
            harness.clear_workdir(workdir, True)
            continue
        for schema, what, doc in docs:
            failures += ["%s: %s" % (what, d) for d in checker.check(schema, doc)]
            checker.used.add(schema)
        unmet = sorted(set(defs) - checker.used - set(UNMET))
        if unmet:
            failures.append("schemas no output met: %s" % unmet)
        unseen = sorted("%s.%s" % k for k, seen in checker.optional.items() if not seen)
        if unseen:
            failures.append("optional keys no output had: %s" % unseen)
        seen = sum(checker.optional.values())
        results.add(interp, [str(len(docs)), "%d/%d" % (len(checker.used & set(defs)), len(defs)),
                             "%d/%d" % (seen, len(checker.optional))], failures)
        harness.clear_workdir(workdir, bool(failures))
    sys.exit(results.report())


if __name__ == "__main__":
    main()
