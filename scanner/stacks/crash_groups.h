/* Many crashes, one row per bug: the cores CI keeps (a directory of them,
 * systemd-coredump's, a night's worth), each reduced to what tells one
 * bug from another (its signature: merged_stack.h), and grouped by it. */
#ifndef PYHEAPSCAN_CRASH_GROUPS_H
#define PYHEAPSCAN_CRASH_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "stacks/merged_stack.h"

struct crash_case {
    char core[4096];
    char error[1024];       /* why it could not be triaged, "" when it was */
    char signal[16];        /* "SIGSEGV", "" when no signal killed it */
    char python_frame[800]; /* the newest Python frame of the thread that matters: "f (file:line)" */
    char stack[4096];       /* that thread's Python frames, newest first, a line each */
    char exe[4096];
    int pid;
    int64_t mtime;          /* when the core was written (seconds since the epoch) */
    struct crash_signature sig;
};

struct crash_group {
    size_t first;           /* the case that shows it (the newest) */
    size_t count;
    int64_t first_seen, last_seen;
};

/* groups (room for ncases) of the triaged cases, most cores first, then
 * by signature; the unreadable ones are in no group.  Returns the count. */
size_t crash_groups_make(const struct crash_case *cases, size_t ncases, struct crash_group *groups);

#endif
