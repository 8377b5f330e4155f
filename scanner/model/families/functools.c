/* Modules/_functoolsmodule.c: lru_cache's wrapper and partial. */
#include "model/families/family.h"

/* lru_cache's wrapper starts with the root link
 * {head, prev, next, hash, key, result} of a ring of such links, whose keys
 * and results it visits; then its object fields (3.10 added kwd_mark and the
 * link type to the struct).  Every offset counts from a 16-byte head: a
 * free-threaded build's longer one moves them all, the links' too (so
 * the entry reads the real address, as the layouts' entries do). */
static bool lru_cache_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    static const int64_t old_fields[] = {72, 88, 112, 120, -1};          /* cache, func, info type, dict */
    static const int64_t new_fields[] = {72, 88, 112, 120, 128, 136, -1}; /* + kwd_mark, link type */
    const int64_t shift = py_head_shift(w->t);
    const int64_t next = 24 + shift, key = 40 + shift, result = 48 + shift;
    uint64_t link = u64_at(w->t, obj + (uint64_t)next);
    struct chain_guard guard;
    chain_guard_init(&guard, link);
    while (link && link != obj) {
        visit_at(w, link + (uint64_t)result, rel_none);
        visit_at(w, link + (uint64_t)key, rel_none);
        link = u64_at(w->t, link + (uint64_t)next);
        if (!chain_guard_step(&guard, link)) {
            damage_note(&w->t->damage, true, "lru_cache at 0x%llx", (unsigned long long)obj);
            return false;
        }
    }
    for (const int64_t *f = w->t->minor >= 10 ? new_fields : old_fields; *f >= 0; f++)
        visit_at(w, obj + (uint64_t)(*f + shift), rel_none);
    return link == obj;
}

/* partialobject {fn, args, kw, dict}. */
static const int64_t partial_fields[] = {16, 24, 32, 40, -1};

static const struct family_entry entries[] = {
    {.definer = "functools._lru_cache_wrapper", .by_layout = true, .traverse = lru_cache_traverse,
     .traverse_kind = TRAVERSE_LRU_CACHE},
    {.definer = "functools.partial", .fields = partial_fields, .traverse_kind = TRAVERSE_FIELDS},
};

const struct family family_functools = FAMILY("functools", entries);
