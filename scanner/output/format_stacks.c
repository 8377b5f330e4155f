#include "output/format_stacks.h"

#include <inttypes.h>
#include <stdlib.h>

#include "output/format.h"
#include "stacks/merged_stack.h"

static const char *const kind_names[] = {"function", "generator", "coroutine", "async generator"};

void format_crash_text(FILE *out, const struct crash_facts *c)
{
    fprintf(out, "Crash: %s (%s)", c->signal_name, c->code_name);
    if (c->has_addr)
        fprintf(out, " at %#" PRIx64 ": %s", c->fault_addr, c->fault_where);
    fprintf(out, "\nFaulting thread: tid %d\n", c->tid);
    for (int r = 0; r < CORE_NREGS; r++)
        fprintf(out, "%s%8s 0x%016" PRIx64 "%s", r % 3 ? "  " : "    ", crash_reg_names[r], c->regs[r],
                r % 3 == 2 || r == CORE_NREGS - 1 ? "\n" : "");
    for (size_t i = 0; i < c->ninsns; i++)
        fprintf(out, "  %s %#" PRIx64 ": %s\n", c->insns[i].faulting ? "=>" : "  ", c->insns[i].addr,
                c->insns[i].text);
    if (c->operand[0])
        fprintf(out, "  the faulting instruction %s\n", c->operand);
    fputc('\n', out);
}

void format_crash_json(FILE *out, const struct crash_facts *c)
{
    fprintf(out, "{\"signal\": %d, \"signal_name\": \"%s\", \"si_code\": %d, \"code_name\": \"%s\", "
                 "\"fault_address\": ",
            c->signal, c->signal_name, c->si_code, c->code_name);
    if (c->has_addr) {
        fprintf(out, "\"%#" PRIx64 "\", \"fault_where\": ", c->fault_addr);
        json_string(out, c->fault_where);
    } else {
        fprintf(out, "null, \"fault_where\": null");
    }
    fprintf(out, ", \"tid\": %d, \"registers\": {", c->tid);
    for (int r = 0; r < CORE_NREGS; r++)
        fprintf(out, "%s\"%s\": \"%#" PRIx64 "\"", r ? ", " : "", crash_reg_names[r], c->regs[r]);
    fprintf(out, "}, \"instructions\": [");
    for (size_t i = 0; i < c->ninsns; i++) {
        fprintf(out, "%s{\"address\": \"%#" PRIx64 "\", \"faulting\": %s, \"text\": ", i ? ", " : "",
                c->insns[i].addr, c->insns[i].faulting ? "true" : "false");
        json_string(out, c->insns[i].text);
        fputc('}', out);
    }
    fprintf(out, "], \"operand\": ");
    json_string_or_null(out, c->operand);
    fprintf(out, ", \"operand_address\": ");
    if (c->has_effective)
        fprintf(out, "\"%#" PRIx64 "\"}", c->effective);
    else
        fprintf(out, "null}");
}

/* The order threads are shown in: the one that took the signal first. */
static size_t shown(const struct crash_facts *crash, const struct thread_stacks *s, size_t i)
{
    size_t first = s->count;
    for (size_t k = 0; crash && k < s->count; k++)
        if (s->threads[k].native_id == crash->tid)
            first = k;
    if (first == s->count)
        return i;
    return i == 0 ? first : i <= first ? i - 1 : i;
}

/* Whether any thread's native frames show the eval loop: then the build
 * names it, and a thread without one was cut short. */
static bool names_eval_loop(const struct native_stacks *native)
{
    for (size_t i = 0; native && i < native->count; i++)
        for (size_t k = 0; k < native->threads[i].nframes; k++)
            if (native->threads[i].frames[k].eval)
                return true;
    return false;
}

void format_native_frame(FILE *out, const struct native_frame *f)
{
    fprintf(out, "    [native] ");
    if (f->function[0])
        fprintf(out, "%s+%#" PRIx64, f->function, f->offset);
    else
        fprintf(out, "%#" PRIx64, f->pc);
    fprintf(out, " (%s+%#" PRIx64, f->module[0] ? f->module : "?", f->module_offset);
    if (!f->function[0] && f->build_id[0])
        fprintf(out, ", build-id %s", f->build_id); /* for whoever has its symbols */
    fputc(')', out);
    if (f->file[0])
        fprintf(out, " at %s:%d", f->file, f->line);
    fputc('\n', out);
}

