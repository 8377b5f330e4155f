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

void format_crash_json(struct json_writer *j, const struct crash_facts *c)
{
    json_object_open(j);
    json_kv_i64(j, "signal", c->signal);
    json_kv_str(j, "signal_name", c->signal_name);
    json_kv_i64(j, "si_code", c->si_code);
    json_kv_str(j, "code_name", c->code_name);
    if (c->has_addr) {
        json_kv_hex(j, "fault_address", c->fault_addr);
        json_kv_str(j, "fault_where", c->fault_where);
    } else {
        json_kv_null(j, "fault_address");
        json_kv_null(j, "fault_where");
    }
    json_kv_i64(j, "tid", c->tid);
    json_key(j, "registers");
    json_object_open(j);
    for (int r = 0; r < CORE_NREGS; r++)
        json_kv_hex(j, crash_reg_names[r], c->regs[r]);
    json_object_close(j);
    json_key(j, "instructions");
    json_array_open(j);
    for (size_t i = 0; i < c->ninsns; i++) {
        json_object_open(j);
        json_kv_hex(j, "address", c->insns[i].addr);
        json_kv_bool(j, "faulting", c->insns[i].faulting);
        json_kv_str(j, "text", c->insns[i].text);
        json_object_close(j);
    }
    json_array_close(j);
    json_kv_str_or_null(j, "operand", c->operand);
    if (c->has_effective)
        json_kv_hex(j, "operand_address", c->effective);
    else
        json_kv_null(j, "operand_address");
    json_object_close(j);
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

void format_python_frame_json(struct json_writer *j, const struct py_frame *f)
{
    json_object_open(j);
    json_kv_str(j, "type", "python");
    json_kv_str(j, "function", f->function);
    json_kv_str(j, "qualname", f->qualname);
    json_kv_str(j, "file", f->file);
    if (f->line >= 0)
        json_kv_i64(j, "line", f->line);
    else
        json_kv_null(j, "line");
    json_kv_str(j, "kind", kind_names[f->kind]);
    json_kv_hex(j, "frame", f->frame);
    json_kv_hex(j, "code", f->code);
    if (f->locals) {
        json_key(j, "locals");
        json_array_open(j);
        for (size_t v = 0; v < f->nlocals; v++) {
            json_object_open(j);
            json_kv_str(j, "name", f->locals[v].name);
            json_kv_hex(j, "address", f->locals[v].value);
            json_kv_str(j, "rendering", f->locals[v].rendering);
            json_object_close(j);
        }
        json_array_close(j);
    }
    json_object_close(j);
}

void format_native_frame_json(struct json_writer *j, const struct native_frame *f)
{
    json_object_open(j);
    json_kv_str(j, "type", "native");
    json_kv_hex(j, "pc", f->pc);
    json_kv_str(j, "module", f->module);
    json_kv_str_or_null(j, "function", f->function);
    json_kv_hex(j, "offset", f->offset);
    json_kv_hex(j, "module_offset", f->module_offset);
    json_kv_str_or_null(j, "build_id", f->build_id);
    json_kv_str_or_null(j, "file", f->file);
    json_kv_i64(j, "line", f->line);
    json_kv_bool(j, "eval", f->eval);
    json_object_close(j);
}

static void native_json(struct json_writer *j, const struct native_thread *n, const struct thread_stack *t)
{
    json_key(j, "native");
    json_array_open(j);
    for (size_t i = 0; i < n->nframes; i++)
        format_native_frame_json(j, &n->frames[i]);
    json_array_close(j);
    json_key(j, "merged");
    json_array_open(j);
    struct merged_frame *m = calloc(n->nframes + t->nframes + 1, sizeof *m);
    size_t nm = m ? merge_stack(n, t, m) : 0;
    for (size_t k = 0; k < nm; k++) {
        json_array_open(j);
        json_str(j, m[k].python ? "python" : "native");
        json_u64(j, m[k].index);
        json_array_close(j);
    }
    free(m);
    json_array_close(j);
}

void format_stacks_json(FILE *out, const struct crash_facts *crash, const struct thread_stacks *s,
                        const struct native_stacks *native, double stopped_seconds, double total_seconds)
{
    struct json_writer jw, *j = &jw;
    json_begin(j, out);
    json_object_open(j);
    json_key(j, "crash");
    if (crash)
        format_crash_json(j, crash);
    else
        json_null(j);
    json_key(j, "threads");
    json_array_open(j);
    for (size_t i = 0; i < s->count; i++) {
        const struct thread_stack *t = &s->threads[shown(crash, s, i)];
        json_object_open(j);
        json_kv_u64(j, "thread_id", t->thread_id);
        if (t->native_id >= 0)
            json_kv_i64(j, "native_id", t->native_id);
        else
            json_kv_null(j, "native_id");
        json_kv_str_or_null(j, "name", t->name);
        json_kv_bool(j, "holds_gil", t->holds_gil);
        json_kv_bool(j, "in_gc", t->in_gc);
        json_kv_hex(j, "tstate", t->tstate);
        json_key(j, "handling");
        if (t->handling) {
            json_object_open(j);
            json_kv_str(j, "type", t->handling_type);
            json_kv_str(j, "message", t->handling_message);
            json_kv_hex(j, "address", t->handling);
            json_object_close(j);
        } else {
            json_null(j);
        }
        json_key(j, "frames");
        json_array_open(j);
        for (size_t k = 0; k < t->nframes; k++)
            format_python_frame_json(j, &t->frames[k]);
        json_array_close(j);
        const struct native_thread *n = native_of(native, t);
        if (n)
            native_json(j, n, t);
        if (t->cut_at)
            json_kv_hex(j, "cut_at", t->cut_at);
        else
            json_kv_null(j, "cut_at");
        json_kv_str_or_null(j, "cut_note", t->cut_note);
        json_object_close(j);
    }
    json_array_close(j);
    json_kv_timing(j, stopped_seconds, total_seconds);
    json_object_close(j);
    fputc('\n', out);
}
