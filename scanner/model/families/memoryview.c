/* Objects/memoryobject.c: a memoryview holds its managed buffer, which
 * holds the exporting object. */
#include "model/families/family.h"

static bool memoryview_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_at(w, obj + (uint64_t)w->t->L->memoryview_mbuf, rel_quiet(rel_inter("mbuf")));
    return true;
}

static bool managedbuffer_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_at(w, obj + (uint64_t)w->t->L->managedbuffer_obj, rel_quiet(rel_inter("master.obj")));
    return true;
}

static const struct family_entry entries[] = {
    {.definer = "memoryview", .by_layout = true, .traverse = memoryview_traverse,
     .traverse_kind = TRAVERSE_MEMORYVIEW},
    {.definer = "managedbuffer", .by_layout = true, .traverse = managedbuffer_traverse,
     .traverse_kind = TRAVERSE_MANAGEDBUFFER},
};

const struct family family_memoryview = FAMILY("memoryview", entries);
