#include "model/heap.h"

#include <stdlib.h>
#include <string.h>

#include "base/mapped_array.h"

void heap_init(struct heap *h)
{
    memset(h, 0, sizeof *h);
    type_table_init(&h->types);
}

void heap_free(struct heap *h)
{
    array_free(h->addr, h->cap, sizeof *h->addr, h->arrays_mapped);
    array_free(h->type, h->cap, sizeof *h->type, h->arrays_mapped);
    array_free(h->size, h->cap, sizeof *h->size, h->arrays_mapped);
    array_free(h->origin, h->cap, sizeof *h->origin, h->arrays_mapped);
    array_free(h->edge_start, h->edge_start_cap, sizeof *h->edge_start, h->edge_start_mapped);
    array_free(h->edge_to, h->edge_cap, sizeof *h->edge_to, h->edges_mapped);
    array_free(h->edge_label, h->edge_cap, sizeof *h->edge_label, h->edges_mapped);
    array_free(h->edge_kind, h->edge_cap, sizeof *h->edge_kind, h->edges_mapped);
    name_table_free(&h->names);
    free(h->extra_from);
    free(h->extra_first);
    free(h->extra_has);
    free(h->extra_to);
    free(h->extra_label);
    free(h->index);
    region_index_free(&h->regions);
    for (size_t i = 0; i < h->ncontents; i++)
        free(h->contents[i].data);
    free(h->contents);
    free(h->content_of);
    free(h->dict_owned_by);
    free(h->roots);
    free(h->reach);
    free(h->refcnt);
    free(h->weakrefs);
    type_table_free(&h->types);
    memset(h, 0, sizeof *h);
}

#define GROW(field, cap)                                                \
    do {                                                                \
        void *p = array_grow(h->field, h->cap, cap, sizeof *h->field, h->arrays_mapped); \
        if (!p)                                                         \
            return false;                                               \
        h->field = p;                                                   \
    } while (0)

bool heap_reserve(struct heap *h, size_t more)
{
    if (h->count + more <= h->cap)
        return true;
    size_t cap = h->cap ? h->cap : 1024;
    while (cap < h->count + more)
        cap *= 2;
    GROW(addr, cap);
    GROW(type, cap);
    GROW(size, cap);
    GROW(origin, cap);
    h->cap = cap;
    return true;
}

void heap_reserve_untouched(struct heap *h, uint64_t copied_bytes)
{
    /* CPython aligns its objects to 16 bytes: no more objects than that in
     * the copy, bar a few static ones outside it. */
    uint64_t objects = copied_bytes / 16 + 4096;
    if (h->cap || objects >= UINT32_MAX / 2)
        return;
    void *addr = mapped_array_reserve(objects, sizeof *h->addr),
         *type = mapped_array_reserve(objects, sizeof *h->type),
         *size = mapped_array_reserve(objects, sizeof *h->size),
         *origin = mapped_array_reserve(objects, sizeof *h->origin);
    if (!addr || !type || !size || !origin) {
        /* out of address space: grown as it fills, as before */
        mapped_array_free(addr, objects, sizeof *h->addr);
        mapped_array_free(type, objects, sizeof *h->type);
        mapped_array_free(size, objects, sizeof *h->size);
        mapped_array_free(origin, objects, sizeof *h->origin);
        return;
    }
    h->addr = addr;
    h->type = type;
    h->size = size;
    h->origin = origin;
    h->cap = (size_t)objects;
    h->arrays_mapped = true;
    /* The edges, when made, reserved as well (heap_edges_grow): a
     * reference is a pointer in the copy, so there are about as many as its
     * words at most (more are grown into, moving). */
    h->edges_room = copied_bytes / 8 + 65536;
}

