/* Frames and generators (Objects/frameobject.c, genobject.c): a frame's
 * back link, trace, code, globals, locals and stack; a generator's,
 * coroutine's or async generator's name and its frame (up to 3.10 an
 * object of its own, since then inside it); their sizes, which the code
 * they run decides. */
#include <stdlib.h>
#include <string.h>

#include "model/families/family.h"

/* A frame slot: 3.14 stack references carry tag bits (bit 0: deferred; both
 * low bits: a tagged int, not a pointer). */
static void visit_slot(struct walker *w, uint64_t value, struct relation rel)
{
    if (w->t->L->iframe_stackpointer >= 0) {
        if ((value & 3) == 3)
            return;
        value &= ~(uint64_t)3;
    }
    if (value)
        emit(w, value, rel);
}

bool traverse_local_name(struct target *t, uint64_t code, int64_t i, char *name, size_t cap, bool *cell)
{
    const struct py_layout *L = t->L;
    *cell = false;
    uint64_t names;
    if (L->code_localsplusnames >= 0) {
        names = u64_at(t, code + (uint64_t)L->code_localsplusnames);
        uint64_t kinds = u64_at(t, code + (uint64_t)L->code_localspluskinds);
        uint8_t kind = 0;
        if (kinds && mem_read(t->mem, kinds + (uint64_t)L->bytes_sval + (uint64_t)i, &kind, 1))
            *cell = (kind & 0xC0) != 0; /* CO_FAST_CELL, CO_FAST_FREE */
    } else {
        int32_t nlocals = 0;
        mem_read(t->mem, code + (uint64_t)L->code_nlocals, &nlocals, sizeof nlocals);
        names = u64_at(t, code + (uint64_t)L->code_varnames);
        if (i >= nlocals) {
            *cell = true;
            i -= nlocals;
            names = u64_at(t, code + (uint64_t)L->code_cellvars);
            int64_t ncells = names ? (int64_t)u64_at(t, names + (uint64_t)L->ob_size) : 0;
            if (i >= ncells) {
                i -= ncells;
                names = u64_at(t, code + (uint64_t)L->code_freevars);
            }
        }
    }
    if (!names || i < 0 || i >= (int64_t)u64_at(t, names + (uint64_t)L->ob_size))
        return false;
    return py_str_utf8(t, u64_at(t, names + (uint64_t)L->tuple_ob_item + (uint64_t)i * 8), name, cap);
}

/* A frame's fast locals (named as locals or cells) and then its value
 * stack (numbered from its bottom). */
static void visit_localsplus(struct walker *w, uint64_t code, uint64_t slots, int64_t nlocalsplus,
                            int64_t n, bool tagged)
{
    /* A cell variable's slot holds the cell: heapy names it as a local too
     * (its ".f_locals [x]" is for the cell's contents, which the frame does
     * not traverse). */
    char name[128];
    if (n <= 0 || !target_items(w->t, slots, (uint64_t)n, 8, "frame", w->obj))
        return;
    for (int64_t i = 0; i < n; i++) {
        uint64_t v = u64_at(w->t, slots + (uint64_t)i * 8);
        struct relation rel = rel_num(REL_STACK, (uint64_t)(i - nlocalsplus));
        bool cell;
        if (i < nlocalsplus && traverse_local_name(w->t, code, i, name, sizeof name, &cell))
            rel = (struct relation){REL_LOCAL, 0, name, false};
        else if (i < nlocalsplus)
            rel = rel_none;
        if (tagged)
            visit_slot(w, v, rel);
        else if (v)
            emit(w, v, rel);
    }
}

/* _PyFrame_Traverse (3.11+): the interpreter frame of a generator or of a
 * frame object that owns it. */
static void traverse_iframe(struct walker *w, uint64_t f)
{
    const struct py_layout *L = w->t->L;
    /* Named as heapy's frame relate names them: its locals became a C
     * field in 3.13, its function's field was f_func in 3.11. */
    visit_at(w, f + (uint64_t)L->iframe_frame_obj, rel_quiet(rel_inter("frame_obj")));
    visit_at(w, f + (uint64_t)L->iframe_locals,
             w->t->minor >= 13 ? rel_inter("f_locals") : rel_attr("f_locals"));
    visit_slot(w, u64_at(w->t, f + (uint64_t)L->iframe_func),
               rel_inter(w->t->minor == 11 ? "f_func" : "f_funcobj"));
    uint64_t code = u64_at(w->t, f + (uint64_t)L->iframe_code);
    visit_slot(w, code, rel_attr("f_code"));
    if (L->iframe_stackpointer >= 0)
        code &= ~(uint64_t)3;
    uint64_t locals = f + (uint64_t)L->iframe_localsplus;
    int64_t n;
    if (L->iframe_stackpointer >= 0) {
        uint64_t sp = u64_at(w->t, f + (uint64_t)L->iframe_stackpointer);
        n = sp >= locals ? (int64_t)((sp - locals) / 8) : 0;
    } else {
        int32_t top = 0;
        mem_read(w->t->mem, f + (uint64_t)L->iframe_stacktop, &top, sizeof top);
        n = top;
    }
    int32_t nlocalsplus = 0;
    if (code)
        mem_read(w->t->mem, code + (uint64_t)L->code_nlocalsplus, &nlocalsplus, sizeof nlocalsplus);
    visit_localsplus(w, code, locals, nlocalsplus, n, true);
}

