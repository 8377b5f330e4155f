#include "stacks/thread_stacks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/instance_attr.h"
#include "model/thread_walk.h"
#include "model/walk_limits.h"
#include "stacks/line_table.h"
#include "model/pyobj.h"
#include "model/pyrepr.h"
#include "model/traverse.h"

/* Frames and threads kept at most: a chain longer than this is damage. */

/* co_flags bits (Include/cpython/code.h, the same in 3.8 - 3.15). */
#define CO_GENERATOR 0x20
#define CO_COROUTINE 0x80
#define CO_ASYNC_GENERATOR 0x200

static uint64_t untag(const struct target *t, uint64_t v)
{
    /* 3.14+ stack references: both low bits set is a tagged int, bit 0
     * alone a deferred reference. */
    if (t->L->iframe_stackpointer >= 0)
        return (v & 3) == 3 ? 0 : v & ~(uint64_t)3;
    return v;
}

static void str_field(struct target *t, uint64_t obj, int64_t offset, char *out, size_t cap)
{
    out[0] = '\0';
    if (offset >= 0 && !py_str_utf8(t, u64_at(t, obj + (uint64_t)offset), out, cap))
        out[0] = '\0';
}

/* What a frame runs: its code's names and file, the line of the
 * instruction at byte offset addr, its kind. */
static void describe(struct target *t, uint64_t frame, uint64_t code, int64_t addr, struct py_frame *f)
{
    const struct py_layout *L = t->L;
    memset(f, 0, sizeof *f);
    f->frame = frame;
    f->code = code;
    str_field(t, code, L->code_name, f->function, sizeof f->function);
    str_field(t, code, L->code_qualname >= 0 ? L->code_qualname : L->code_name, f->qualname,
              sizeof f->qualname);
    str_field(t, code, L->code_filename, f->file, sizeof f->file);
    f->line = line_for_offset(t, code, addr);
    int32_t flags = 0;
    mem_read(t->mem, code + (uint64_t)L->code_flags, &flags, sizeof flags);
    f->kind = flags & CO_COROUTINE         ? FRAME_COROUTINE
              : flags & CO_ASYNC_GENERATOR ? FRAME_ASYNC_GENERATOR
              : flags & CO_GENERATOR       ? FRAME_GENERATOR
                                           : FRAME_FUNCTION;
}

/* Whether code is a code object: a damaged frame, or one a core does not
 * hold, ends the walk rather than show a frame of nothing. */
static bool is_code(struct target *t, uint64_t code)
{
    char name[8];
    uint64_t type = code ? py_type_of(t, code) : 0;
    uint64_t tp_name = type ? u64_at(t, type + (uint64_t)t->L->tp_name) : 0;
    return tp_name && mem_cstring(t->mem, tp_name, name, sizeof name) && strcmp(name, "code") == 0;
}

/* How a value is shown: Python's repr of the simple ones, else its type and
 * address (what --by id shows of objects it cannot spell). */
static void render(struct target *t, uint64_t v, char *out, size_t cap)
{
    if (py_repr_value(t, v, out, cap))
        return;
    char name[96] = "?";
    uint64_t tp_name = u64_at(t, py_type_of(t, v) + (uint64_t)t->L->tp_name);
    if (tp_name)
        mem_cstring(t->mem, tp_name, name, sizeof name);
    snprintf(out, cap, "<%s at %#llx>", name, (unsigned long long)v);
}

/* The frame's fast locals: slots [0, n) at slots, named by the code; a
 * cell variable shows its cell's contents, as f_locals does; an unbound
 * one is left out. */
static bool read_locals(struct target *t, struct py_frame *f, uint64_t slots, int64_t n, bool tagged)
{
    if (n <= 0 || n > 65536 || !target_items(t, slots, (uint64_t)n, 8, "frame", f->frame))
        return true;
    f->locals = calloc((size_t)n, sizeof *f->locals);
    if (!f->locals)
        return false;
    for (int64_t i = 0; i < n; i++) {
        struct py_local *l = &f->locals[f->nlocals];
        bool cell;
        uint64_t v = u64_at(t, slots + (uint64_t)i * 8);
        if (tagged)
            v = untag(t, v);
        if (!traverse_local_name(t, f->code, i, l->name, sizeof l->name, &cell))
            continue;
        if (v && cell)
            v = u64_at(t, v + (uint64_t)t->L->cell_ref);
        if (!v)
            continue;
        l->value = v;
        render(t, v, l->rendering, sizeof l->rendering);
        f->nlocals++;
    }
    return true;
}

