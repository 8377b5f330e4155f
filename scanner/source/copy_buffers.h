/* Destination buffers for the live copy, made ready before the target is
 * stopped.
 *
 * A buffer freshly mapped costs a page fault (and the kernel zeroing the
 * page) for every page the copy writes; on small machines those faults cost
 * more than the copy itself.  Paid inside the stop, they lengthen the pause
 * the target sees, so the buffers for the writable mappings seen before the
 * stop are faulted in first (huge pages where the kernel gives them), and the
 * copy takes them by start address. */
#ifndef PYHEAPSCAN_COPY_BUFFERS_H
#define PYHEAPSCAN_COPY_BUFFERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "symbols/proc_maps.h"

struct copy_buffer {
    uint64_t start;        /* the mapping's start when the buffer was made */
    size_t len;
    unsigned char *data;   /* NULL once taken */
};

struct copy_buffers {
    struct copy_buffer *v;
    size_t count;
};

struct pagemap;

/* Maps and faults in a buffer for every mapping the live copy will read
 * (readable, writable, not special); of a big anonymous mapping, only the
 * pages pagemap says are in use now (pagemap may be NULL: none of those).
 * Best effort: a buffer that cannot be made is left out, and the copy maps
 * its own. */
void copy_buffers_prepare(struct copy_buffers *b, const struct proc_maps *maps, struct pagemap *pagemap);

/* A buffer of exactly len bytes for the mapping at start, faulted in as far
 * as the mapping was long before the stop; NULL when none was made for it. */
unsigned char *copy_buffers_take(struct copy_buffers *b, uint64_t start, size_t len);

/* Unmaps the buffers not taken. */
void copy_buffers_free(struct copy_buffers *b);

#endif
