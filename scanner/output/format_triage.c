#include "output/format_triage.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "output/format_stacks.h"
#include "stacks/merged_stack.h"

#define TRIAGE_FRAMES 30
#define TRIAGE_ROWS 10

static const struct thread_stack *chosen(const struct triage_report *r, const char **why)
{
    return thread_that_matters(r->crash ? r->crash->tid : 0, r->stacks, why);
}

/* Where a thread is, in a few words: its newest Python frame, else its
 * newest native function. */
static void where(const struct triage_report *r, const struct thread_stack *t, char *out, size_t cap)
{
    const struct native_thread *n = native_of(r->native, t);
    if (t->nframes)
        snprintf(out, cap, "%s (%s:%" PRId64 ")", t->frames[0].qualname, t->frames[0].file, t->frames[0].line);
    else if (n && n->nframes)
        snprintf(out, cap, "[native] %s", n->frames[0].function[0] ? n->frames[0].function : "??");
    else
        snprintf(out, cap, "(no frames)");
}

void format_triage_text(FILE *out, const struct triage_report *r)
{
    const struct target *t = r->t;
    fprintf(out, "pyheapscan triage: %s: %s, CPython %s (layout %s)\n\n", r->source, t->binary,
            t->version_text, t->layout_key);
    if (r->crash)
        format_crash_text(out, r->crash);
    else
        fprintf(out, "No fatal signal: %s.\n\n",
                r->source[0] == 'c' ? "the core records none" : "the process as it was at the stop");
    const char *why = "";
    const struct thread_stack *main_thread = chosen(r, &why);
    if (main_thread) {
        const struct native_thread *n = native_of(r->native, main_thread);
        struct crash_signature sig;
        crash_signature_of(n, main_thread, &sig);
        fprintf(out, "Signature: %016" PRIx64 " (", sig.hash);
        for (size_t i = 0; i < sig.count; i++)
            fprintf(out, "%s%s", i ? " < " : "", sig.names[i]);
        fprintf(out, ")\n\nThread %" PRId64 " \"%s\", %s:\n", main_thread->native_id, main_thread->name, why);
        if (main_thread->handling)
            fprintf(out, "    handling %s%s%s\n", main_thread->handling_type,
                    main_thread->handling_message[0] ? ": " : "", main_thread->handling_message);
        struct merged_frame *m = n ? calloc(n->nframes + main_thread->nframes + 1, sizeof *m) : NULL;
        size_t count = m ? merge_stack(n, main_thread, m) : 0;
        for (size_t i = 0; i < count && i < TRIAGE_FRAMES; i++) {
            if (m[i].python)
                format_python_frame(out, &main_thread->frames[m[i].index]);
            else
                format_native_frame(out, &n->frames[m[i].index]);
        }
        for (size_t i = 0; !count && i < main_thread->nframes && i < TRIAGE_FRAMES; i++)
            format_python_frame(out, &main_thread->frames[i]);
        if (n && !count && n->nframes) {
            fprintf(out, "    (native frames, not merged: no symbol names the eval loop in this build)\n");
            for (size_t i = 0; i < n->nframes && i < TRIAGE_FRAMES; i++)
                format_native_frame(out, &n->frames[i]);
        }
        if (count > TRIAGE_FRAMES)
            fprintf(out, "    ... %zu frames more\n", count - TRIAGE_FRAMES);
        free(m);
    }
    if (r->stacks->count > 1) {
        fprintf(out, "\nOther threads:\n");
        char at[1024];
        for (size_t i = 0; i < r->stacks->count; i++) {
            const struct thread_stack *o = &r->stacks->threads[i];
            if (o == main_thread)
                continue;
            where(r, o, at, sizeof at);
            fprintf(out, "    tid %" PRId64 " \"%s\": %s\n", o->native_id, o->name, at);
        }
    }
    fprintf(out, "\nHeap (the reachable set by class or dict owner):\n");
    if (r->heap)
        format_partition_text(out, r->heap, TRIAGE_ROWS);
    else
        fprintf(out, "    not read: %s\n", r->heap_error ? r->heap_error : "?");
}

