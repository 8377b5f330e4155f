#include "store/snapshot_stacks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void snapshot_put_stacks(struct buf *b, const struct thread_stacks *s, const char *why, bool redact)
{
    snap_put_u8(b, s != NULL);
    if (!s) {
        snap_put_str(b, why);
        return;
    }
    snap_put_u32(b, (uint32_t)s->count);
    for (size_t i = 0; i < s->count; i++) {
        const struct thread_stack *t = &s->threads[i];
        snap_put_u64(b, t->tstate);
        snap_put_u64(b, t->thread_id);
        snap_put_u64(b, (uint64_t)t->native_id);
        snap_put_str(b, t->name);
        snap_put_u8(b, t->holds_gil);
        snap_put_u8(b, t->in_gc);
        snap_put_u64(b, t->handling);
        snap_put_str(b, t->handling_type);
        snap_put_str(b, redact ? "" : t->handling_message);
        snap_put_u64(b, t->cut_at);
        snap_put_str(b, t->cut_note);
        snap_put_u32(b, (uint32_t)t->nframes);
        for (size_t k = 0; k < t->nframes; k++) {
            const struct py_frame *f = &t->frames[k];
            snap_put_u64(b, f->frame);
            snap_put_u64(b, f->code);
            snap_put_str(b, f->function);
            snap_put_str(b, f->qualname);
            snap_put_str(b, f->file);
            snap_put_u64(b, (uint64_t)f->line);
            snap_put_u8(b, (uint8_t)f->kind);
            snap_put_u8(b, f->entry);
            snap_put_u8(b, f->locals != NULL); /* a code without locals has none to show */
            snap_put_u32(b, (uint32_t)f->nlocals);
            for (size_t v = 0; v < f->nlocals; v++) {
                snap_put_str(b, f->locals[v].name);
                snap_put_u64(b, f->locals[v].value);
                snap_put_str(b, redact ? "" : f->locals[v].rendering);
            }
        }
    }
}

/* A string of the section into a fixed field; false when the reader went bad. */
static bool get_text(struct reader *r, char *out, size_t size)
{
    char *s = snap_get_str(r);
    if (!s)
        return false;
    snprintf(out, size, "%s", s);
    free(s);
    return true;
}

/* A count of items that take at least min_bytes each of what is left of
 * the section (a corrupt count is refused before anything is allocated),
 * and a zeroed array for them (NULL for none). */
static bool get_count(struct reader *r, size_t min_bytes, size_t size, uint32_t *n, void **items)
{
    *n = snap_get_u32(r);
    if (r->bad || *n > (r->n - r->at) / min_bytes)
        return false;
    *items = *n ? calloc(*n, size) : NULL;
    return !*n || *items;
}

static bool get_frame(struct reader *r, struct py_frame *f)
{
    f->frame = snap_get_u64(r);
    f->code = snap_get_u64(r);
    if (!get_text(r, f->function, sizeof f->function) || !get_text(r, f->qualname, sizeof f->qualname) ||
        !get_text(r, f->file, sizeof f->file))
        return false;
    f->line = (int64_t)snap_get_u64(r);
    uint8_t kind = snap_get_u8(r);
    if (kind > FRAME_ASYNC_GENERATOR)
        return false;
    f->kind = (enum frame_kind)kind;
    f->entry = snap_get_u8(r);
    bool has_locals = snap_get_u8(r);
    uint32_t n = snap_get_u32(r);
    /* Each local takes at least 16 bytes of the section. */
    if (r->bad || n > (r->n - r->at) / 16 || (n && !has_locals))
        return false;
    f->locals = has_locals ? calloc(n ? n : 1, sizeof *f->locals) : NULL;
    if (has_locals && !f->locals)
        return false;
    for (uint32_t v = 0; v < n; v++) {
        struct py_local *l = &f->locals[f->nlocals++];
        if (!get_text(r, l->name, sizeof l->name))
            return false;
        l->value = snap_get_u64(r);
        if (!get_text(r, l->rendering, sizeof l->rendering))
            return false;
    }
    return !r->bad;
}

static bool get_thread(struct reader *r, struct thread_stack *t)
{
    t->tstate = snap_get_u64(r);
    t->thread_id = snap_get_u64(r);
    t->native_id = (int64_t)snap_get_u64(r);
    if (!get_text(r, t->name, sizeof t->name))
        return false;
    t->holds_gil = snap_get_u8(r);
    t->in_gc = snap_get_u8(r);
    t->handling = snap_get_u64(r);
    if (!get_text(r, t->handling_type, sizeof t->handling_type) ||
        !get_text(r, t->handling_message, sizeof t->handling_message))
        return false;
    t->cut_at = snap_get_u64(r);
    if (!get_text(r, t->cut_note, sizeof t->cut_note))
        return false;
    uint32_t n;
    /* Each frame takes at least 43 bytes of the section. */
    if (!get_count(r, 43, sizeof *t->frames, &n, (void **)&t->frames))
        return false;
    for (uint32_t k = 0; k < n; k++)
        if (!get_frame(r, &t->frames[t->nframes++]))
            return false;
    return true;
}

bool snapshot_get_stacks(struct reader *r, struct thread_stacks *out, bool *kept, char *why, size_t why_size)
{
    *kept = snap_get_u8(r);
    if (!*kept)
        return get_text(r, why, why_size);
    uint32_t n;
    /* Each thread takes at least 62 bytes of the section. */
    if (!get_count(r, 62, sizeof *out->threads, &n, (void **)&out->threads))
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (!get_thread(r, &out->threads[out->count++]))
            return false;
    return !r->bad;
}