/* How many fast locals a code object has: co_nlocalsplus (3.11+), else its
 * locals, cells and free variables. */
static int64_t fast_locals(struct target *t, uint64_t code)
{
    const struct py_layout *L = t->L;
    int32_t n = 0;
    if (L->code_nlocalsplus >= 0) {
        mem_read(t->mem, code + (uint64_t)L->code_nlocalsplus, &n, sizeof n);
        return n;
    }
    mem_read(t->mem, code + (uint64_t)L->code_nlocals, &n, sizeof n);
    uint64_t cells = u64_at(t, code + (uint64_t)L->code_cellvars);
    uint64_t frees = u64_at(t, code + (uint64_t)L->code_freevars);
    return (int64_t)n + (cells ? (int64_t)u64_at(t, cells + (uint64_t)L->ob_size) : 0) +
           (frees ? (int64_t)u64_at(t, frees + (uint64_t)L->ob_size) : 0);
}

/* Frames are about a kilobyte each: the array grows geometrically, so a
 * deep stack is not copied once a frame while the target is stopped. */
static bool push_frame(struct thread_stack *s, const struct py_frame *f)
{
    if (s->nframes == s->frames_cap) {
        size_t cap = s->frames_cap ? 2 * s->frames_cap : 16;
        struct py_frame *grown = realloc(s->frames, cap * sizeof *grown);
        if (!grown)
            return false;
        s->frames = grown;
        s->frames_cap = cap;
    }
    s->frames[s->nframes++] = *f;
    return true;
}

/* The walk of s ends at frame f, whose code cannot be read.  A core whose
 * whole mapping there is zeros did not keep that memory: gdb's gcore
 * writes zeros for a mapping it cannot read whole, as a thread's stack
 * with its guard page inside it (sid's glibc 2.43 makes such stacks,
 * trixie's 2.41 does not); the kernel's core keeps it. */
static void cut(struct target *t, struct thread_stack *s, uint64_t f)
{
    s->cut_at = f;
    uint64_t start, end, word;
    if (!mem_read(t->mem, f, &word, sizeof word))
        snprintf(s->cut_note, sizeof s->cut_note, "%s",
                 t->mem->borrowed ? "the core does not hold that memory (its writer left it out or cut the file short)"
                                  : "that memory cannot be read");
    else if (t->mem->borrowed && mem_zero_region(t->mem, f, &start, &end)) /* a core's own segment */
        snprintf(s->cut_note, sizeof s->cut_note,
                 "the memory holds only zeros in all of %#llx-%#llx (a core writer that could not read "
                 "that mapping, as gdb's gcore a thread stack with a guard page inside it)",
                 (unsigned long long)start, (unsigned long long)end);
}

/* <= 3.10: frame objects linked by f_back; f_lasti counts bytes before
 * 3.10 and code units in 3.10. */
static bool frame_objects(struct target *t, uint64_t newest, bool locals, struct thread_stack *s)
{
    const struct py_layout *L = t->L;
    struct frame_walk fw;
    frame_walk_start(&fw, t, newest);
    for (uint64_t f; s->nframes < PY_FRAMES_MAX && (f = frame_walk_next(&fw));) {
        int32_t lasti = -1;
        mem_read(t->mem, f + (uint64_t)L->frame_lasti, &lasti, sizeof lasti);
        uint64_t code = u64_at(t, f + (uint64_t)L->frame_code);
        if (!is_code(t, code)) {
            cut(t, s, f);
            break;
        }
        struct py_frame pf;
        describe(t, f, code, lasti < 0 ? -1 : (t->minor >= 10 ? 2 * (int64_t)lasti : lasti), &pf);
        pf.entry = true; /* up to 3.10 each frame has a call of the eval loop of its own */
        if ((locals && !read_locals(t, &pf, f + (uint64_t)L->frame_basicsize, fast_locals(t, code), false)) ||
            !push_frame(s, &pf))
            return false;
    }
    return true;
}

/* 3.11+: interpreter frames linked by previous; entry and shim frames (no
 * Python code of their own) are left out, as tracebacks leave them out. */