void format_python_frame(FILE *out, const struct py_frame *f)
{
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

/* A process with no interpreter found: its threads' native frames alone. */
static void native_only_text(FILE *out, const struct native_stacks *native)
{
    for (size_t i = 0; native && i < native->count; i++) {
        fprintf(out, "%sThread (tid %d), native frames only\n", i ? "\n" : "", native->threads[i].tid);
        for (size_t k = 0; k < native->threads[i].nframes; k++)
            format_native_frame(out, &native->threads[i].frames[k]);
    }
}

void format_stacks_text(FILE *out, const struct crash_facts *crash, const struct thread_stacks *s,
                        const struct native_stacks *native)
{
    if (crash)
        format_crash_text(out, crash);
    if (!s->count)
        native_only_text(out, native);
    for (size_t i = 0; i < s->count; i++) {
        const struct thread_stack *t = &s->threads[shown(crash, s, i)];
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
        if (t->handling)
            fprintf(out, "    handling %s%s%s\n", t->handling_type, t->handling_message[0] ? ": " : "",
                    t->handling_message);
        if (!t->nframes && !t->cut_at)
            fprintf(out, "    (no Python frames)\n");
        const struct native_thread *n = native_of(native, t);
        struct merged_frame *m = n ? calloc(n->nframes + t->nframes + 1, sizeof *m) : NULL;
        size_t nm = m ? merge_stack(n, t, m) : 0;
        for (size_t k = 0; k < nm; k++) {
            if (m[k].python)
                format_python_frame(out, &t->frames[m[k].index]);
            else
                format_native_frame(out, &n->frames[m[k].index]);
        }
        for (size_t k = 0; !nm && k < t->nframes; k++)
            format_python_frame(out, &t->frames[k]);
        if (n && !nm && n->nframes) {
            if (names_eval_loop(native))
                fprintf(out, "    (native frames, not merged: this thread's unwinding ended after %zu frame%s, "
                             "before any call of the eval loop)\n", n->nframes, n->nframes == 1 ? "" : "s");
            else
                fprintf(out, "    (native frames, not merged: no symbol names the eval loop in this build)\n");
            for (size_t k = 0; k < n->nframes; k++)
                format_native_frame(out, &n->frames[k]);
        }
        free(m);
        if (t->cut_at)
            fprintf(out, "    (cut: the frame at %#" PRIx64 " runs no readable code%s%s)\n", t->cut_at,
                    t->cut_note[0] ? ": " : "", t->cut_note);
    }
}

static void native_json(FILE *out, const struct native_thread *n, const struct thread_stack *t)
{
    fprintf(out, ", \"native\": [");
    for (size_t i = 0; i < n->nframes; i++) {
        const struct native_frame *f = &n->frames[i];
        fprintf(out, "%s{\"pc\": \"%#" PRIx64 "\", \"module\": ", i ? ", " : "", f->pc);
        json_string(out, f->module);
        fprintf(out, ", \"function\": ");
        json_string_or_null(out, f->function);
        fprintf(out, ", \"offset\": \"%#" PRIx64 "\", \"module_offset\": \"%#" PRIx64 "\", \"build_id\": ",
                f->offset, f->module_offset);
        json_string_or_null(out, f->build_id);
        fprintf(out, ", \"file\": ");
        json_string_or_null(out, f->file);
        fprintf(out, ", \"line\": %d, \"eval\": %s}", f->line, f->eval ? "true" : "false");
    }
    fprintf(out, "], \"merged\": [");
    struct merged_frame *m = calloc(n->nframes + t->nframes + 1, sizeof *m);
    size_t nm = m ? merge_stack(n, t, m) : 0;
    for (size_t k = 0; k < nm; k++)
        fprintf(out, "%s[\"%s\", %zu]", k ? ", " : "", m[k].python ? "python" : "native", m[k].index);
    free(m);
    fputc(']', out);
}

void format_stacks_json(FILE *out, const struct crash_facts *crash, const struct thread_stacks *s,
                        const struct native_stacks *native, double stopped_seconds, double total_seconds)
{
    fprintf(out, "{\"crash\": ");
    if (crash)
        format_crash_json(out, crash);
    else
        fprintf(out, "null");
    fprintf(out, ", \"threads\": [");
    for (size_t i = 0; i < s->count; i++) {
        const struct thread_stack *t = &s->threads[shown(crash, s, i)];
        fprintf(out, "%s{\"thread_id\": %" PRIu64 ", \"native_id\": ", i ? ", " : "", t->thread_id);
        if (t->native_id >= 0)
            fprintf(out, "%" PRId64, t->native_id);
        else
            fprintf(out, "null");
        fprintf(out, ", \"name\": ");
        json_string_or_null(out, t->name);
        fprintf(out, ", \"holds_gil\": %s, \"in_gc\": %s, \"tstate\": \"%#" PRIx64 "\", \"handling\": ",
                t->holds_gil ? "true" : "false", t->in_gc ? "true" : "false", t->tstate);
        if (t->handling) {
            fprintf(out, "{\"type\": ");
            json_string(out, t->handling_type);
            fprintf(out, ", \"message\": ");
            json_string(out, t->handling_message);
            fprintf(out, ", \"address\": \"%#" PRIx64 "\"}", t->handling);
        } else {
            fprintf(out, "null");
        }
        fprintf(out, ", \"frames\": [");
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
        fputc(']', out);
        const struct native_thread *n = native_of(native, t);
        if (n)
            native_json(out, n, t);
        fprintf(out, ", \"cut_at\": ");
        if (t->cut_at)
            fprintf(out, "\"%#" PRIx64 "\"", t->cut_at);
        else
            fprintf(out, "null");
        fprintf(out, ", \"cut_note\": ");
        if (t->cut_note[0])
            json_string(out, t->cut_note);
        else
            fprintf(out, "null");
        fputc('}', out);
    }
    fprintf(out, "], \"timing\": {\"stopped_seconds\": %.6f, \"total_seconds\": %.6f}}\n", stopped_seconds,
            total_seconds);
}
