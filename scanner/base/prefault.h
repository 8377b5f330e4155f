/* Fresh pages faulted in on another core, ahead of the code that fills them.
 *
 * The kernel zeroes every page an array touches for the first time, and on
 * a virtual machine whose host backs memory only then, that zeroing is the
 * largest cost of building the graph (perf: a fifth of a scan's CPU for its
 * arrays, at 300-400 MB/s).  An array that grows, or a big one just
 * allocated, is handed to one background thread that faults its pages in
 * with MADV_POPULATE_WRITE while this thread goes on with its work; pages
 * the worker has not reached yet are faulted in by whoever touches them
 * first, as before.
 *
 * The worker never writes: MADV_POPULATE_WRITE maps pages without changing
 * their contents, so a range freed or moved (realloc) meanwhile costs at
 * most a wasted fault.  On one core, or a kernel without the advice (before
 * Linux 5.14), nothing happens. */
#ifndef PYHEAPSCAN_PREFAULT_H
#define PYHEAPSCAN_PREFAULT_H

#include <stddef.h>

/* Queues [p, p + len) for the worker; returns at once.  Ranges under a
 * megabyte are not worth a wake-up and are ignored. */
void prefault_async(const void *p, size_t len);

/* The tail a realloc from old_bytes to new_bytes added at p, as far as half
 * the old size: a doubled array is filled to an unknown part of its new
 * half, and the pages past that would be memory the scan never uses. */
static inline void prefault_grown(const void *p, size_t old_bytes, size_t new_bytes)
{
    if (p && new_bytes > old_bytes) {
        size_t tail = new_bytes - old_bytes, half = old_bytes / 2;
        prefault_async((const char *)p + old_bytes, half < tail ? half : tail);
    }
}

#endif
