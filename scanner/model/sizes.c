/* sys.getsizeof: the __sizeof__ of the object's family (model/families/),
 * plus what the interpreter allocates before the object. */
#include "model/sizes.h"

#include <string.h>

#include "model/families/family.h"
#include "model/pyobj.h"

/* What sys.getsizeof adds to __sizeof__. */
static uint64_t header_size(struct target *t, const struct type_info *ti, uint64_t obj)
{
    const struct py_layout *L = t->L;
    bool gc = (ti->flags & (uint64_t)L->flag_have_gc) != 0;
    if (t->minor <= 10) {
        /* PyObject_IS_GC: a type with tp_is_gc (type itself) is GC only
         * for heap types. */
        if (gc && ti->size_kind == SIZE_TYPE) {
            uint64_t flags = u64_at(t, obj + (uint64_t)L->tp_flags);
            gc = (flags & (uint64_t)L->flag_heaptype) != 0;
        }
        return gc ? (uint64_t)L->gc_head_size : 0;
    }
    /* 3.13+: no pre-header for a static type whose type is type itself; a
     * metatype's static instances have one (numpy 2's DTypes: found by the
     * extension zoo). */
    if (t->minor >= 13 && ti->size_kind == SIZE_TYPE && strcmp(ti->name, "type") == 0) {
        uint64_t flags = u64_at(t, obj + (uint64_t)L->tp_flags);
        if (!(flags & (uint64_t)L->flag_heaptype))
            return 0;
    }
    uint64_t pre = gc ? (uint64_t)L->gc_head_size : 0;
    uint64_t managed = 0;
    if (L->flag_managed_dict > 0)
        managed |= (uint64_t)L->flag_managed_dict;
    if (L->flag_managed_weakref > 0)
        managed |= (uint64_t)L->flag_managed_weakref;
    if (ti->flags & managed)
        pre += 2 * 8;
    return pre;
}

uint64_t object_getsizeof(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    *exact = true;
    uint64_t own = ti->size_kind == SIZE_OBJECT ? family_object_sizeof(t, ti, obj) : family_sizeof(t, ti, obj, exact);
    return own + header_size(t, ti, obj);
}
