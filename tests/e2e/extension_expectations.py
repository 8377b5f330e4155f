"""What the extension zoo test (tests/e2e/test_extension_zoo.py) allows,
by type name (module.qualname as the target names it), each with its
reason; the README repeats the lists.

INTERPRETERS: the fleet's Debian interpreters the zoo runs on (their
archives carry the libraries; fixtures/fleet/provision.sh installs them).
UNREADABLE: types whose size or referents memory cannot answer without
running code: the scanner flags them (s: size, r: referents).
NOT_YET_MODELLED: types the scanner flags today but could model (a table
per library version, or a reader of more shapes of code).  Both lists only
shrink: an entry no interpreter needs is a failure."""

INTERPRETERS = {"sys-3.11", "trixie-3.13", "sid-3.14"}

UNREADABLE = {
    "pandas._libs.index.Int64Engine":
        "__sizeof__ written in Cython: asks its hash table's sizeof() through attribute lookups",
    "pandas._libs.index.ObjectEngine":
        "__sizeof__ written in Cython: asks its hash table's sizeof() through attribute lookups",
    "pydantic_core._pydantic_core.SchemaValidator":
        "a PyO3 __traverse__: Rust code walking the validator tree (a recursive enum of validators), "
        "visit handed over inside a struct: only running that code would answer",
}

NOT_YET_MODELLED = {
    "greenlet.greenlet":
        "greenlet 2+ is C++: its traverse calls a virtual method of the object's implementation, "
        "whose class (user, main, broken greenlet) each object decides",
    "gevent._gevent_cgreenlet.Greenlet": "a Cython subclass of greenlet.greenlet: its base's traverse",
    "multidict._multidict.MultiDict": "__sizeof__ in C adds the pairs' capacity when not the embedded buffer",
    "multidict._multidict.CIMultiDict": "__sizeof__ in C adds the pairs' capacity when not the embedded buffer",
}