bool heap_edges_grow(struct heap *h)
{
    bool kinds = h->want_labels && h->label_kinds_only, labels = h->want_labels && !kinds;
    if (!h->edge_cap && h->edges_room && h->edges_room < UINT32_MAX) {
        uint64_t n = h->edges_room;
        uint32_t *to = mapped_array_reserve(n, sizeof *to), *label = NULL;
        uint8_t *kind = NULL;
        if (to && (kinds ? (kind = mapped_array_reserve(n, sizeof *kind)) != NULL
                         : !labels || (label = mapped_array_reserve(n, sizeof *label)) != NULL)) {
            h->edge_to = to;
            h->edge_label = label;
            h->edge_kind = kind;
            h->edge_cap = n;
            h->edges_mapped = true;
            return true;
        }
        mapped_array_free(to, n, sizeof *to);
        mapped_array_free(label, n, sizeof *label);
        mapped_array_free(kind, n, sizeof *kind);
    }
    uint64_t cap = h->edge_cap ? h->edge_cap * 2 : 1 << 16;
    uint32_t *to = array_grow(h->edge_to, h->edge_cap, cap, sizeof *to, h->edges_mapped);
    if (!to)
        return false;
    h->edge_to = to;
    if (kinds || labels) {
        /* (a failure leaves edge_to larger than edge_cap says: a mapping's
         * tail then stays mapped until the exit) */
        void *more = kinds ? array_grow(h->edge_kind, h->edge_cap, cap, sizeof *h->edge_kind, h->edges_mapped)
                           : array_grow(h->edge_label, h->edge_cap, cap, sizeof *h->edge_label, h->edges_mapped);
        if (!more)
            return false;
        if (kinds)
            h->edge_kind = more;
        else
            h->edge_label = more;
    }
    h->edge_cap = cap;
    return true;
}

bool heap_edge_start_room(struct heap *h, size_t n)
{
    if (h->edge_start && n <= h->edge_start_cap)
        return true;
    if (!h->edge_start && h->arrays_mapped && n <= h->cap + 2 &&
        (h->edge_start = mapped_array_reserve(h->cap + 2, sizeof *h->edge_start))) {
        h->edge_start_cap = h->cap + 2; /* as many as the objects' reservation */
        h->edge_start_mapped = true;
        return true;
    }
    /* doubled, not the objects' room: that may be a reservation */
    size_t cap = h->edge_start_cap ? h->edge_start_cap * 2 : h->count + 2;
    while (cap < n)
        cap *= 2;
    uint32_t *grown = array_grow(h->edge_start, h->edge_start_cap, cap, sizeof *grown, h->edge_start_mapped);
    if (!grown)
        return false;
    h->edge_start = grown;
    h->edge_start_cap = cap;
    return true;
}

uint64_t heap_count_flag(const struct heap *h, uint8_t flag, const uint32_t *indices, size_t n)
{
    uint64_t found = 0;
    for (size_t k = 0; k < n; k++)
        found += (h->origin[indices ? indices[k] : k] & flag) != 0;
    return found;
}


static size_t mix(uint64_t a)
{
    a ^= a >> 31;
    a *= 0x9e3779b97f4a7c15ULL;
    a ^= a >> 29;
    return (size_t)a;
}

uint32_t heap_find(const struct heap *h, uint64_t addr)
{
    if (!h->index_slots)
        return UINT32_MAX;
    const struct region_groups *r = region_index_region(&h->regions, addr);
    if (r)
        return region_index_lookup(&h->regions, r, addr);
    size_t mask = h->index_slots - 1;
    for (size_t j = mix(addr) & mask; h->index[j].addr; j = (j + 1) & mask)
        if (h->index[j].addr == addr)
            return (uint32_t)h->index[j].index;
    return UINT32_MAX;
}

static void index_put(struct heap_slot *slots, size_t n, uint64_t addr, uint32_t index)
{
    size_t mask = n - 1, j = mix(addr) & mask;
    while (slots[j].addr)
        j = (j + 1) & mask;
    slots[j].addr = addr;
    slots[j].index = index;
}

static bool index_grow(struct heap *h, size_t objects)
{
    if (h->index_slots && objects * 2 <= h->index_slots)
        return true;
    {
        size_t n = h->index_slots ? h->index_slots * 2 : 1 << 16;
        while (objects * 2 > n)
            n *= 2;
        struct heap_slot *slots = calloc(n, sizeof *slots);
        if (!slots)
            return false;
        for (size_t i = 0; i < h->index_slots; i++)
            if (h->index[i].addr)
                index_put(slots, n, h->index[i].addr, (uint32_t)h->index[i].index);
        free(h->index);
        h->index = slots;
        h->index_slots = n;
    }
    return true;
}

