#include "model/roots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "model/thread_walk.h"
#include "model/walk_limits.h"
#include "model/pyobj.h"
#include "model/referents.h"
#include "model/traverse.h"

struct root_walk {
    struct target *t;
    struct heap *h;
    struct error *err;
    bool failed;
};

static void add_root_by(struct root_walk *w, uint64_t addr, const char *name, struct relation rel)
{
    if (!addr || w->failed)
        return;
    uint32_t idx = heap_add_object(w->t, w->h, addr, w->err);
    if (idx == UINT32_MAX) {
        w->failed = w->err->code != EXIT_OK;
        return;
    }
    struct heap *h = w->h;
    if (!GROW(h->roots, h->roots_cap, h->nroots + 1, 64)) {
        w->failed = true;
        fail(w->err, EXIT_INTERNAL, "out of memory");
        return;
    }
    h->roots[h->nroots].object = idx;
    h->roots[h->nroots].frame_label =
        rel.kind == REL_NONE ? 0 : relation_label(w->t, &h->names, rel);
    snprintf(h->roots[h->nroots].name, sizeof h->roots[h->nroots].name, "%s", name);
    h->nroots++;
}

static void add_root(struct root_walk *w, uint64_t addr, const char *name)
{
    add_root_by(w, addr, name, rel_none);
}

/* A pointer field of the interpreter or a thread state, and heapy's name. */
struct root_field {
    size_t field; /* offsetof(struct py_layout, ...) */
    const char *name;
};

/* The objects the fields of base point to, named prefix + name; fields the
 * version lacks are skipped. */
static void root_fields(struct root_walk *w, uint64_t base, const struct root_field *fields,
                        size_t n, const char *prefix)
{
    char name[96];
    for (size_t i = 0; i < n; i++) {
        int64_t off = py_layout_field(w->t->L, fields[i].field);
        if (off < 0)
            continue;
        snprintf(name, sizeof name, "%s%s", prefix, fields[i].name);
        add_root(w, u64_at(w->t, base + (uint64_t)off), name);
    }
}

/* 3.14 stack references carry tag bits; both low bits set: a tagged int. */
static uint64_t untag(struct target *t, uint64_t v)
{
    if (t->L->iframe_stackpointer >= 0) {
        if ((v & 3) == 3)
            return 0;
        v &= ~(uint64_t)3;
    }
    return v;
}

/* An interpreter frame's references (3.11+): its code, function, globals,
 * builtins, locals and live stack. */
static void frame_roots(struct root_walk *w, uint64_t f, const char *name)
{
    struct target *t = w->t;
    const struct py_layout *L = t->L;
    add_root(w, u64_at(t, f + (uint64_t)L->iframe_frame_obj), name);
    add_root_by(w, u64_at(t, f + (uint64_t)L->iframe_locals), name,
                t->minor >= 13 ? rel_inter("f_locals") : rel_attr("f_locals"));
    add_root_by(w, u64_at(t, f + (uint64_t)L->iframe_globals), name, rel_attr("f_globals"));
    add_root_by(w, u64_at(t, f + (uint64_t)L->iframe_builtins), name, rel_attr("f_builtins"));
    add_root_by(w, untag(t, u64_at(t, f + (uint64_t)L->iframe_func)), name,
                rel_inter(t->minor == 11 ? "f_func" : "f_funcobj"));
    uint64_t code = untag(t, u64_at(t, f + (uint64_t)L->iframe_code));
    add_root_by(w, code, name, rel_attr("f_code"));
    if (!code)
        return;
    int32_t nlocalsplus = 0;
    mem_read(t->mem, code + (uint64_t)L->code_nlocalsplus, &nlocalsplus, sizeof nlocalsplus);
    int64_t n = nlocalsplus;
    uint64_t locals = f + (uint64_t)L->iframe_localsplus;
    if (L->iframe_stackpointer >= 0) {
        uint64_t sp = u64_at(t, f + (uint64_t)L->iframe_stackpointer);
        if (sp > locals && (sp - locals) / 8 < 4096)
            n = (int64_t)((sp - locals) / 8);
    } else {
        int32_t top = 0;
        mem_read(t->mem, f + (uint64_t)L->iframe_stacktop, &top, sizeof top);
        if (top > n && top < 4096)
            n = top;
    }
    char local[128];
    bool cell;
    if (n > 4096)
        n = 4096;
    if (n <= 0 || !target_items(t, locals, (uint64_t)n, 8, "frame", f))
        return;
    for (int64_t i = 0; i < n; i++) {
        struct relation rel = rel_num(REL_STACK, (uint64_t)(i - nlocalsplus));
        if (i < nlocalsplus)
            rel = traverse_local_name(t, code, i, local, sizeof local, &cell)
                      ? (struct relation){REL_LOCAL, 0, local, false}
                      : rel_none;
        add_root_by(w, untag(t, u64_at(t, locals + (uint64_t)i * 8)), name, rel);
    }
}

