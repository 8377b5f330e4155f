#include "model/families/family.h"

#include <stdlib.h>
#include <string.h>

#include "model/pyobj.h"
#include "model/traverse.h"

/* The families the scanner knows; a new one is one line here. */
static const struct family *const families[] = {
    &family_iterators, &family_itertools, &family_contextvars, &family_exceptions, &family_io,
    &family_library, &family_typing, &family_asyncio, &family_pickle,
    &family_ctypes, &family_parser,
};

static const struct family_entry *find(const char *definer, int minor, bool size)
{
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (size_t i = 0; i < families[f]->n; i++) {
            const struct family_entry *e = &families[f]->v[i];
            if (strcmp(e->definer, definer) == 0 && minor >= e->min_minor && minor <= e->max_minor &&
                (size ? e->size != NULL : (e->fields || e->members || e->dict || e->exception || e->traverse)))
                return e;
        }
    return NULL;
}

const struct family_entry *family_find_traverse(const char *definer, int minor)
{
    return find(definer, minor, false);
}

const struct family_entry *family_find_size(const char *definer, int minor)
{
    return find(definer, minor, true);
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

void family_visit_word(struct target *t, uint64_t addr, family_visit_fn visit, void *ctx)
{
    uint64_t p = u64_at(t, addr);
    if (p)
        visit(ctx, p);
}

bool family_visit_array(struct target *t, uint64_t items, uint64_t n, uint64_t stride, const char *what,
                        uint64_t obj, family_visit_fn visit, void *ctx)
{
    if (!target_items(t, items, n, stride, what, obj))
        return false;
    for (uint64_t i = 0; i < n; i++)
        family_visit_word(t, items + i * stride, visit, ctx);
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

bool family_traverse(struct target *t, const struct type_info *ti, uint64_t obj, family_visit_fn visit,
                     void *ctx)
{
    const struct family_entry *e = ti->family;
    const struct py_layout *L = t->L;
    if (!e)
        return false;
    if (e->exception) {
        const int64_t offs[] = {L->exc_dict, L->exc_args, L->exc_notes, L->exc_traceback, L->exc_context,
                                L->exc_cause};
        for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++)
            if (offs[i] >= 0)
                family_visit_word(t, obj + (uint64_t)offs[i], visit, ctx);
    }
    /* The offsets count from the 16-byte head of the default build; the
     * free-threaded build's longer head moves every field after it. */
    int64_t shift = py_head_shift(t);
    for (const int64_t *f = e->fields; f && *f >= 0; f++)
        if (*f + shift + 8 <= ti->basicsize)
            family_visit_word(t, obj + (uint64_t)(*f + shift), visit, ctx);
    for (size_t i = 0; i < ti->nmembers; i++)
        family_visit_word(t, obj + (uint64_t)ti->members[i], visit, ctx);
    if (e->dict && ti->dictoffset && !traverse_has_managed_dict(t, ti))
        family_visit_word(t, traverse_dict_pointer(t, ti, obj), visit, ctx);
    /* The functions count their offsets the same way: they are given the
     * object as if its head were the default build's. */
    return e->traverse ? e->traverse(t, ti, obj + (uint64_t)shift, visit, ctx) : true;
}