bool heap_index_regions(struct heap *h, const struct memory *m)
{
    region_index_free(&h->regions);
    return region_index_build(&h->regions, m);
}

void heap_index_forget(struct heap *h, const struct memory *m)
{
    free(h->index);
    h->index = NULL;
    h->index_slots = h->index_used = 0;
    if (!heap_index_regions(h, m))
        region_index_free(&h->regions); /* heap_add_referents builds them again */
    h->indexed = 0;
}

/* addr, outside every copied region, into the hash. */
static bool index_outside(void *ctx, uint64_t addr, uint32_t index)
{
    struct heap *h = ctx;
    if (!index_grow(h, h->index_used + 1))
        return false;
    index_put(h->index, h->index_slots, addr, index);
    h->index_used++;
    return true;
}

bool heap_index_all(struct heap *h, size_t room)
{
    /* With the regions' slots, the hash holds only what lies outside them. */
    if (!index_grow(h, h->regions.count ? 0 : room > h->count ? room : h->count))
        return false;
    /* An empty index takes the gc objects at once, each group's slab sized
     * by a first pass (at 1M objects 26 -> 20 ms, the main thread's time
     * while the worker waits at its bound) */
    if (h->indexed == 0 && h->regions.count && h->regions.pool_used == 0 && !h->index_used) {
        if (!region_index_add_all(&h->regions, h->addr, h->count, 0, index_outside, h))
            return false;
    } else {
        for (size_t i = h->indexed; i < h->count; i++)
            if (!heap_index_add(h, h->addr[i], (uint32_t)i))
                return false;
    }
    h->indexed = h->count;
    return true;
}

bool heap_index_add(struct heap *h, uint64_t addr, uint32_t index)
{
    struct region_groups *r = region_index_region(&h->regions, addr);
    return r ? region_index_add(&h->regions, r, addr, index) : index_outside(h, addr, index);
}

bool heap_extra_begin(struct heap *h, size_t nfrom)
{
    free(h->extra_from);
    free(h->extra_first);
    free(h->extra_has);
    h->extra_from = malloc((nfrom ? nfrom : 1) * sizeof *h->extra_from);
    h->extra_first = malloc((nfrom + 1) * sizeof *h->extra_first);
    h->extra_has = calloc(h->count / 64 + 1, sizeof *h->extra_has);
    h->nextra_from = 0;
    h->extra_count = 0;
    return h->extra_from && h->extra_first && h->extra_has;
}

void heap_extra_list(struct heap *h, uint32_t i, uint32_t first)
{
    h->extra_from[h->nextra_from] = i;
    h->extra_first[h->nextra_from++] = first;
    h->extra_has[i >> 6] |= UINT64_C(1) << (i & 63);
}

void heap_extra_end(struct heap *h, uint32_t end)
{
    h->extra_first[h->nextra_from] = end;
    h->extra_count = h->count;
}

bool heap_extra_from_starts(struct heap *h, const uint32_t *start)
{
    size_t count = h->count, nfrom = 0;
    for (size_t i = 0; i < count; i++)
        nfrom += start[i + 1] > start[i];
    if (!heap_extra_begin(h, nfrom))
        return false;
    for (size_t i = 0; i < count; i++)
        if (start[i + 1] > start[i])
            heap_extra_list(h, (uint32_t)i, start[i]);
    heap_extra_end(h, start[count]);
    return true;
}

uint32_t *heap_extra_starts(const struct heap *h)
{
    uint32_t *start = malloc((h->count + 1) * sizeof *start);
    if (!start)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i <= h->count; i++) {
        while (k < h->nextra_from && h->extra_from[k] < i)
            k++;
        /* i's edges start where the next object listed from i on starts */
        start[i] = k < h->nextra_from ? h->extra_first[k] : (uint32_t)h->nextra;
    }
    return start;
}
