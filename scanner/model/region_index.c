#include "model/region_index.h"

#include <stdlib.h>
#include <string.h>

#include "base/mapped_array.h"

_Thread_local const struct region_groups *region_index_last;

static const uint32_t slab_size[REGION_SLAB_CLASSES] = {4, 8, 12, 16, 24, 32, 48, 64};

static size_t groups_bytes(const struct region_groups *r)
{
    size_t granules = (size_t)((r->end - r->start) >> 4);
    return (granules + 63) / 64 * sizeof *r->group;
}

static void build_chunks(struct region_index *ri)
{
    size_t chunks = 0;
    for (size_t i = 0; i < ri->count; i++)
        chunks += (size_t)(((ri->v[i].end - 1) >> REGION_CHUNK_SHIFT) - (ri->v[i].start >> REGION_CHUNK_SHIFT) + 1);
    size_t slots = 64;
    while (slots < chunks * 2)
        slots *= 2;
    if (chunks >= UINT32_MAX / 2 || ri->count >= UINT32_MAX || !(ri->chunks = calloc(slots, sizeof *ri->chunks)))
        return;
    ri->chunk_mask = slots - 1;
    /* by start: a chunk's first region is the first to claim it */
    for (size_t i = 0; i < ri->count; i++)
        for (uint64_t c = ri->v[i].start >> REGION_CHUNK_SHIFT; c <= (ri->v[i].end - 1) >> REGION_CHUNK_SHIFT; c++) {
            if (c + 1 > UINT32_MAX) {
                free(ri->chunks); /* beyond 2^53: the search */
                ri->chunks = NULL;
                return;
            }
            size_t j = region_chunk_slot(c + 1, ri->chunk_mask);
            while (ri->chunks[j].chunk && ri->chunks[j].chunk != c + 1)
                j = (j + 1) & ri->chunk_mask;
            if (!ri->chunks[j].chunk)
                ri->chunks[j] = (struct region_chunk){(uint32_t)(c + 1), (uint32_t)i};
        }
}

bool region_index_build(struct region_index *ri, const struct memory *m)
{
    memset(ri, 0, sizeof *ri);
    for (size_t c = 0; c < REGION_SLAB_CLASSES; c++)
        ri->free_slab[c] = UINT32_MAX;
    ri->v = calloc(m->count ? m->count : 1, sizeof *ri->v);
    if (!ri->v)
        return false;
    size_t bytes = 0;
    for (size_t i = 0; i < m->count; i++) {
        uint64_t start = (m->regions[i].start + 15) & ~(uint64_t)15;
        uint64_t end = m->regions[i].end & ~(uint64_t)15;
        if (end <= start)
            continue;
        struct region_groups r = {start, end, (struct region_group *)(uintptr_t)bytes,
                                  m->regions[i].data + (start - m->regions[i].start)};
        ri->v[ri->count++] = r;
        bytes += (groups_bytes(&r) + 63) & ~(size_t)63;
    }
    /* One mapping for every region's groups: huge pages where a region's
     * own would have been 4 KiB pages (most regions' groups are under
     * 2 MiB), each faulted in at a fifth of the speed. */
    void *p = mapped_array_reserve(bytes, 1);
    if (!p) {
        free(ri->v);
        ri->v = NULL;
        ri->count = 0;
        return false;
    }
    ri->groups_base = p;
    ri->groups_bytes = bytes;
    for (size_t i = 0; i < ri->count; i++)
        ri->v[i].group = (struct region_group *)((char *)p + (uintptr_t)ri->v[i].group);
    build_chunks(ri); /* without it (out of memory), the search */
    /* The slabs: an entry for each granule, which their slack and the
     * slabs given up stay within but for the smallest heaps (grown past it
     * by moving). */
    size_t granules = 0;
    for (size_t i = 0; i < ri->count; i++)
        granules += (size_t)((ri->v[i].end - ri->v[i].start) >> 4);
    if (granules < UINT32_MAX && (ri->pool = mapped_array_reserve(granules + 65536, sizeof *ri->pool))) {
        ri->pool_cap = granules + 65536;
        ri->pool_mapped = true;
    }
    return true;
}

void region_index_free(struct region_index *ri)
{
    mapped_array_free(ri->groups_base, ri->groups_bytes, 1);
    free(ri->v);
    free(ri->chunks);
    array_free(ri->pool, ri->pool_cap, sizeof *ri->pool, ri->pool_mapped);
    memset(ri, 0, sizeof *ri);
}

