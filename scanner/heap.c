#include "heap.h"

#include <stdlib.h>
#include <string.h>

void heap_init(struct heap *h)
{
    memset(h, 0, sizeof *h);
    type_table_init(&h->types);
}

void heap_free(struct heap *h)
{
    free(h->addr);
    free(h->type);
    free(h->size);
    free(h->origin);
    free(h->edge_start);
    free(h->edge_to);
    free(h->index_addr);
    free(h->index_val);
    type_table_free(&h->types);
    memset(h, 0, sizeof *h);
}

#define GROW(field, cap)                                                \
    do {                                                                \
        void *p = realloc(h->field, (cap) * sizeof *h->field);          \
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

uint64_t heap_total_size(const struct heap *h)
{
    uint64_t total = 0;
    for (size_t i = 0; i < h->count; i++)
        total += h->size[i];
    return total;
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
    size_t mask = h->index_slots - 1;
    for (size_t j = mix(addr) & mask; h->index_addr[j]; j = (j + 1) & mask)
        if (h->index_addr[j] == addr)
            return h->index_val[j];
    return UINT32_MAX;
}

static void index_put(uint64_t *keys, uint32_t *vals, size_t slots, uint64_t addr, uint32_t index)
{
    size_t mask = slots - 1, j = mix(addr) & mask;
    while (keys[j])
        j = (j + 1) & mask;
    keys[j] = addr;
    vals[j] = index;
}

bool heap_index_add(struct heap *h, uint64_t addr, uint32_t index)
{
    if ((size_t)(index + 1) * 2 > h->index_slots) {
        size_t slots = h->index_slots ? h->index_slots * 2 : 1 << 16;
        while ((size_t)(index + 1) * 2 > slots)
            slots *= 2;
        uint64_t *keys = calloc(slots, sizeof *keys);
        uint32_t *vals = malloc(slots * sizeof *vals);
        if (!keys || !vals) {
            free(keys);
            free(vals);
            return false;
        }
        for (size_t i = 0; i < h->index_slots; i++)
            if (h->index_addr[i])
                index_put(keys, vals, slots, h->index_addr[i], h->index_val[i]);
        free(h->index_addr);
        free(h->index_val);
        h->index_addr = keys;
        h->index_val = vals;
        h->index_slots = slots;
    }
    index_put(h->index_addr, h->index_val, h->index_slots, addr, index);
    return true;
}