/* 3.14t: the copy of code's bytecode frame f runs (its tlbc_index into the
 * code's co_tlbc); the code's own (main) when the copy is not readable. */
static uint64_t thread_bytecode(struct target *t, uint64_t f, uint64_t code, uint64_t main)
{
    const struct py_layout *L = t->L;
    int32_t index = 0;
    uint64_t array = u64_at(t, code + (uint64_t)L->code_co_tlbc), size = 0, copy = 0;
    if (!mem_read(t->mem, f + (uint64_t)L->iframe_tlbc_index, &index, sizeof index) || index <= 0 ||
        !array || !mem_u64(t->mem, array, &size) || (uint64_t)index >= size ||
        !mem_u64(t->mem, array + 8 + (uint64_t)index * 8, &copy) || !copy)
        return main;
    return copy;
}

static bool interpreter_frames(struct target *t, uint64_t newest, bool locals, struct thread_stack *s)
{
    const struct py_layout *L = t->L;
    struct frame_walk fw;
    frame_walk_start(&fw, t, newest);
    for (uint64_t f; s->nframes < PY_FRAMES_MAX && (f = frame_walk_next(&fw));) {
        uint8_t owner = 0;
        mem_read(t->mem, f + (uint64_t)L->iframe_owner, &owner, 1);
        if (L->frame_owner_not_python >= 0 && owner >= L->frame_owner_not_python) {
            /* 3.12+: the entry frame an eval loop call pushes below the
             * frames it runs. */
            if (s->nframes)
                s->frames[s->nframes - 1].entry = true;
            continue;
        }
        uint64_t code = untag(t, u64_at(t, f + (uint64_t)L->iframe_code));
        if (!is_code(t, code)) {
            cut(t, s, f);
            break;
        }
        uint64_t instr = u64_at(t, f + (uint64_t)L->iframe_instr);
        /* The bytecode starts where the code object's fixed part ends, or
         * where the thread's own copy of it does. */
        uint64_t start = code + (uint64_t)L->code_basicsize;
        if (L->iframe_tlbc_index >= 0)
            start = thread_bytecode(t, f, code, start);
        int64_t addr = instr >= start ? (int64_t)(instr - start) : -1;
        if (instr < start && instr + 2 == start)
            addr = -2; /* 3.11, 3.12: prev_instr before the first instruction */
        struct py_frame pf;
        describe(t, f, code, addr, &pf);
        uint8_t is_entry = 0;
        if (L->iframe_is_entry >= 0)
            mem_read(t->mem, f + (uint64_t)L->iframe_is_entry, &is_entry, 1);
        pf.entry = is_entry != 0;
        if ((locals && !read_locals(t, &pf, f + (uint64_t)L->iframe_localsplus, fast_locals(t, code), true)) ||
            !push_frame(s, &pf))
            return false;
    }
    return true;
}

/* The exception the thread's innermost except block handles: the top of
 * its stack of handled exceptions (exc_info; a running generator's own
 * state when it runs one). */
static void handled_exception(struct target *t, uint64_t ts, struct thread_stack *s)
{
    const struct py_layout *L = t->L;
    uint64_t item = u64_at(t, ts + (uint64_t)L->ts_exc_info);
    uint64_t exc = item ? u64_at(t, item + (uint64_t)L->stackitem_exc_value) : 0;
    uint64_t type = exc ? py_type_of(t, exc) : 0;
    uint64_t name = type ? u64_at(t, type + (uint64_t)L->tp_name) : 0;
    if (!name || !mem_cstring(t->mem, name, s->handling_type, sizeof s->handling_type))
        return;
    /* None: no exception (3.11+ keeps Py_None there when nothing is handled). */
    if (strcmp(s->handling_type, "NoneType") == 0) {
        s->handling_type[0] = '\0';
        return;
    }
    s->handling = exc;
    uint64_t args = u64_at(t, exc + (uint64_t)L->exc_args);
    int64_t n = args ? (int64_t)u64_at(t, args + (uint64_t)L->ob_size) : 0;
    if (n >= 1)
        py_str_utf8(t, u64_at(t, args + (uint64_t)L->tuple_ob_item), s->handling_message,
                    sizeof s->handling_message);
}