/* A slab of class c: one given up by a group that outgrew it, else the
 * pool's next.  Its place, not a pointer: the pool moves as it grows. */
static bool slab_take(struct region_index *ri, uint32_t c, uint32_t *at)
{
    if (ri->free_slab[c] != UINT32_MAX) {
        *at = ri->free_slab[c];
        ri->free_slab[c] = ri->pool[*at]; /* a free slab's first entry links the next */
        return true;
    }
    size_t need = ri->pool_used + slab_size[c];
    if (need > UINT32_MAX)
        return false;
    if (need > ri->pool_cap) {
        size_t cap = ri->pool_cap ? ri->pool_cap * 2 : (size_t)1 << 16;
        while (cap < need)
            cap *= 2;
        uint32_t *grown = array_grow(ri->pool, ri->pool_cap, cap, sizeof *grown, ri->pool_mapped);
        if (!grown)
            return false;
        ri->pool = grown;
        ri->pool_cap = cap;
    }
    *at = (uint32_t)ri->pool_used;
    ri->pool_used = need;
    return true;
}

bool region_index_add(struct region_index *ri, struct region_groups *r, uint64_t addr, uint32_t index)
{
    uint64_t granule = (addr - r->start) >> 4;
    struct region_group *g = &r->group[granule >> 6];
    uint64_t bit = UINT64_C(1) << (granule & 63);
    if (g->starts & bit)
        return true; /* an address listed twice (a torn heap): the first index stays */
    uint32_t n = region_bits(g->starts), rank = region_bits(g->starts & (bit - 1));
    if (n == 0) {
        if (!slab_take(ri, 0, &g->at))
            return false;
        g->cls = 0;
    } else if (n == slab_size[g->cls]) {
        /* Full: the next class's slab, with a gap at rank. */
        uint32_t at;
        if (!slab_take(ri, g->cls + 1, &at))
            return false;
        memcpy(ri->pool + at, ri->pool + g->at, rank * sizeof *ri->pool);
        memcpy(ri->pool + at + rank + 1, ri->pool + g->at + rank, (n - rank) * sizeof *ri->pool);
        ri->pool[g->at] = ri->free_slab[g->cls];
        ri->free_slab[g->cls] = g->at;
        g->at = at;
        g->cls++;
    } else {
        memmove(ri->pool + g->at + rank + 1, ri->pool + g->at + rank, (n - rank) * sizeof *ri->pool);
    }
    ri->pool[g->at + rank] = index;
    g->starts |= bit;
    return true;
}

/* A group marked in the first pass of region_index_add_all: its bits are
 * set, its slab not taken yet. */
#define SLAB_PENDING UINT32_MAX

bool region_index_add_all(struct region_index *ri, const uint64_t *addr, size_t n, uint32_t first,
                          bool (*outside)(void *ctx, uint64_t addr, uint32_t index), void *ctx)
{
    /* 1. Each object's bit: a group's count is known before its slab is
     * taken, and it takes it once. */
    for (size_t k = 0; k < n; k++) {
        struct region_groups *r = region_index_region(ri, addr[k]);
        if (!r)
            continue;
        uint64_t granule = (addr[k] - r->start) >> 4;
        struct region_group *g = &r->group[granule >> 6];
        if (!g->starts)
            g->at = SLAB_PENDING;
        g->starts |= UINT64_C(1) << (granule & 63);
    }
    /* 2. Each group's slab, at its first object; each object at its rank,
     * unless an object listed before it has its address (a torn heap). */
    for (size_t k = 0; k < n; k++) {
        struct region_groups *r = region_index_region(ri, addr[k]);
        if (!r) {
            if (!outside(ctx, addr[k], first + (uint32_t)k))
                return false;
            continue;
        }
        uint64_t granule = (addr[k] - r->start) >> 4;
        struct region_group *g = &r->group[granule >> 6];
        uint64_t bit = UINT64_C(1) << (granule & 63);
        if (g->at == SLAB_PENDING) {
            uint32_t count = region_bits(g->starts), c = 0, at;
            while (slab_size[c] < count)
                c++;
            if (!slab_take(ri, c, &at))
                return false;
            memset(ri->pool + at, 0xFF, count * sizeof *ri->pool);
            g->at = at;
            g->cls = c;
        }
        uint32_t *slot = &ri->pool[g->at + region_bits(g->starts & (bit - 1))];
        if (*slot == UINT32_MAX)
            *slot = first + (uint32_t)k;
    }
    return true;
}
