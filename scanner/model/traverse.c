/* tp_traverse, re-done from memory: a class statement's part of the
 * object (families/instances.c), then the part of the C type it builds on,
 * by the family entry traverse_describe chose for the type. */
#include "model/traverse.h"

#include "model/families/family.h"
#include "model/families/instances.h"
#include "model/pyobj.h"
#include "model/walker.h"

bool traverse_is_gc(struct target *t, const struct type_info *ti, uint64_t obj)
{
    if (!ti->gc_type)
        return false;
    if (!ti->gc_if_heap)
        return true;
    return (u64_at(t, obj + (uint64_t)t->L->tp_flags) & (uint64_t)t->L->flag_heaptype) != 0;
}

bool traverse_object(struct target *t, const struct type_info *ti, uint64_t obj, visit_fn visit,
                     void *ctx, bool unnamed)
{
    struct walker w = {t, obj, visit, ctx, false, unnamed};
    if (ti->subtype)
        traverse_subtype(&w, ti, obj);
    if (ti->visit_own_type)
        emit(&w, ti->addr, rel_quiet(rel_inter("ob_type")));
    if (ti->traverse_family)
        return family_traverse(&w, ti, obj);
    /* No C part (TRAVERSE_NONE), or one the scanner does not model. */
    return ti->traverse == TRAVERSE_NONE;
}
