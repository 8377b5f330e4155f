"""The target of bench/extension_types.py: the extension zoo's libraries
and objects (fixtures/extension_zoo_fixture.py), then more objects of
their types, cheap to make, until the gc holds NOBJECTS objects.
Prints "gc N types T" (third-party C types with objects), then READY, and
waits for a line on stdin.

usage: extension_target.py FIXTURES_DIR NOBJECTS"""
import gc
import os
import sys

sys.path.insert(0, sys.argv[1])
import extension_zoo_fixture as ez  # noqa: E402


def bulk(n):
    """Objects of a spread of the libraries' types, n at least."""
    made = []
    makers = []
    try:
        import frozenlist
        makers.append(lambda i: frozenlist.FrozenList([i]))
    except ImportError:
        pass
    try:
        import multidict
        makers.append(lambda i: multidict.MultiDict(a=i))
    except ImportError:
        pass
    try:
        import yarl
        makers.append(lambda i: yarl.URL("http://h.invalid/%d" % i))
    except ImportError:
        pass
    try:
        from lxml import etree
        makers.append(lambda i: etree.Element("e%d" % (i % 10)))
    except ImportError:
        pass
    try:
        import wrapt
        makers.append(lambda i: wrapt.ObjectProxy([i]))
    except ImportError:
        pass
    try:
        import cytoolz
        makers.append(lambda i: cytoolz.curry(max, i))
    except ImportError:
        pass
    makers.append(lambda i: [i])
    i = 0
    while len(gc.get_objects()) < n:
        for _ in range(10000):
            made.append(makers[i % len(makers)](i))
            i += 1
    return made


def main():
    head = []
    imported = ez.import_libraries(head)
    zoo = ez.make(imported, head)
    held = bulk(int(sys.argv[2]))
    gc.collect()
    gc.disable()
    types = ez.third_party_c_types()
    print("gc %d types %d" % (len(gc.get_objects()), len(types)), flush=True)
    print("READY", flush=True)
    sys.stdin.readline()
    return zoo, held


if __name__ == "__main__":
    main()
