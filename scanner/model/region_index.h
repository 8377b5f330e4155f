/* Address to object index for objects inside the copied memory.  Each
 * region's 16-byte granules (CPython aligns every heap object to 16) are
 * grouped by 64, a KiB of the target: a group keeps one bit per granule at
 * which an object starts, and those objects' indices, in address order, in
 * a slab of a shared pool.  A lookup is a subtraction, a load, a count of
 * the bits below and a load; objects near each other in the target (an
 * object, its dict, its list) have their entries near each other too.
 *
 * A slot per granule, the index before, cost a quarter of the copy's size
 * (41 MiB of a 1M-object heap's 163 MiB, 324 MiB at 9M objects), most of
 * it zero, and first-touched memory is what the scan's time follows on a
 * virtual machine; this costs 16 bytes per KiB of copy and 4 bytes per
 * object plus the slabs' slack (about a fifth).  A hash of addresses costs
 * a cache and a TLB miss per lookup wherever the objects lie; this costs
 * one only where the target's own memory would, and the groups are 64
 * times smaller than the slots were. */
#ifndef PYHEAPSCAN_REGION_INDEX_H
#define PYHEAPSCAN_REGION_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source/memory.h"

/* A slab holds 4, 8, 12, 16, 24, 32, 48 or 64 indices: a group grows to
 * the next size (its old slab is kept for another group), so that a slab
 * is at least two thirds full once a group has more than four objects. */
#define REGION_SLAB_CLASSES 8

struct region_group {
    uint64_t starts;  /* bit k: an object starts at granule k of the group */
    uint32_t at;      /* its slab in the pool: the objects' indices by address */
    uint32_t cls;     /* the slab's size class */
};

struct region_groups {
    uint64_t start, end;          /* whole granules inside the region */
    struct region_group *group;   /* one per 64 granules, mapped lazily */
    const unsigned char *data;    /* the copy of start: an object found here is read
                                     without a second search of the memory's regions */
};

/* The regions by the 2 MiB chunks of the address space they cover: a
 * lookup's region is found by a hash of its chunk, not a search over the
 * regions (a heap has dozens to hundreds; lookups alternate between them,
 * and at 9M objects a third of them missed the last region found, each
 * then a search of unpredictable branches). */
#define REGION_CHUNK_SHIFT 21

struct region_chunk {
    uint32_t chunk; /* (address >> REGION_CHUNK_SHIFT) + 1; 0: an empty slot */
    uint32_t first; /* the first region that overlaps it */
};

struct region_index {
    struct region_groups *v;  /* sorted by start */
    void *groups_base;        /* every region's groups, one mapping */
    size_t groups_bytes;
    size_t count;
    struct region_chunk *chunks; /* open addressing, by chunk */
    size_t chunk_mask;
    uint32_t *pool;           /* the slabs */
    size_t pool_used, pool_cap;
    bool pool_mapped;         /* a mapping (mapped_array.h), not malloc's */
    uint32_t free_slab[REGION_SLAB_CLASSES];  /* slabs given up, by class; UINT32_MAX: none */
};

/* Groups for every region of m (mapped lazily: a page of groups costs
 * memory only once an object lies in the target's memory it covers).
 * False when out of memory. */
bool region_index_build(struct region_index *ri, const struct memory *m);
void region_index_free(struct region_index *ri);

/* The region the calling thread found last: lookups come in runs inside one
 * region (an object's referents, a list's items), and the search over a
 * heap's hundreds of regions cost more than the lookup in one. */
extern _Thread_local const struct region_groups *region_index_last;

static inline size_t region_chunk_slot(uint64_t chunk, size_t mask)
{
    return (size_t)((chunk * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & mask;
}

/* The region holding addr, or NULL when addr lies in none or is not
 * 16-byte aligned (CPython's allocators align every heap object to 16;
 * static objects may not be). */
static inline struct region_groups *region_index_region(const struct region_index *ri, uint64_t addr)
{
    if (addr & 15)
        return NULL;
    /* (as integers: the hint may be of another index, even a freed one) */
    uintptr_t last = (uintptr_t)region_index_last, first = (uintptr_t)ri->v;
    if (last - first < ri->count * sizeof *ri->v) {
        struct region_groups *r = &ri->v[(last - first) / sizeof *ri->v];
        if (addr >= r->start && addr < r->end)
            return r;
    }
    if (ri->chunks) {
        uint64_t chunk = (addr >> REGION_CHUNK_SHIFT) + 1;
        for (size_t j = region_chunk_slot(chunk, ri->chunk_mask);; j = (j + 1) & ri->chunk_mask) {
            const struct region_chunk *c = &ri->chunks[j];
            if (c->chunk == chunk) {
                for (size_t k = c->first; k < ri->count && ri->v[k].start <= addr; k++)
                    if (addr < ri->v[k].end) {
                        region_index_last = &ri->v[k];
                        return &ri->v[k];
                    }
                return NULL;
            }
            if (!c->chunk)
                return NULL;
        }
    }
    size_t lo = 0, hi = ri->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        struct region_groups *r = &ri->v[mid];
        if (addr < r->start)
            hi = mid;
        else if (addr >= r->end)
            lo = mid + 1;
        else {
            region_index_last = r;
            return r;
        }
    }
    return NULL;
}

/* Set bits of x.  By hand: the portable build has no popcnt instruction,
 * and the compiler's builtin is then a call. */
static inline unsigned region_bits(uint64_t x)
{
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
    return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* The index of the object at addr, inside r, or UINT32_MAX. */
static inline uint32_t region_index_lookup(const struct region_index *ri, const struct region_groups *r,
                                           uint64_t addr)
{
    uint64_t granule = (addr - r->start) >> 4;
    const struct region_group *g = &r->group[granule >> 6];
    uint64_t bit = UINT64_C(1) << (granule & 63);
    if (!(g->starts & bit))
        return UINT32_MAX;
    return ri->pool[g->at + region_bits(g->starts & (bit - 1))];
}

/* Records index for addr, inside r; an address already there keeps its
 * first index.  False when out of memory. */
bool region_index_add(struct region_index *ri, struct region_groups *r, uint64_t addr, uint32_t index);

/* Records addr[k] with index first + k for every k < n, in an index that
 * holds no object yet: a first pass counts each group's objects, so that a
 * second takes its slab once at its size, where adding them one at a time
 * grew it by steps (and shifted entries at each).  An address outside
 * every region is handed to outside; an address listed twice keeps its
 * first index.  False when out of memory (or outside said so). */
bool region_index_add_all(struct region_index *ri, const uint64_t *addr, size_t n, uint32_t first,
                          bool (*outside)(void *ctx, uint64_t addr, uint32_t index), void *ctx);

#endif