static bool traverse_generator_fields(struct walker *w, uint64_t obj);

/* heapy relates a generator by its members only: gi_code and gi_frame up
 * to 3.10, nothing since (getsets); the rest is named but quiet. */
static bool generator_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    bool was_quiet = w->quiet;
    w->quiet = true;
    bool ok = traverse_generator_fields(w, obj);
    w->quiet = was_quiet;
    return ok;
}

static bool traverse_generator_fields(struct walker *w, uint64_t obj)
{
    const struct py_layout *L = w->t->L;
    bool members = L->gen_frame >= 0;
    if (L->gen_code >= 0)
        visit_at(w, obj + (uint64_t)L->gen_code, (struct relation){REL_ATTR, 0, "gi_code", !members});
    visit_attr(w, obj + (uint64_t)L->gen_name, "__name__");
    visit_attr(w, obj + (uint64_t)L->gen_qualname, "__qualname__");
    visit_inter(w, obj + (uint64_t)L->gen_exc_value, "gi_exc_state");
    if (L->gen_frame >= 0) {
        /* <= 3.10: the frame is an object of its own. */
        visit_at(w, obj + (uint64_t)L->gen_frame, (struct relation){REL_ATTR, 0, "gi_frame", false});
        visit_inter(w, obj + (uint64_t)L->gen_exc_type, "gi_exc_state");
        visit_inter(w, obj + (uint64_t)L->gen_exc_traceback, "gi_exc_state");
        return true;
    }
    int8_t state = 0;
    mem_read(w->t->mem, obj + (uint64_t)L->gen_frame_state, &state, 1);
    if (state < L->frame_cleared)
        traverse_iframe(w, obj + (uint64_t)L->gen_iframe);
    else if (w->t->minor >= 14)
        /* Objects/genobject.c gen_traverse, 3.14+: a finished generator
         * still visits its code (a deferred reference may be all that keeps
         * it alive). */
        visit_slot(w, u64_at(w->t, obj + (uint64_t)L->gen_iframe + (uint64_t)L->iframe_code), rel_attr("f_code"));
    return true;
}

static bool frame_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    const struct py_layout *L = w->t->L;
    visit_attr(w, obj + (uint64_t)L->frame_back, "f_back");
    visit_attr(w, obj + (uint64_t)L->frame_trace, "f_trace");
    if (L->frame_f_frame >= 0) {
        uint64_t f = u64_at(w->t, obj + (uint64_t)L->frame_f_frame);
        uint8_t owner = 0xff;
        if (f)
            mem_read(w->t->mem, f + (uint64_t)L->iframe_owner, &owner, 1);
        if (owner == L->frame_owned_by_frame_object)
            traverse_iframe(w, f);
        return true;
    }
    /* <= 3.10 */
    uint64_t code = u64_at(w->t, obj + (uint64_t)L->frame_code);
    visit_attr(w, obj + (uint64_t)L->frame_code, "f_code");
    visit_attr(w, obj + (uint64_t)L->frame_builtins, "f_builtins");
    visit_attr(w, obj + (uint64_t)L->frame_globals, "f_globals");
    visit_attr(w, obj + (uint64_t)L->frame_locals, "f_locals");
    if (!code)
        return false;
    uint64_t cells = u64_at(w->t, code + (uint64_t)L->code_cellvars);
    uint64_t frees = u64_at(w->t, code + (uint64_t)L->code_freevars);
    int32_t nlocals = 0;
    mem_read(w->t->mem, code + (uint64_t)L->code_nlocals, &nlocals, sizeof nlocals);
    uint64_t slots = (uint64_t)(int64_t)nlocals +
                     (cells ? u64_at(w->t, cells + (uint64_t)L->ob_size) : 0) +
                     (frees ? u64_at(w->t, frees + (uint64_t)L->ob_size) : 0);
    visit_localsplus(w, code, obj + (uint64_t)L->frame_basicsize, (int64_t)slots, (int64_t)slots, false);
    uint64_t stack = u64_at(w->t, obj + (uint64_t)L->frame_valuestack);
    if (L->frame_stackdepth >= 0) {
        int32_t depth = 0;
        mem_read(w->t->mem, obj + (uint64_t)L->frame_stackdepth, &depth, sizeof depth);
        visit_array(w, stack, depth, REL_STACK, 0);
    } else {
        uint64_t top = u64_at(w->t, obj + (uint64_t)L->frame_stacktop);
        if (top && top >= stack)
            visit_array(w, stack, (int64_t)((top - stack) / 8), REL_STACK, 0);
    }
    return true;
}

