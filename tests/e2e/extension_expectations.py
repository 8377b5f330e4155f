"""What the extension zoo test (tests/e2e/test_extension_zoo.py) allows.

INTERPRETERS: the fleet's Debian interpreters the zoo runs on (their
archives carry the libraries; fixtures/fleet/provision.sh installs them).
ABSENT: per interpreter, libraries its archive lacks, with the reason.
UNREADABLE: types whose size or referents memory cannot answer, with the
reason; the README repeats the list."""

INTERPRETERS = {"sys-3.11", "trixie-3.13", "sid-3.14"}

ABSENT = {}

UNREADABLE = {}
