/* type (Objects/typeobject.c): a heap type's dict, cache, MRO, bases,
 * base and module; its size, with its cached keys. */
#include <stddef.h>

#include "model/families/dicts.h"
#include "model/families/family.h"

static bool type_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    static const struct {
        size_t field;
        struct relation rel;
    } fields[] = {
        {offsetof(struct py_layout, tp_dict), {REL_ATTR, 0, "__dict__", false}},
        {offsetof(struct py_layout, tp_cache), {REL_INTERATTR, 0, "tp_cache", false}},
        {offsetof(struct py_layout, tp_mro), {REL_ATTR, 0, "__mro__", false}},
        {offsetof(struct py_layout, tp_bases), {REL_ATTR, 0, "__bases__", false}},
        {offsetof(struct py_layout, tp_base), {REL_ATTR, 0, "__base__", false}},
        {offsetof(struct py_layout, ht_module), {REL_INTERATTR, 0, "ht_module", false}},
    };
    const struct py_layout *L = w->t->L;
    if (!(u64_at(w->t, obj + (uint64_t)L->tp_flags) & (uint64_t)L->flag_heaptype))
        return true;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        int64_t off = py_layout_field(L, fields[i].field);
        if (off >= 0)
            visit_at(w, obj + (uint64_t)off, fields[i].rel);
    }
    return true;
}

static uint64_t type_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)ti, (void)exact;
    const struct py_layout *L = t->L;
    uint64_t flags = u64_at(t, obj + (uint64_t)L->tp_flags);
    if (!(flags & (uint64_t)L->flag_heaptype))
        return (uint64_t)L->type_size;
    uint64_t size = (uint64_t)L->heaptype_size;
    uint64_t cached = u64_at(t, obj + (uint64_t)L->ht_cached_keys);
    if (cached)
        size += dict_keys_sizeof(t, cached);
    return size;
}

static const struct family_entry entries[] = {
    {.definer = "type", .by_layout = true, .traverse = type_traverse, .traverse_kind = TRAVERSE_TYPE,
     .size = type_size, .size_kind = SIZE_TYPE},
};

const struct family family_type_objects = FAMILY("type objects", entries);
