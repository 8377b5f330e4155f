#include "model/debug_offsets.h"

#include <stdio.h>
#include <string.h>

/* Offsets 8 and 16 of the version and the flag hold in every release that
 * has the struct (3.13 - 3.15); the layouts say so too (dbg_version,
 * dbg_free_threaded), and debug_offsets_check verifies it. */
#define COOKIE "xdebugpy"

bool debug_offsets_header(struct memory *m, uint64_t runtime, uint64_t *version,
                          uint64_t *free_threaded)
{
    char cookie[8];
    return mem_read(m, runtime, cookie, sizeof cookie) && memcmp(cookie, COOKIE, 8) == 0 &&
           mem_u64(m, runtime + 8, version) && mem_u64(m, runtime + 16, free_threaded);
}

static const struct {
    const char *name;
    size_t layout_field, debug_field;
} pairs[] = {
#define P(field, member) {#field, offsetof(struct py_layout, field), offsetof(struct py_layout, dbg_##field)},
#include "layouts/debug_offsets.def"
#undef P
};

bool debug_offsets_apply(struct target *t, char *note, size_t note_cap, struct error *err)
{
    struct py_layout *L = &t->layout;
    if (L->dbg_size < 0)
        return true;
    uint64_t version, ft;
    if (!debug_offsets_header(t->mem, t->runtime, &version, &ft) || L->dbg_version != 8 ||
        L->dbg_free_threaded != 16)
        return fail(err, EXIT_BAD_HEAP,
                    "CPython %s: no _Py_DebugOffsets at _PyRuntime (0x%llx), which every 3.13+ "
                    "build has",
                    t->version_text, (unsigned long long)t->runtime);
    if (version != t->version_hex)
        return fail(err, EXIT_BAD_HEAP,
                    "_Py_DebugOffsets says version 0x%08llx, sys.hexversion 0x%08x",
                    (unsigned long long)version, t->version_hex);
    if ((ft != 0) != (L->py_gil_disabled != 0))
        return fail(err, EXIT_UNSUPPORTED,
                    "CPython %s: _Py_DebugOffsets says %sfree-threaded, the %s layout does not",
                    t->version_text, ft ? "" : "not ", L->key);
    /* The target's own description wins over the generated layout for
     * every field it gives; the note says which ones differed. */
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        int64_t where = py_layout_field(L, pairs[i].debug_field),
                want = py_layout_field(L, pairs[i].layout_field);
        uint64_t got;
        if (where < 0)
            continue;
        if (!mem_u64(t->mem, t->runtime + (uint64_t)where, &got))
            return fail(err, EXIT_BAD_HEAP, "_Py_DebugOffsets of CPython %s is unreadable",
                        t->version_text);
        if ((int64_t)got == want)
            continue;
        int64_t v = (int64_t)got;
        memcpy((char *)L + pairs[i].layout_field, &v, sizeof v);
        size_t n = strlen(note);
        if (n + 1 < note_cap)
            snprintf(note + n, note_cap - n, "%s%s %lld (layout %lld, from _Py_DebugOffsets)",
                     n ? ", " : "", pairs[i].name, (long long)v, (long long)want);
    }
    return true;
}
