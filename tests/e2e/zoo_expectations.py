"""What the zoo test (tests/e2e/test_zoo.py) allows, by type name
(module.qualname), each with its reason; the README repeats them.

UNREADABLE: types whose size or referents cannot be read from the target's
memory, so the scanner flags them (s: size, r: referents) rather than guess.
NO_INSTANCE: C types the zoo cannot make in a headless test process."""

UNREADABLE = {
}

NO_INSTANCE = {
}
