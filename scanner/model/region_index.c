#include "region_index.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static size_t slots_bytes(const struct region_slots *r)
{
    return (size_t)((r->end - r->start) >> 4) * sizeof *r->slot;
}

bool region_index_build(struct region_index *ri, const struct memory *m)
{
    memset(ri, 0, sizeof *ri);
    ri->v = calloc(m->count ? m->count : 1, sizeof *ri->v);
    if (!ri->v)
        return false;
    for (size_t i = 0; i < m->count; i++) {
        /* Slots cover whole 16-byte granules inside the region. */
        uint64_t start = (m->regions[i].start + 15) & ~(uint64_t)15;
        uint64_t end = m->regions[i].end & ~(uint64_t)15;
        if (end <= start)
            continue;
        struct region_slots r = {start, end, NULL};
        void *p = mmap(NULL, slots_bytes(&r), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            region_index_free(ri);
            return false;
        }
#ifdef MADV_HUGEPAGE
        madvise(p, slots_bytes(&r), MADV_HUGEPAGE); /* fewer faults and TLB misses */
#endif
        r.slot = p;
        ri->v[ri->count++] = r;
    }
    return true;
}

void region_index_free(struct region_index *ri)
{
    for (size_t i = 0; i < ri->count; i++)
        munmap(ri->v[i].slot, slots_bytes(&ri->v[i]));
    free(ri->v);
    memset(ri, 0, sizeof *ri);
}
