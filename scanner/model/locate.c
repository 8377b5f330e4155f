#include "model/locate.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/pyobj.h"
#include "model/thread_walk.h"

/* Appends one "field at +N (layout +M)" to the note. */
static void note_moved(char *note, size_t cap, const char *field, int64_t at, int64_t was)
{
    size_t n = strlen(note);
    if (n + 1 < cap)
        snprintf(note + n, cap - n, "%s%s at +%lld (layout +%lld)", n ? ", " : "", field,
                 (long long)at, (long long)was);
}

/* A refusal: the field, the layout tried and what was found. */
static bool refuse(struct error *err, const struct target *t, const char *field, const char *fmt,
                   ...)
{
    char found[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(found, sizeof found, fmt, ap);
    va_end(ap);
    return fail(err, EXIT_UNSUPPORTED, "CPython %s: field %s of the %s layout does not validate: %s",
                t->version_text[0] ? t->version_text : "3.?", field, t->layout.key, found);
}

bool locate_interp_valid(struct target *t, uint64_t interp)
{
    const struct py_layout *L = &t->layout;
    uint64_t ts, back;
    return interp && !(interp & 7) &&
           mem_u64(t->mem, interp + (uint64_t)L->interp_threads_head, &ts) && ts && !(ts & 7) &&
           mem_u64(t->mem, ts + (uint64_t)L->ts_interp, &back) && back == interp;
}

/* Offsets in [0, limit) by distance from want, nearer first (want itself
 * first); step bytes apart. */
static int64_t nth_offset(int64_t want, int64_t i, int64_t step)
{
    int64_t k = (i + 1) / 2;
    return i % 2 ? want + k * step : want - k * step;
}

uint64_t locate_main_interp(struct target *t, uint64_t runtime_size)
{
    struct py_layout *L = &t->layout;
    int64_t want = L->runtime_interpreters_main, limit = (int64_t)runtime_size;
    if (limit <= 0)
        limit = L->runtime_size;
    for (int64_t i = 0; i < 2 * (limit / 8) + 2; i++) {
        int64_t off = nth_offset(want, i, 8);
        uint64_t interp;
        if (off < 0 || off + 8 > limit || !mem_u64(t->mem, t->runtime + (uint64_t)off, &interp) ||
            !locate_interp_valid(t, interp))
            continue;
        /* interpreters.head, the word before main in every version that
         * has both, points to the same interpreter in a process without
         * subinterpreters: met first, it stands for the word after it. */
        uint64_t after;
        int64_t gap = L->runtime_interpreters_main - L->runtime_interpreters_head;
        if (gap > 0 && off + gap + 8 <= limit &&
            mem_u64(t->mem, t->runtime + (uint64_t)(off + gap), &after) && after == interp)
            off += gap;
        L->runtime_interpreters_head += off - want;
        L->runtime_interpreters_main = off;
        return interp;
    }
    return 0;
}

/* A gc list head whose neighbours point back at it: an empty list points at
 * itself both ways.  The low two bits of _gc_prev (and, while collecting, of
 * _gc_next) are flags. */
static bool gc_head_valid(struct target *t, uint64_t head)
{
    uint64_t next, prev, back;
    if (!mem_u64(t->mem, head, &next) || !mem_u64(t->mem, head + 8, &prev))
        return false;
    next &= ~(uint64_t)3;
    prev &= ~(uint64_t)3;
    if (next == head || prev == head)
        return next == head && prev == head;
    return next && prev && mem_u64(t->mem, next + 8, &back) && (back & ~(uint64_t)3) == head &&
           mem_u64(t->mem, prev, &back) && (back & ~(uint64_t)3) == head;
}

static bool generations_valid(struct target *t, uint64_t gc, int64_t off)
{
    const struct py_layout *L = &t->layout;
    for (int64_t g = 0; g < L->gc_num_generations; g++)
        if (!gc_head_valid(t, gc + (uint64_t)(off + g * L->gc_generation_size)))
            return false;
    /* Where the state keeps a pointer to the youngest list, it is that head. */
    uint64_t young;
    if (L->gc_generation0 >= 0 &&
        (!mem_u64(t->mem, gc + (uint64_t)L->gc_generation0, &young) || young != gc + (uint64_t)off))
        return false;
    return true;
}

static bool permanent_valid(struct target *t, uint64_t gc, int64_t off)
{
    return gc_head_valid(t, gc + (uint64_t)off);
}

/* Finds a gc-state field by validation, nearest to the layout's offset
 * first, within the state (4-byte steps: ints precede the lists). */
static bool locate_gc_field(struct target *t, uint64_t gc, int64_t *field, const char *name,
                            bool (*valid)(struct target *, uint64_t, int64_t), char *note,
                            size_t cap)
{
    int64_t want = *field, limit = t->layout.gc_state_size;
    for (int64_t i = 0; i < 2 * (limit / 4) + 2; i++) {
        int64_t off = nth_offset(want, i, 4);
        if (off < 0 || off + 16 > limit || !valid(t, gc, off))
            continue;
        if (off != want)
            note_moved(note, cap, name, off, want);
        *field = off;
        return true;
    }
    return false;
}

static bool gc_state_valid_at(struct target *t, uint64_t gc)
{
    return generations_valid(t, gc, t->layout.gc_generations) &&
           permanent_valid(t, gc, t->layout.gc_permanent_generation);
}

static bool locate_gc(struct target *t, char *note, size_t cap, struct error *err)
{
    struct py_layout *L = &t->layout;
    if (L->runtime_gc >= 0) {
        /* 3.8: the gc state is in _PyRuntime itself, after fields that may
         * have grown. */
        int64_t want = L->runtime_gc, limit = (int64_t)t->runtime_size;
        if (limit <= 0)
            limit = L->runtime_size;
        int64_t i, off = want;
        for (i = 0; i < 2 * (limit / 8) + 2; i++) {
            off = nth_offset(want, i, 8);
            if (off >= 0 && off + L->gc_state_size <= limit &&
                gc_state_valid_at(t, t->runtime + (uint64_t)off))
                break;
        }
        if (i == 2 * (limit / 8) + 2)
            return refuse(err, t, "runtime_gc",
                          "no gc state in _PyRuntime whose generation lists point back at their "
                          "heads (the layout's is at +%lld)",
                          (long long)want);
        if (off != want)
            note_moved(note, cap, "runtime_gc", off, want);
        L->runtime_gc = off;
        t->gc_state = t->runtime + (uint64_t)off;
        return true;
    }
    t->gc_state = t->interp + (uint64_t)L->interp_gc;
    /* A free-threaded build leaves its list heads empty: the gc walks
     * mimalloc's heaps, and so does the scanner (mimalloc_walk.c). */
    if (L->py_gil_disabled)
        return true;
    if (!locate_gc_field(t, t->gc_state, &L->gc_generations, "gc_generations", generations_valid,
                         note, cap)) {
        uint64_t next = 0;
        mem_u64(t->mem, t->gc_state + (uint64_t)L->gc_generations, &next);
        return refuse(err, t, "gc_generations",
                      "nowhere in the interpreter's gc state (at 0x%" PRIx64 ") are %lld list "
                      "heads whose neighbours point back at them, the first of them the one "
                      "generation0 points to; at +%lld the first head's next is 0x%" PRIx64,
                      t->gc_state, (long long)L->gc_num_generations, (long long)L->gc_generations,
                      next);
    }
    if (!locate_gc_field(t, t->gc_state, &L->gc_permanent_generation, "gc_permanent_generation",
                         permanent_valid, note, cap))
        return refuse(err, t, "gc_permanent_generation",
                      "no permanent generation list head in the gc state at 0x%" PRIx64,
                      t->gc_state);
    return true;
}

/* Whether ts is on the main interpreter's thread list. */
static bool is_thread_of(struct target *t, uint64_t ts)
{
    struct thread_walk threads;
    thread_walk_start(&threads, t, &t->layout, t->interp, false); /* validating: nothing to count yet */
    for (uint64_t cur; (cur = thread_walk_next(&threads));)
        if (cur == ts)
            return true;
    return false;
}

/* A GIL state: locked is 0 or 1, and its last holder (set from the first
 * time a thread took it, never cleared) is one of the interpreter's thread
 * states.  Loosely, when released: its last holder may have exited since
 * (its thread state freed), so any aligned pointer. */
static bool gil_valid(struct target *t, uint64_t gil, bool loose)
{
    const struct py_layout *L = &t->layout;
    int32_t locked;
    uint64_t holder;
    if (!gil || !mem_read(t->mem, gil + (uint64_t)L->gil_locked, &locked, sizeof locked) ||
        (locked != 0 && locked != 1) ||
        !mem_u64(t->mem, gil + (uint64_t)L->gil_last_holder, &holder) || !holder || (holder & 7))
        return false;
    return is_thread_of(t, holder) || (loose && locked == 0);
}

/* The GIL: a pointer in the interpreter on 3.12+, a struct inside
 * _PyRuntime before (after fields that may have grown). */
static bool locate_gil(struct target *t, char *note, size_t cap, struct error *err)
{
    struct py_layout *L = &t->layout;
    if (L->interp_gil >= 0) {
        uint64_t gil = 0;
        mem_u64(t->mem, t->interp + (uint64_t)L->interp_gil, &gil);
        if (!gil_valid(t, gil, true))
            return refuse(err, t, "interp_gil",
                          "the interpreter's GIL pointer is 0x%" PRIx64 ", no GIL whose last "
                          "holder is one of its thread states",
                          gil);
        return true;
    }
    if (L->runtime_gil < 0)
        return true;
    int64_t want = L->runtime_gil, limit = (int64_t)t->runtime_size;
    if (limit <= 0)
        limit = L->runtime_size;
    for (int64_t i = 0; i < 2 * (limit / 8) + 2; i++) {
        int64_t off = nth_offset(want, i, 8);
        if (off < 0 || off + L->gil_locked + 4 > limit ||
            !gil_valid(t, t->runtime + (uint64_t)off, false))
            continue;
        if (off != want)
            note_moved(note, cap, "runtime_gil", off, want);
        L->runtime_gil = off;
        return true;
    }
    if (gil_valid(t, t->runtime + (uint64_t)want, true))
        return true;
    return refuse(err, t, "runtime_gil",
                  "no GIL in _PyRuntime (the layout's at +%lld) whose last holder is one of "
                  "the interpreter's thread states",
                  (long long)want);
}

/* A dict field of the interpreter: a dict (a readable keys table) that holds
 * key. */
static bool check_dict_field(struct target *t, int64_t field_off, const char *field,
                             const char *key, uint64_t *value, struct error *err)
{
    uint64_t dict = 0;
    if (!mem_u64(t->mem, t->interp + (uint64_t)field_off, &dict) || !dict)
        return refuse(err, t, field, "the interpreter (0x%" PRIx64 ") has 0x%" PRIx64 " there",
                      t->interp, dict);
    uint64_t v = py_dict_get_str(t, dict, key);
    if (!v)
        return refuse(err, t, field, "0x%" PRIx64 " is no dict holding '%s'", dict, key);
    if (value)
        *value = v;
    return true;
}

bool layout_fit(struct target *t, const struct locate_want *want, char *note, size_t note_cap,
                struct error *err)
{
    struct py_layout *L = &t->layout;
    note[0] = '\0';
    /* _PyRuntime's size is the symbol's: a fact of this build, which a
     * patch release may change without moving anything the scan reads. */
    if (want->runtime_size && (uint64_t)L->runtime_size != want->runtime_size) {
        size_t n = strlen(note);
        if (n + 1 < note_cap)
            snprintf(note + n, note_cap - n, "%sruntime_size %llu (layout %lld: the symbol's size)",
                     n ? ", " : "", (unsigned long long)want->runtime_size,
                     (long long)L->runtime_size);
        L->runtime_size = (int64_t)want->runtime_size;
    }
    int64_t main_was = L->runtime_interpreters_main;
    uint64_t at_layout = 0;
    mem_u64(t->mem, t->runtime + (uint64_t)main_was, &at_layout);
    t->interp = locate_main_interp(t, want->runtime_size);
    if (!t->interp)
        return refuse(err, t, "runtime_interpreters_main",
                      "at _PyRuntime+%lld is 0x%" PRIx64 ", and no pointer in its %lld bytes "
                      "leads to an interpreter state whose thread list points back at it",
                      (long long)main_was, at_layout, (long long)L->runtime_size);
    if (L->runtime_interpreters_main != main_was)
        note_moved(note, note_cap, "runtime_interpreters_main", L->runtime_interpreters_main,
                   main_was);
    uint64_t hex_obj;
    int64_t hex = 0;
    if (!check_dict_field(t, L->interp_sysdict, "interp_sysdict", "hexversion", &hex_obj, err))
        return false;
    if (!py_long_value(t, hex_obj, &hex) || (hex >> 24) != 3 || ((hex >> 16) & 0xFF) != L->minor ||
        (want->version_hex && hex != (int64_t)want->version_hex))
        return refuse(err, t, "interp_sysdict",
                      "its hexversion is 0x%llx, the target is 0x%08x (3.%d expected)",
                      (unsigned long long)hex, want->version_hex, L->minor);
    if (!check_dict_field(t, L->interp_modules, "interp_modules", "sys", NULL, err) ||
        !check_dict_field(t, L->interp_builtins, "interp_builtins", "len", NULL, err))
        return false;
    return locate_gc(t, note, note_cap, err) && locate_gil(t, note, note_cap, err);
}