void format_triage_json(FILE *out, const struct triage_report *r)
{
    const struct target *t = r->t;
    struct json_writer jw, *j = &jw;
    json_begin(j, out);
    json_object_open(j);
    json_kv_str(j, "source", r->source);
    json_kv_str(j, "executable", t->binary);
    json_kv_str(j, "version", t->version_text);
    json_kv_str(j, "layout", t->layout_key);
    json_key(j, "crash");
    if (r->crash)
        format_crash_json(j, r->crash);
    else
        json_null(j);
    const char *why = "";
    const struct thread_stack *main_thread = chosen(r, &why);
    if (main_thread) {
        const struct native_thread *n = native_of(r->native, main_thread);
        struct crash_signature sig;
        crash_signature_of(n, main_thread, &sig);
        json_key(j, "signature");
        json_object_open(j);
        char hash[17];
        snprintf(hash, sizeof hash, "%016" PRIx64, sig.hash);
        json_kv_str(j, "hash", hash);
        json_key(j, "frames");
        json_array_open(j);
        for (size_t i = 0; i < sig.count; i++)
            json_str(j, sig.names[i]);
        json_array_close(j);
        json_object_close(j);
        json_key(j, "thread");
        json_object_open(j);
        json_kv_i64(j, "native_id", main_thread->native_id);
        json_kv_str(j, "name", main_thread->name);
        json_kv_str(j, "why", why);
        json_key(j, "frames");
        json_array_open(j);
        struct merged_frame *m = n ? calloc(n->nframes + main_thread->nframes + 1, sizeof *m) : NULL;
        size_t count = m ? merge_stack(n, main_thread, m) : 0;
        for (size_t i = 0; i < count; i++) {
            if (m[i].python)
                format_python_frame_json(j, &main_thread->frames[m[i].index]);
            else
                format_native_frame_json(j, &n->frames[m[i].index]);
        }
        /* Not merged: the Python frames, then the native ones. */
        for (size_t i = 0; !count && i < main_thread->nframes; i++)
            format_python_frame_json(j, &main_thread->frames[i]);
        for (size_t i = 0; n && !count && i < n->nframes; i++)
            format_native_frame_json(j, &n->frames[i]);
        free(m);
        json_array_close(j);
        json_kv_bool(j, "merged", count != 0);
        json_object_close(j);
    } else {
        json_kv_null(j, "signature");
        json_kv_null(j, "thread");
    }
    json_key(j, "others");
    json_array_open(j);
    char at[1024];
    for (size_t i = 0; i < r->stacks->count; i++) {
        const struct thread_stack *o = &r->stacks->threads[i];
        if (o == main_thread)
            continue;
        where(r, o, at, sizeof at);
        json_object_open(j);
        json_kv_i64(j, "native_id", o->native_id);
        json_kv_str(j, "name", o->name);
        json_kv_str(j, "where", at);
        json_object_close(j);
    }
    json_array_close(j);
    json_key(j, "heap");
    json_object_open(j);
    if (r->heap) {
        json_kv_u64(j, "count", r->heap->count);
        json_kv_u64(j, "size", r->heap->size);
        json_key(j, "rows");
        json_array_open(j);
        for (size_t i = 0; i < r->heap->nrows && i < TRIAGE_ROWS; i++) {
            json_object_open(j);
            json_kv_u64(j, "count", r->heap->rows[i].count);
            json_kv_u64(j, "size", r->heap->rows[i].size);
            json_kv_str(j, "kind", r->heap->rows[i].kind);
            json_object_close(j);
        }
        json_array_close(j);
    } else {
        json_kv_str(j, "error", r->heap_error ? r->heap_error : "");
    }
    json_object_close(j);
    json_object_close(j);
    fputc('\n', out);
}
