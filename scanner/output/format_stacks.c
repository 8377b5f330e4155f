#include "format_stacks.h"

#include <inttypes.h>

#include "format.h"

static const char *const kind_names[] = {"function", "generator", "coroutine", "async generator"};

void format_stacks_text(FILE *out, const struct thread_stacks *s)
{
    for (size_t i = 0; i < s->count; i++) {
        const struct thread_stack *t = &s->threads[i];
        fprintf(out, "%sThread %#" PRIx64, i ? "\n" : "", t->thread_id);
        if (t->native_id >= 0)
            fprintf(out, " (tid %" PRId64 ")", t->native_id);
        if (t->name[0])
            fprintf(out, " \"%s\"", t->name);
        if (t->holds_gil)
            fprintf(out, ", holds the GIL");
        if (t->in_gc)
            fprintf(out, ", inside a garbage collection");
        fputc('\n', out);
        if (!t->nframes && !t->cut_at)
            fprintf(out, "    (no Python frames)\n");
        for (size_t k = 0; k < t->nframes; k++) {
            const struct py_frame *f = &t->frames[k];
            fprintf(out, "    %s", f->qualname[0] ? f->qualname : "?");
            if (f->kind != FRAME_FUNCTION)
                fprintf(out, " [%s]", kind_names[f->kind]);
            if (f->line >= 0)
                fprintf(out, " (%s:%" PRId64 ")\n", f->file, f->line);
            else
                fprintf(out, " (%s)\n", f->file);
            for (size_t v = 0; v < f->nlocals; v++)
                fprintf(out, "        %s = %s\n", f->locals[v].name, f->locals[v].rendering);
        }
        if (t->cut_at)
            fprintf(out, "    (cut: the frame at %#" PRIx64 " runs no readable code)\n", t->cut_at);
    }
}

void format_stacks_json(FILE *out, const struct thread_stacks *s)
{
    fprintf(out, "{\"threads\": [");
    for (size_t i = 0; i < s->count; i++) {
        const struct thread_stack *t = &s->threads[i];
        fprintf(out, "%s{\"thread_id\": %" PRIu64 ", \"native_id\": ", i ? ", " : "", t->thread_id);
        if (t->native_id >= 0)
            fprintf(out, "%" PRId64, t->native_id);
        else
            fprintf(out, "null");
        fprintf(out, ", \"name\": ");
        if (t->name[0])
            json_string(out, t->name);
        else
            fprintf(out, "null");
        fprintf(out, ", \"holds_gil\": %s, \"in_gc\": %s, \"tstate\": \"%#" PRIx64 "\", \"frames\": [",
                t->holds_gil ? "true" : "false", t->in_gc ? "true" : "false", t->tstate);
        for (size_t k = 0; k < t->nframes; k++) {
            const struct py_frame *f = &t->frames[k];
            fprintf(out, "%s{\"function\": ", k ? ", " : "");
            json_string(out, f->function);
            fprintf(out, ", \"qualname\": ");
            json_string(out, f->qualname);
            fprintf(out, ", \"file\": ");
            json_string(out, f->file);
            if (f->line >= 0)
                fprintf(out, ", \"line\": %" PRId64, f->line);
            else
                fprintf(out, ", \"line\": null");
            fprintf(out, ", \"kind\": \"%s\", \"frame\": \"%#" PRIx64 "\", \"code\": \"%#" PRIx64 "\"",
                    kind_names[f->kind], f->frame, f->code);
            if (f->locals) {
                fprintf(out, ", \"locals\": [");
                for (size_t v = 0; v < f->nlocals; v++) {
                    fprintf(out, "%s{\"name\": ", v ? ", " : "");
                    json_string(out, f->locals[v].name);
                    fprintf(out, ", \"address\": \"%#" PRIx64 "\", \"rendering\": ", f->locals[v].value);
                    json_string(out, f->locals[v].rendering);
                    fputc('}', out);
                }
                fputc(']', out);
            }
            fputc('}', out);
        }
        fprintf(out, "], \"cut_at\": ");
        if (t->cut_at)
            fprintf(out, "\"%#" PRIx64 "\"}", t->cut_at);
        else
            fprintf(out, "null}");
    }
    fprintf(out, "]}\n");
}
