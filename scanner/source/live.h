/* Reading a live process's memory: process_vm_readv, else /proc/PID/mem. */
#ifndef PYHEAPSCAN_LIVE_H
#define PYHEAPSCAN_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "symbols/proc_maps.h"
#include "source/copy_buffers.h"
#include "source/pagemap.h"
#include "base/errors.h"
#include "source/memory.h"

struct live_reader {
    pid_t pid;
    int mem_fd;        /* /proc/PID/mem, opened on first need */
    bool use_mem_file; /* process_vm_readv is unavailable (ENOSYS) */
    struct pagemap pagemap; /* which pages exist, for the copy to read only those */
};

void live_reader_init(struct live_reader *r, pid_t pid);
void live_reader_close(struct live_reader *r);

/* Reads exactly len bytes; false when any byte cannot be read. */
bool live_read(void *reader, uint64_t addr, void *out, size_t len);

/* Copies the ranges [starts[i], ends[i]) (sorted, not overlapping): the
 * part of memory a stacks request needs kept from the stop (the threads'
 * stacks below their stack pointers' frames). */
bool live_copy_ranges(struct live_reader *r, const uint64_t *starts, const uint64_t *ends, size_t n,
                      struct memory *m, struct error *err);

/* Copies every readable, writable mapping of the target into m, into the
 * buffers made ready before the stop where there is one (ready may be
 * NULL).  Pages that cannot be read (guard pages inside a mapping) are left
 * out of m. */
bool live_copy_writable(struct live_reader *r, const struct proc_maps *maps, struct copy_buffers *ready,
                        struct memory *m, struct error *err);

#endif
