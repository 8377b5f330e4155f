/* Reading the copy's runs of target memory on more than one core: the
 * stop lasts as long as the copy, and one thread's process_vm_readv leaves
 * the other cores idle while the target waits. */
#ifndef PYHEAPSCAN_COPY_RUNS_H
#define PYHEAPSCAN_COPY_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct copy_run {
    uint64_t addr;      /* in the target */
    unsigned char *buf; /* the destination, len bytes */
    size_t len;
    bool ok;            /* set by copy_runs_read: read whole */
};

/* Largest run copy_runs_read is given: the threads take runs one at a
 * time, and pieces of this size keep them even to within a millisecond. */
#define COPY_RUN_MAX ((size_t)1 << 20)

/* Reads each run from process pid with process_vm_readv, on up to as many
 * threads as a scan may run; a run not read whole (a page that cannot be
 * read, a process gone) says so in ok, and the caller copies its mapping
 * the plain way. */
void copy_runs_read(pid_t pid, struct copy_run *runs, size_t n);

#endif
