#include "analysis/owners.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/threads.h"
#include "model/traverse.h"

/* The address of obj's __dict__ pointer, 0 when its type has none. */
static uint64_t dict_slot(struct target *t, const struct type_info *ti, uint64_t obj)
{
    const struct py_layout *L = t->L;
    if (L->flag_managed_dict > 0 && (ti->flags & (uint64_t)L->flag_managed_dict))
        return obj + (uint64_t)L->managed_dict_offset;
    return ti->dictoffset ? traverse_dict_pointer(t, ti, obj) : 0;
}

bool heap_find_dict_owners(struct target *t, struct heap *h, struct error *err)
{
    /* Fresh zero pages: only those holding an owned dict are ever written
     * (filling an array of every object's was most of this at 10M). */
    free(h->dict_owned_by);
    h->dict_owned_by = calloc(h->count ? h->count : 1, sizeof *h->dict_owned_by);
    if (!h->dict_owned_by)
        return fail(err, EXIT_INTERNAL, "out of memory");
    for (size_t i = 0; i < h->count; i++) {
        const struct type_info *ti = &h->types.v[h->type[i]];
        uint64_t slot = dict_slot(t, ti, h->addr[i]);
        if (!slot)
            continue;
        uint64_t dict = u64_at(t, slot);
        /* 3.12 tags a values pointer (odd): no dict object then. */
        if (!dict || (t->L->managed_dict_tagged && (dict & 1)))
            continue;
        uint32_t d = heap_find(h, dict);
        /* heapy takes the first owner found */
        if (d == UINT32_MAX || !h->types.v[h->type[d]].exact_dict || h->dict_owned_by[d])
            continue;
        h->dict_owned_by[d] = (uint32_t)i + 1;
    }
    return true;
}

struct owners_beside {
    pthread_t thread;
    struct target *t;
    struct heap *h;
    struct error err;
    bool ok;
};

static void *find_beside(void *arg)
{
    struct owners_beside *b = arg;
    b->ok = heap_find_dict_owners(b->t, b->h, &b->err);
    return NULL;
}

struct owners_beside *owners_begin(struct target *t, struct heap *h)
{
    if (threads_allowed() < 2)
        return NULL;
    struct owners_beside *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->t = t;
    b->h = h;
    if (pthread_create(&b->thread, NULL, find_beside, b) != 0) {
        free(b);
        return NULL;
    }
    return b;
}

bool owners_end(struct owners_beside *b, struct error *err)
{
    pthread_join(b->thread, NULL);
    bool ok = b->ok;
    if (!ok)
        *err = b->err;
    free(b);
    return ok;
}