static bool asyncgen_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    visit_at(w, obj + (uint64_t)w->t->L->asyncgen_finalizer, rel_quiet(rel_inter("ag_origin_or_finalizer")));
    return generator_traverse(w, ti, obj);
}

/* The code object a frame or generator runs. */
static uint64_t code_of_frame(struct target *t, uint64_t frame_obj)
{
    const struct py_layout *L = t->L;
    if (L->frame_code >= 0)
        return u64_at(t, frame_obj + (uint64_t)L->frame_code);
    uint64_t iframe = u64_at(t, frame_obj + (uint64_t)L->frame_f_frame);
    return iframe ? u64_at(t, iframe + (uint64_t)L->iframe_code) & ~(uint64_t)3 : 0;
}

static uint64_t frame_slots(struct target *t, uint64_t code)
{
    const struct py_layout *L = t->L;
    /* 64-bit sums: corrupt fields must not overflow an int. */
    if (L->code_framesize >= 0 && L->frame_specials_size >= 0)
        return (uint64_t)((int64_t)i32_at(t, code + (uint64_t)L->code_framesize) - L->frame_specials_size);
    return (uint64_t)((int64_t)i32_at(t, code + (uint64_t)L->code_nlocalsplus) +
                      (int64_t)i32_at(t, code + (uint64_t)L->code_stacksize));
}

static uint64_t frame_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    const struct py_layout *L = t->L;
    uint64_t code = code_of_frame(t, obj);
    if (!code) {
        *exact = false;
        return (uint64_t)ti->basicsize;
    }
    if (L->frame_data < 0) {
        /* <= 3.10: f_localsplus holds locals, cells, frees and the stack. */
        uint64_t cells = u64_at(t, code + (uint64_t)L->code_cellvars);
        uint64_t frees = u64_at(t, code + (uint64_t)L->code_freevars);
        uint64_t extras = (uint64_t)(int64_t)i32_at(t, code + (uint64_t)L->code_stacksize) +
                          (uint64_t)(int64_t)i32_at(t, code + (uint64_t)L->code_nlocals) +
                          (cells ? u64_at(t, cells + (uint64_t)L->ob_size) : 0) +
                          (frees ? u64_at(t, frees + (uint64_t)L->ob_size) : 0);
        return (uint64_t)L->frame_basicsize + extras * 8;
    }
    return (uint64_t)L->frame_data + (uint64_t)L->iframe_localsplus + frame_slots(t, code) * 8;
}

static uint64_t generator_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    const struct py_layout *L = t->L;
    if (L->gen_iframe < 0) /* <= 3.10: object.__sizeof__ */
        return family_object_sizeof(t, ti, obj);
    /* 3.11 keeps gi_code; later versions only the frame's code (tagged on 3.14). */
    uint64_t code = L->gen_code >= 0
                        ? u64_at(t, obj + (uint64_t)L->gen_code)
                        : u64_at(t, obj + (uint64_t)(L->gen_iframe + L->iframe_code)) & ~(uint64_t)3;
    if (!code) {
        *exact = false;
        return (uint64_t)ti->basicsize;
    }
    return (uint64_t)L->gen_iframe + (uint64_t)L->iframe_localsplus + frame_slots(t, code) * 8;
}

static const struct family_entry entries[] = {
    {.definer = "frame", .by_layout = true, .traverse = frame_traverse, .traverse_kind = TRAVERSE_FRAME,
     .size = frame_size, .size_kind = SIZE_FRAME},
    {.definer = "generator", .by_layout = true, .traverse = generator_traverse,
     .traverse_kind = TRAVERSE_GENERATOR, .size = generator_size, .size_kind = SIZE_GENERATOR},
    {.definer = "coroutine", .by_layout = true, .traverse = generator_traverse,
     .traverse_kind = TRAVERSE_GENERATOR, .size = generator_size, .size_kind = SIZE_GENERATOR},
    {.definer = "async_generator", .by_layout = true, .traverse = asyncgen_traverse,
     .traverse_kind = TRAVERSE_ASYNCGEN, .size = generator_size, .size_kind = SIZE_GENERATOR},
};

const struct family family_frames = FAMILY("frames", entries);