/* The thread state holding the GIL, 0 when none does. */
static uint64_t gil_holder(struct target *t)
{
    const struct py_layout *L = t->L;
    uint64_t gil = L->interp_gil >= 0 ? u64_at(t, t->interp + (uint64_t)L->interp_gil)
                                      : t->runtime + (uint64_t)L->runtime_gil;
    int32_t locked = 0;
    if (!gil || !mem_read(t->mem, gil + (uint64_t)L->gil_locked, &locked, sizeof locked) || !locked)
        return 0;
    return u64_at(t, gil + (uint64_t)L->gil_last_holder);
}

struct names_walk {
    struct target *t;
    struct type_table *types;
    struct thread_stacks *s;
};

/* threading._active maps each thread's ident to its Thread object: its
 * name and the kernel's id for it are the object's attributes. */
static bool name_thread(void *ctx, uint64_t key, uint64_t thread)
{
    struct names_walk *w = ctx;
    int64_t ident, native;
    if (!py_long_value(w->t, key, &ident))
        return true;
    for (size_t i = 0; i < w->s->count; i++) {
        struct thread_stack *ts = &w->s->threads[i];
        if (ts->thread_id != (uint64_t)ident)
            continue;
        uint64_t name = py_instance_attr(w->t, w->types, thread, "_name");
        if (name && !py_str_utf8(w->t, name, ts->name, sizeof ts->name))
            ts->name[0] = '\0';
        uint64_t id = py_instance_attr(w->t, w->types, thread, "_native_id");
        if (id && py_long_value(w->t, id, &native))
            ts->native_id = native;
    }
    return true;
}

static void name_threads(struct target *t, struct type_table *types, struct thread_stacks *s)
{
    uint64_t modules = u64_at(t, t->interp + (uint64_t)t->L->interp_modules);
    uint64_t threading = modules ? py_dict_get_str(t, modules, "threading") : 0;
    uint64_t dict = threading ? u64_at(t, threading + (uint64_t)t->L->module_md_dict) : 0;
    uint64_t active = dict ? py_dict_get_str(t, dict, "_active") : 0;
    struct names_walk w = {t, types, s};
    if (active)
        py_dict_foreach(t, active, name_thread, &w);
}

bool thread_stacks_read(struct target *t, struct type_table *types, bool locals,
                        struct thread_stacks *out, struct error *err)
{
    const struct py_layout *L = t->L;
    memset(out, 0, sizeof *out);
    uint64_t holder = gil_holder(t);
    int32_t collecting = 0;
    mem_read(t->mem, t->gc_state + (uint64_t)L->gc_collecting, &collecting, sizeof collecting);
    struct thread_walk threads;
    thread_walk_start(&threads, t, L, t->interp, true);
    for (uint64_t ts; (ts = thread_walk_next(&threads));) {
        if (out->count == out->cap) {
            size_t cap = out->cap ? 2 * out->cap : 16;
            struct thread_stack *grown = realloc(out->threads, cap * sizeof *grown);
            if (!grown)
                return fail(err, EXIT_INTERNAL, "out of memory");
            out->threads = grown;
            out->cap = cap;
        }
        struct thread_stack *s = &out->threads[out->count++];
        memset(s, 0, sizeof *s);
        s->tstate = ts;
        s->thread_id = u64_at(t, ts + (uint64_t)L->ts_thread_id);
        s->native_id = -1;
        s->holds_gil = ts == holder;
        s->in_gc = s->holds_gil && collecting;
        handled_exception(t, ts, s);
        uint64_t lost, f = thread_newest_frame(t, ts, &lost);
        if (lost)
            cut(t, s, lost);
        if (!(L->ts_frame >= 0 ? frame_objects(t, f, locals, s) : interpreter_frames(t, f, locals, s)))
            return fail(err, EXIT_INTERNAL, "out of memory");
    }
    for (size_t i = 0; i < out->count; i++)
        if (out->threads[i].nframes) /* the oldest frame ends the first call */
            out->threads[i].frames[out->threads[i].nframes - 1].entry = true;
    name_threads(t, types, out);
    return true;
}

void thread_stacks_free(struct thread_stacks *s)
{
    for (size_t i = 0; i < s->count; i++) {
        for (size_t k = 0; k < s->threads[i].nframes; k++)
            free(s->threads[i].frames[k].locals);
        free(s->threads[i].frames);
    }
    free(s->threads);
    memset(s, 0, sizeof *s);
}
