/* set and frozenset (Objects/setobject.c): the keys in the table, by
 * position, and the table's size when it is not the small one inside. */
#include <string.h>

#include "model/families/family.h"

static bool set_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    const struct py_layout *L = w->t->L;
    uint64_t table = u64_at(w->t, obj + (uint64_t)L->set_table);
    int64_t mask = (int64_t)u64_at(w->t, obj + (uint64_t)L->set_mask);
    if (!table || mask < 0 ||
        !target_items(w->t, table, (uint64_t)mask + 1, (uint64_t)L->setentry_size, "set", obj))
        return false;
    uint64_t position = 0;
    for (int64_t i = 0; i <= mask; i++) {
        uint64_t key = u64_at(w->t, table + (uint64_t)(i * L->setentry_size));
        if (!key)
            continue;
        /* The dummy marking deleted slots is a static object of its own type. */
        uint64_t type = py_type_of(w->t, key);
        uint64_t name = u64_at(w->t, type + (uint64_t)L->tp_name);
        char buf[32];
        if (name && mem_cstring(w->t->mem, name, buf, sizeof buf) && strcmp(buf, "<dummy key> type") == 0)
            continue;
        emit(w, key, rel_num(REL_INSET, position++));
    }
    return true;
}

static uint64_t set_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    const struct py_layout *L = t->L;
    uint64_t table = u64_at(t, obj + (uint64_t)L->set_table);
    uint64_t size = (uint64_t)ti->basicsize;
    if (table != obj + (uint64_t)L->set_smalltable)
        size += (u64_at(t, obj + (uint64_t)L->set_mask) + 1) * (uint64_t)L->setentry_size;
    return size;
}

static const struct family_entry entries[] = {
    {.definer = "set", .by_layout = true, .traverse = set_traverse, .traverse_kind = TRAVERSE_SET,
     .size = set_size, .size_kind = SIZE_SET},
    {.definer = "frozenset", .by_layout = true, .traverse = set_traverse, .traverse_kind = TRAVERSE_SET,
     .size = set_size, .size_kind = SIZE_SET},
};

const struct family family_sets = FAMILY("sets", entries);
