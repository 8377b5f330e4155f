/* Address to object index for objects inside the copied memory: one slot
 * per 16 bytes of each copied region, so that a lookup is a subtraction and
 * a load, and objects that lie near each other in the target (an object,
 * its dict, its list) have their slots near each other too.  A hash of
 * addresses costs a cache and a TLB miss per lookup wherever the objects
 * lie; this costs one only where the target's own memory would. */
#ifndef PYHEAPSCAN_REGION_INDEX_H
#define PYHEAPSCAN_REGION_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memory.h"

struct region_slots {
    uint64_t start, end;
    uint32_t *slot;  /* (end - start) / 16 entries: object index + 1, 0: none */
};

struct region_index {
    struct region_slots *v;  /* sorted by start */
    size_t count;
};

/* Slots for every region of m (mapped lazily: a page of slots costs memory
 * only once an object lies in the 64 KiB of the target it covers).  False
 * when out of memory. */
bool region_index_build(struct region_index *ri, const struct memory *m);
void region_index_free(struct region_index *ri);

/* The slot of addr, or NULL when addr lies in no region or is not 16-byte
 * aligned (CPython's allocators align every heap object to 16; static
 * objects may not be). */
static inline uint32_t *region_index_slot(const struct region_index *ri, uint64_t addr)
{
    if (addr & 15)
        return NULL;
    size_t lo = 0, hi = ri->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct region_slots *r = &ri->v[mid];
        if (addr < r->start)
            hi = mid;
        else if (addr >= r->end)
            lo = mid + 1;
        else
            return &r->slot[(addr - r->start) >> 4];
    }
    return NULL;
}

#endif
