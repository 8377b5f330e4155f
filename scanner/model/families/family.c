#include "model/families/family.h"

#include <stdlib.h>
#include <string.h>

#include "model/families/instances.h"
#include "model/pyobj.h"

static bool applies(const struct family_entry *e, const struct target *t, const char *definer)
{
    return strcmp(e->definer, definer) == 0 && t->minor >= e->min_minor &&
           (e->max_minor == 0 || t->minor <= e->max_minor) && (!e->needs_numpy_layout || t->numpy.NL);
}

bool family_entry_traverses(const struct family_entry *e)
{
    return e->fields || e->debug_fields || e->members || e->visits_dict || e->exception_fields || e->traverse;
}

/* registry_test.c checks that no two entries answer the same question for
 * the same definer and minor: the first found is the only one. */
static const struct family_entry *find(const struct target *t, const char *definer, bool size)
{
    for (size_t f = 0; f < family_registry_count; f++)
        for (size_t i = 0; i < family_registry[f]->n; i++) {
            const struct family_entry *e = &family_registry[f]->v[i];
            if (applies(e, t, definer) && (size ? e->size != NULL : family_entry_traverses(e)))
                return e;
        }
    return NULL;
}

const struct family_entry *family_find_traverse(const struct target *t, const char *definer)
{
    return find(t, definer, false);
}

const struct family_entry *family_find_size(const struct target *t, const char *definer)
{
    return find(t, definer, true);
}

enum traverse_kind family_traverse_kind(const struct family_entry *e)
{
    return e->traverse_kind != TRAVERSE_NONE ? e->traverse_kind : TRAVERSE_FAMILY;
}

enum size_kind family_size_kind(const struct family_entry *e)
{
    return e->size_kind != SIZE_OBJECT ? e->size_kind : SIZE_FAMILY;
}

bool family_fields_fit(const struct family_entry *e, int64_t basicsize)
{
    for (const int64_t *f = e->fields; f && *f >= 0; f++)
        if (*f + 8 > basicsize)
            return false;
    return true;
}

/* structmember.h: T_OBJECT is 6 in every version (T_OBJECT_EX comes from
 * the layout). */
enum { MEMBER_T_OBJECT = 6 };

void family_read_members(struct target *t, uint64_t definer, struct type_info *ti)
{
    const struct py_layout *L = t->L;
    uint64_t m = u64_at(t, definer + (uint64_t)L->tp_members);
    for (int i = 0; m && i < 256; i++, m += (uint64_t)L->memberdef_size) {
        if (!u64_at(t, m)) /* the terminating entry has no name */
            return;
        int32_t kind = 0;
        mem_read(t->mem, m + (uint64_t)L->memberdef_type, &kind, sizeof kind);
        int64_t offset = (int64_t)u64_at(t, m + (uint64_t)L->memberdef_offset);
        if ((kind != MEMBER_T_OBJECT && kind != L->member_t_object_ex) || offset < 16 ||
            offset + 8 > ti->basicsize)
            continue;
        int64_t *grown = realloc(ti->members, (ti->nmembers + 1) * sizeof *grown);
        if (!grown)
            return;
        ti->members = grown;
        ti->members[ti->nmembers++] = offset;
    }
}

bool family_visit_array(struct walker *w, uint64_t items, uint64_t n, uint64_t stride, const char *what,
                        uint64_t obj)
{
    if (!target_items(w->t, items, n, stride, what, obj))
        return false;
    for (uint64_t i = 0; i < n; i++)
        family_visit_word(w, items + i * stride);
    return true;
}

uint64_t family_c_string_size(struct target *t, uint64_t addr)
{
    char buf[256];
    for (uint64_t n = 0; addr && n < (1u << 20); n += sizeof buf - 1) {
        if (!mem_cstring(t->mem, addr + n, buf, sizeof buf))
            return 0;
        size_t len = strlen(buf);
        if (len < sizeof buf - 1)
            return n + len + 1;
    }
    return 0;
}

bool family_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    const struct family_entry *e = ti->traverse_family;
    struct target *t = w->t;
    const struct py_layout *L = t->L;
    if (e->by_layout)
        return e->traverse(w, ti, obj);
    /* A subtype's part has visited a managed dict already. */
    if (e->visits_dict && !ti->subtype && traverse_has_managed_dict(t, ti))
        visit_managed_dict(w, ti, obj);
    if (e->exception_fields) {
        const int64_t offs[] = {L->exc_dict, L->exc_args, L->exc_notes, L->exc_traceback, L->exc_context,
                                L->exc_cause};
        for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++)
            if (offs[i] >= 0)
                family_visit_word(w, obj + (uint64_t)offs[i]);
    }
    int64_t shift = py_head_shift(t);
    for (const int64_t *f = e->fields; f && *f >= 0; f++)
        if (*f + shift + 8 <= ti->basicsize)
            family_visit_word(w, obj + (uint64_t)(*f + shift));
    for (const int64_t *f = e->debug_fields; t->debug && f && *f >= 0; f++)
        if (*f + shift + 8 <= ti->basicsize)
            family_visit_word(w, obj + (uint64_t)(*f + shift));
    for (size_t i = 0; i < ti->nmembers; i++)
        family_visit_word(w, obj + (uint64_t)ti->members[i]);
    if (e->visits_dict && ti->dictoffset && !traverse_has_managed_dict(t, ti))
        family_visit_word(w, traverse_dict_pointer(t, ti, obj));
    return e->traverse ? e->traverse(w, ti, obj + (uint64_t)shift) : true;
}

uint64_t family_object_sizeof(struct target *t, const struct type_info *ti, uint64_t obj)
{
    uint64_t size = (uint64_t)ti->basicsize;
    if (ti->itemsize > 0)
        size += u64_at(t, obj + (uint64_t)t->L->ob_size) * (uint64_t)ti->itemsize;
    return size;
}

uint64_t family_sizeof(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    const struct family_entry *e = ti->size_family;
    uint64_t size = 0;
    if (e)
        size = e->size(t, ti, e->by_layout ? obj : obj + (uint64_t)py_head_shift(t), exact);
    if (size)
        return size;
    *exact = false;
    return family_object_sizeof(t, ti, obj);
}
