#include "stacks/merged_stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct native_thread *native_of(const struct native_stacks *native, const struct thread_stack *t)
{
    for (size_t i = 0; native && i < native->count; i++)
        if (t->native_id >= 0 && native->threads[i].tid == t->native_id)
            return &native->threads[i];
    return NULL;
}

size_t merge_stack(const struct native_thread *n, const struct thread_stack *t, struct merged_frame *out)
{
    bool any_eval = false;
    for (size_t i = 0; i < n->nframes; i++)
        any_eval |= n->frames[i].eval;
    if (!any_eval && t->nframes)
        return 0; /* no eval loop among the symbols: nothing to merge at */
    size_t count = 0, k = 0;
    for (size_t i = 0; i < n->nframes; i++) {
        if (n->frames[i].eval && k < t->nframes) {
            do
                out[count++] = (struct merged_frame){true, k};
            while (!t->frames[k++].entry && k < t->nframes);
        } else {
            out[count++] = (struct merged_frame){false, i};
        }
    }
    /* Python frames whose eval loop call the walk did not reach (a stack
     * cut short) are kept, oldest last. */
    while (k < t->nframes)
        out[count++] = (struct merged_frame){true, k++};
    return count;
}

static void add_name(struct crash_signature *s, const char *name)
{
    if (s->count < SIGNATURE_FRAMES)
        snprintf(s->names[s->count++], sizeof s->names[0], "%s", name[0] ? name : "??");
}

void crash_signature_of(const struct native_thread *n, const struct thread_stack *t,
                        struct crash_signature *out)
{
    memset(out, 0, sizeof *out);
    struct merged_frame *m = n ? calloc(n->nframes + t->nframes + 1, sizeof *m) : NULL;
    size_t count = m ? merge_stack(n, t, m) : 0;
    for (size_t i = 0; i < count; i++)
        add_name(out, m[i].python ? t->frames[m[i].index].qualname : n->frames[m[i].index].function);
    /* Not merged (no symbol names the eval loop): the named native frames
     * above the first Python one's place are unknown, so the named native
     * frames come first, then the Python frames. */
    for (size_t i = 0; !count && n && i < n->nframes && out->count < SIGNATURE_FRAMES - 2; i++)
        if (n->frames[i].function[0])
            add_name(out, n->frames[i].function);
    for (size_t i = 0; !count && i < t->nframes; i++)
        add_name(out, t->frames[i].qualname);
    free(m);
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a, 64 bits */
    for (size_t i = 0; i < out->count; i++)
        for (const unsigned char *p = (const unsigned char *)out->names[i];; p++) {
            h = (h ^ *p) * 0x100000001b3ULL; /* the NUL too: it separates the names */
            if (!*p)
                break;
        }
    out->hash = h;
}
