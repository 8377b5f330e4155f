/* code (Objects/codeobject.c): where it is a GC type (3.13t+) its traverse
 * visits co_consts; its size counts what it allocates beside itself. */
#include "model/families/family.h"

static bool code_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_at(w, obj + (uint64_t)w->t->L->code_consts, rel_quiet(rel_attr("co_consts")));
    return true;
}

/* code.__sizeof__: 3.11+ the object with its inline bytecode; before, the
 * cell-to-argument map and the opcache; always the co_extra block. */
static uint64_t code_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    const struct py_layout *L = t->L;
    uint64_t size;
    if (L->code_cell2arg < 0) {
        size = (uint64_t)ti->basicsize +
               u64_at(t, obj + (uint64_t)L->ob_size) * (uint64_t)(ti->itemsize > 0 ? ti->itemsize : 0);
        size = (size + 7) & ~(uint64_t)7;
    } else {
        size = (uint64_t)ti->basicsize;
        uint64_t cells = u64_at(t, obj + (uint64_t)L->code_cellvars);
        if (u64_at(t, obj + (uint64_t)L->code_cell2arg) && cells)
            size += u64_at(t, cells + (uint64_t)L->ob_size) * 8;
        if (L->code_opcache >= 0 && u64_at(t, obj + (uint64_t)L->code_opcache)) {
            uint64_t co_code = u64_at(t, obj + (uint64_t)L->code_co_code);
            size += u64_at(t, co_code + (uint64_t)L->ob_size) / 2;
            size += (uint64_t)u8_at(t, obj + (uint64_t)L->code_opcache_size) *
                    (uint64_t)L->opcache_entry_size;
        }
    }
    uint64_t extra = u64_at(t, obj + (uint64_t)L->code_extra);
    if (extra)
        size += 16 + (u64_at(t, extra) - 1) * 8;
    return size;
}

static const struct family_entry entries[] = {
    {.definer = "code", .by_layout = true, .traverse = code_traverse, .traverse_kind = TRAVERSE_CODE,
     .size = code_size, .size_kind = SIZE_CODE},
};

const struct family family_code = FAMILY("code", entries);
