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
