#include "owners.h"

#include <stdlib.h>
#include <string.h>

#include "traverse.h"

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
    free(h->dict_owner);
    h->dict_owner = malloc((h->count ? h->count : 1) * sizeof *h->dict_owner);
    if (!h->dict_owner)
        return fail(err, EXIT_INTERNAL, "out of memory");
    for (size_t i = 0; i < h->count; i++)
        h->dict_owner[i] = UINT32_MAX;
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
        if (d == UINT32_MAX || !h->types.v[h->type[d]].exact_dict || h->dict_owner[d] != UINT32_MAX)
            continue;
        h->dict_owner[d] = (uint32_t)i;
    }
    return true;
}
