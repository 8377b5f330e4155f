/* One kind of failure, one exit code, one line a person can act on.
 * The codes are documented in README.md ("Exit codes"). */
#ifndef PYHEAPSCAN_ERRORS_H
#define PYHEAPSCAN_ERRORS_H

#include <stddef.h>

enum exit_code {
    EXIT_OK = 0,
    EXIT_INTERNAL = 1,       /* a bug or an unexpected system failure */
    EXIT_USAGE = 2,          /* bad command line */
    EXIT_NO_PROCESS = 3,     /* no such process */
    EXIT_PERMISSION = 4,     /* may not trace or read the target */
    EXIT_NOT_PYTHON = 5,     /* no CPython runtime found in the target */
    EXIT_UNSUPPORTED = 6,    /* a CPython version or build the scanner does not know */
    EXIT_TARGET_GONE = 7,    /* the target exited during the scan */
    EXIT_BAD_HEAP = 8,       /* the target's memory is not a consistent CPython heap */
    EXIT_OUTPUT = 9,         /* the output could not be written */
    EXIT_BAD_CORE = 10,      /* not a readable ELF core (or a corrupt compressed one) */
    EXIT_MISSING_FILE = 11,  /* a file the core mapped is missing, or another build */
    EXIT_BAD_SNAPSHOT = 12,  /* not a snapshot of this format, or corrupt or truncated */
    EXIT_NO_OBJECT = 13,     /* refs: no object at that address */
    EXIT_TRACED = 14,        /* another process (strace, gdb...) already traces the target */
};

struct error {
    enum exit_code code;
    char message[1024];
};

/* Sets e (when it is still clear) and returns false, so that callers can
 * write `return fail(e, ...)`. */
__attribute__((format(printf, 3, 4))) int fail(struct error *e, enum exit_code code,
                                                const char *fmt, ...);

#endif
