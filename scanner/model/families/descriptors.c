/* Objects/descrobject.c: the descriptors (their class), property,
 * mappingproxy and method-wrapper. */
#include "model/families/family.h"

static bool descr_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_attr(w, obj + (uint64_t)w->t->L->descr_type, "__objclass__");
    return true;
}

static bool property_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    const struct py_layout *L = w->t->L;
    static const char *const names[] = {"fget", "fset", "fdel", "__doc__", "__name__"};
    for (int64_t i = 0; i < L->prop_fields && i < 5; i++)
        visit_at(w, obj + (uint64_t)(L->prop_get + i * 8), (struct relation){REL_ATTR, 0, names[i], i == 4});
    return true;
}

static bool mappingproxy_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_inter(w, obj + (uint64_t)w->t->L->mappingproxy_mapping, "mapping");
    return true;
}

static bool methodwrapper_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_at(w, obj + (uint64_t)w->t->L->methodwrapper_descr, rel_quiet(rel_inter("descr")));
    visit_attr(w, obj + (uint64_t)w->t->L->methodwrapper_self, "__self__");
    return true;
}

#define DESCRIPTOR(name) {.definer = (name), .by_layout = true, .traverse = descr_traverse, .traverse_kind = TRAVERSE_DESCR}

static const struct family_entry entries[] = {
    DESCRIPTOR("method_descriptor"),
    DESCRIPTOR("classmethod_descriptor"),
    DESCRIPTOR("getset_descriptor"),
    DESCRIPTOR("member_descriptor"),
    DESCRIPTOR("wrapper_descriptor"),
    {.definer = "property", .by_layout = true, .traverse = property_traverse, .traverse_kind = TRAVERSE_PROPERTY},
    {.definer = "mappingproxy", .by_layout = true, .traverse = mappingproxy_traverse,
     .traverse_kind = TRAVERSE_MAPPINGPROXY},
    {.definer = "method-wrapper", .by_layout = true, .traverse = methodwrapper_traverse,
     .traverse_kind = TRAVERSE_METHODWRAPPER},
};

const struct family family_descriptors = FAMILY("descriptors", entries);
