/* tuple and list (Objects/tupleobject.c, listobject.c): their items, by
 * index; a list's __sizeof__ counts the allocated slots (a tuple's is
 * object's). */
#include "model/families/family.h"

static bool tuple_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    const struct py_layout *L = w->t->L;
    visit_array(w, obj + (uint64_t)L->tuple_ob_item, (int64_t)u64_at(w->t, obj + (uint64_t)L->ob_size), REL_INDEX,
                0);
    return true;
}

static bool list_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    const struct py_layout *L = w->t->L;
    visit_array(w, u64_at(w->t, obj + (uint64_t)L->list_ob_item), (int64_t)u64_at(w->t, obj + (uint64_t)L->ob_size),
                REL_INDEX, 0);
    return true;
}

static uint64_t list_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    return (uint64_t)ti->basicsize + u64_at(t, obj + (uint64_t)t->L->list_allocated) * 8;
}

static const struct family_entry entries[] = {
    {.definer = "tuple", .by_layout = true, .traverse = tuple_traverse, .traverse_kind = TRAVERSE_TUPLE},
    {.definer = "list", .by_layout = true, .traverse = list_traverse, .traverse_kind = TRAVERSE_LIST,
     .size = list_size, .size_kind = SIZE_LIST},
};

const struct family family_sequences = FAMILY("sequences", entries);