static void thread_roots(struct root_walk *w, uint64_t ts)
{
    struct target *t = w->t;
    const struct py_layout *L = t->L;
    uint64_t tid = u64_at(t, ts + (uint64_t)L->ts_thread_id);
    char prefix[64], name[96];
    snprintf(prefix, sizeof prefix, "i0_t%llu_", (unsigned long long)tid);
    static const struct root_field fields[] = {
        {offsetof(struct py_layout, ts_c_profileobj), "c_profileobj"},
        {offsetof(struct py_layout, ts_c_traceobj), "c_traceobj"},
        {offsetof(struct py_layout, ts_curexc_type), "curexc_type"},
        {offsetof(struct py_layout, ts_curexc_value), "curexc_value"},
        {offsetof(struct py_layout, ts_curexc_traceback), "curexc_traceback"},
        {offsetof(struct py_layout, ts_current_exception), "current_exception"},
        {offsetof(struct py_layout, ts_exc_type), "exc_type"},
        {offsetof(struct py_layout, ts_exc_value), "exc_value"},
        {offsetof(struct py_layout, ts_exc_traceback), "exc_traceback"},
        {offsetof(struct py_layout, ts_dict), "dict"},
        {offsetof(struct py_layout, ts_async_exc), "async_exc"},
        {offsetof(struct py_layout, ts_async_gen_firstiter), "async_gen_firstiter"},
        {offsetof(struct py_layout, ts_async_gen_finalizer), "async_gen_finalizer"},
        {offsetof(struct py_layout, ts_context), "context"},
    };
    root_fields(w, ts, fields, sizeof fields / sizeof fields[0], prefix);
    /* The frames, newest first in memory; heapy numbers them from the oldest.
     * As deep as a thread's stack (PY_FRAMES_MAX, stacks/thread_stacks.c's
     * limit too): the oldest frames of a deep recursion hold what the rest
     * of the program lives on. */
    uint64_t *frames = NULL;
    size_t nframes = 0, cap = 0;
    struct frame_walk fw;
    frame_walk_start(&fw, t, thread_newest_frame(t, ts, NULL));
    uint64_t f;
    if (L->ts_frame >= 0) {
        /* <= 3.10: frame objects, linked by f_back (traversed as objects). */
        while (nframes < PY_FRAMES_MAX && (f = frame_walk_next(&fw))) {
            if (!GROW(frames, cap, nframes + 1, 256))
                break;
            frames[nframes++] = f;
        }
        for (size_t k = 0; k < nframes; k++) {
            snprintf(name, sizeof name, "%sf%zu", prefix, nframes - 1 - k);
            add_root(w, frames[k], name);
        }
        free(frames);
        return;
    }
    while (nframes < PY_FRAMES_MAX && (f = frame_walk_next(&fw))) {
        uint8_t owner = 0;
        mem_read(t->mem, f + (uint64_t)L->iframe_owner, &owner, 1);
        if (L->frame_owner_not_python >= 0 && owner >= L->frame_owner_not_python)
            continue; /* an entry frame of the C stack, no Python code */
        if (!GROW(frames, cap, nframes + 1, 256))
            break;
        frames[nframes++] = f;
    }
    for (size_t k = 0; k < nframes; k++) {
        snprintf(name, sizeof name, "%sf%zu", prefix, nframes - 1 - k);
        frame_roots(w, frames[k], name);
    }
    free(frames);
}

bool heap_add_roots(struct target *t, struct heap *h, struct error *err)
{
    const struct py_layout *L = t->L;
    struct root_walk w = {t, h, err, false};
    static const struct root_field fields[] = {
        {offsetof(struct py_layout, interp_modules), "modules"},
        {offsetof(struct py_layout, interp_sysdict), "sysdict"},
        {offsetof(struct py_layout, interp_builtins), "builtins"},
        {offsetof(struct py_layout, interp_importlib), "importlib"},
        {offsetof(struct py_layout, interp_import_func), "import_func"},
        {offsetof(struct py_layout, interp_codec_search_path), "codec_search_path"},
        {offsetof(struct py_layout, interp_codec_search_cache), "codec_search_cache"},
        {offsetof(struct py_layout, interp_codec_error_registry), "codec_error_registry"},
        {offsetof(struct py_layout, interp_dict), "dict"},
        {offsetof(struct py_layout, interp_sysdict_copy), "sysdict_copy"},
        {offsetof(struct py_layout, interp_builtins_copy), "builtins_copy"},
    };
    root_fields(&w, t->interp, fields, sizeof fields / sizeof fields[0], "i0_");
    struct thread_walk threads;
    thread_walk_start(&threads, t, L, t->interp, true);
    for (uint64_t ts; !w.failed && (ts = thread_walk_next(&threads));)
        thread_roots(&w, ts);
    return !w.failed;
}
