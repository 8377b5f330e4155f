#include "model/families/instances.h"

#include <stdlib.h>
#include <string.h>

/* Where an instance's __dict__ pointer is (tp_dictoffset, possibly negative). */
uint64_t traverse_dict_pointer(struct target *t, const struct type_info *ti, uint64_t obj)
{
    const struct py_layout *L = t->L;
    /* Unsigned arithmetic: a corrupt ob_size must wrap, not overflow. */
    uint64_t off = (uint64_t)ti->dictoffset;
    if (ti->dictoffset < 0) {
        uint64_t n = u64_at(t, obj + (uint64_t)L->ob_size);
        if ((int64_t)n < 0)
            n = -n;
        uint64_t size = (uint64_t)ti->basicsize + n * (uint64_t)ti->itemsize;
        off += (size + 7) & ~(uint64_t)7;
    }
    return obj + off;
}

/* The values of an instance whose dict was never materialised, and their
 * number (the type's shared keys decide how many there are). */
static void visit_values(struct walker *w, const struct type_info *ti, uint64_t values)
{
    const struct py_layout *L = w->t->L;
    uint64_t keys = u64_at(w->t, ti->addr + (uint64_t)L->ht_cached_keys);
    if (!keys)
        return;
    int64_t n = (int64_t)u64_at(w->t, keys + (uint64_t)L->dk_nentries);
    if (n <= 0 || !target_items(w->t, values, (uint64_t)n, 8, "object", w->obj))
        return;
    for (int64_t i = 0; i < n; i++) {
        uint64_t v = u64_at(w->t, values + (uint64_t)i * 8);
        if (v) /* an attribute named by its key in the type's shared keys */
            emit(w, v, (struct relation){REL_ATTR, w->unnamed ? 0 : py_shared_key(w->t, keys, i), NULL, false});
    }
}

bool traverse_has_managed_dict(const struct target *t, const struct type_info *ti)
{
    return t->L->flag_managed_dict > 0 && (ti->flags & (uint64_t)t->L->flag_managed_dict);
}

/* The dict of an instance whose type manages it (3.11+), as
 * PyObject_VisitManagedDict gives it. */
void visit_managed_dict(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    const struct py_layout *L = t->L;
    uint64_t word = u64_at(t, obj + (uint64_t)L->managed_dict_offset);
    if (L->managed_values_offset < -1) { /* -1: absent */
        /* 3.11: values and dict side by side, both visited. */
        uint64_t values = u64_at(t, obj + (uint64_t)L->managed_values_offset);
        if (values)
            visit_values(w, ti, values);
        if (word)
            emit(w, word, rel_attr("__dict__"));
    } else if (L->managed_dict_tagged) {
        /* 3.12: an odd word is values - 1. */
        if (word & 1)
            visit_values(w, ti, word + 1);
        else if (word)
            emit(w, word, rel_attr("__dict__"));
    } else {
        /* 3.13+: valid inline values are visited, else the dict; since
         * gh-130327 (3.13.3, 3.14) a dict, when there is one, always
         * wins (it visits the inline values it points to). */
        bool dict_first = t->minor > 13 || (t->minor == 13 && t->micro >= 3);
        if (dict_first && word) {
            emit(w, word, rel_attr("__dict__"));
            return;
        }
        if (L->flag_inline_values > 0 && (ti->flags & (uint64_t)L->flag_inline_values)) {
            uint64_t values = obj + (uint64_t)ti->basicsize;
            uint8_t hdr[4] = {0};
            mem_read(t->mem, values, hdr, sizeof hdr);
            if (hdr[3]) {
                visit_values(w, ti, values + (uint64_t)L->dict_values_prefix);
                return;
            }
        }
        if (word)
            emit(w, word, rel_attr("__dict__"));
    }
}

void traverse_subtype(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    for (size_t i = 0; i < ti->nslots; i++)
        visit_attr(w, obj + (uint64_t)ti->slots[i], ti->slot_names ? ti->slot_names[i] : "?");
    if (traverse_has_managed_dict(t, ti))
        visit_managed_dict(w, ti, obj);
    else if (ti->dict_by_offset && ti->dictoffset)
        visit_attr(w, traverse_dict_pointer(t, ti, obj), "__dict__");
    if (ti->visit_type)
        emit(w, ti->addr, rel_quiet(rel_inter("ob_type")));
}
