/* The family of the types no table describes whose traverse function was
 * read from its machine code (model/traverse_code.c): the fields of the
 * object it visits (ti->members, offsets from the object's real head), and
 * the words of blocks the object points to (ti->traverse_code's arrays: a
 * Cython function's defaults, a C++ object's members). */
#include "model/families/family.h"
#include "model/families/instances.h"
#include "model/traverse_code.h"

static int64_t length_at(struct target *t, uint64_t addr, int width)
{
    if (width == 4) {
        int32_t n = 0;
        return mem_read(t->mem, addr, &n, sizeof n) ? n : 0;
    }
    return (int64_t)u64_at(t, addr);
}

static bool guard_holds(struct walker *w, const struct traverse_code *code, struct traverse_code_guard g,
                        uint64_t obj)
{
    return (!g.zero && !g.nonzero) || traverse_code_guard_holds(code, g, target_read_code, w->t, obj);
}

static bool traverse_from_code(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    /* The base traverse it calls, as that type's model has it. */
    if (ti->code_base) {
        struct type_info base = *ti;
        base.traverse_family = ti->code_base;
        base.members = NULL;
        base.nmembers = 0;
        if (!family_traverse(w, &base, obj))
            return false;
    }
    if (ti->traverse_code && ti->traverse_code->visits_dict) {
        if (traverse_has_managed_dict(w->t, ti))
            visit_managed_dict(w, ti, obj);
        else if (ti->dictoffset)
            family_visit_word(w, traverse_dict_pointer(w->t, ti, obj));
    }
    const struct traverse_code *code = ti->traverse_code;
    if (!code) {
        for (size_t i = 0; i < ti->nmembers; i++)
            family_visit_word(w, obj + (uint64_t)ti->members[i]);
        return true;
    }
    /* named by their offsets: paths show what field of a cdef class holds
     * what; a visit under a condition only when the object meets it */
    for (size_t i = 0; i < code->nfields; i++)
        if (guard_holds(w, code, code->field_guards[i], obj))
            visit_inter(w, obj + (uint64_t)code->fields[i], code->field_names[i]);
    for (size_t i = 0; i < code->narrays; i++) {
        const struct traverse_code_array *a = &code->arrays[i];
        if (!guard_holds(w, code, a->guard, obj))
            continue;
        uint64_t block = u64_at(w->t, obj + (uint64_t)a->pointer);
        if (!block)
            continue;
        if (!a->stride) {
            family_visit_word(w, block + (uint64_t)a->offset);
            continue;
        }
        int64_t n = length_at(w->t, obj + (uint64_t)a->count_field, a->count_width);
        if (n > 0 && !family_visit_array(w, block + (uint64_t)a->offset, (uint64_t)n, (uint64_t)a->stride,
                                         "a block its traverse visits", obj))
            return false;
    }
    return true;
}

const struct family_entry family_from_code_entry = {
    .definer = "(its traverse function's code)", .by_layout = true, .traverse = traverse_from_code,
    .traverse_kind = TRAVERSE_FROM_CODE,
};
