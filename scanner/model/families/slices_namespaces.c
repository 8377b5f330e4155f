/* Two small containers of named fields: slice (Objects/sliceobject.c)
 * and types.SimpleNamespace (namespaceobject.c, its dict). */
#include "model/families/family.h"

static bool slice_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    const struct py_layout *L = w->t->L;
    visit_attr(w, obj + (uint64_t)L->slice_start, "start");
    visit_attr(w, obj + (uint64_t)L->slice_stop, "stop");
    visit_attr(w, obj + (uint64_t)L->slice_step, "step");
    return true;
}

static bool namespace_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_attr(w, obj + (uint64_t)w->t->L->namespace_dict, "__dict__");
    return true;
}

static const struct family_entry entries[] = {
    {.definer = "slice", .by_layout = true, .traverse = slice_traverse, .traverse_kind = TRAVERSE_SLICE},
    {.definer = "types.SimpleNamespace", .by_layout = true, .traverse = namespace_traverse,
     .traverse_kind = TRAVERSE_NAMESPACE},
};

const struct family family_slices_namespaces = FAMILY("slices and namespaces", entries);
