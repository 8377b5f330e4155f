#include "stacks/merged_stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct thread_stack *thread_that_matters(int crash_tid, const struct thread_stacks *s, const char **why)
{
    for (size_t i = 0; crash_tid > 0 && i < s->count; i++)
        if (s->threads[i].native_id == crash_tid) {
            *why = "the thread the signal hit";
            return &s->threads[i];
        }
    for (size_t i = 0; i < s->count; i++)
        if (s->threads[i].holds_gil) {
            *why = "the thread holding the GIL";
            return &s->threads[i];
        }
    *why = "the first thread";
    return s->count ? &s->threads[0] : NULL;
}

const struct native_thread *native_of(const struct native_stacks *native, const struct thread_stack *t)
{
    for (size_t i = 0; native && i < native->count; i++)
        if (t->native_id >= 0 && native->threads[i].tid == t->native_id)
            return &native->threads[i];
    /* A thread whose native id memory does not say (a main thread some
     * builds leave at 0): the process's only thread is its own. */
    if (native && native->count == 1 && t->native_id < 0)
        return &native->threads[0];
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
        snprintf(s->names[s->count++], sizeof s->names[0], "%s", name);
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A frame every crash of its kind shares: glibc's string and memory
 * functions (their AVX2 and EVEX variants too) and its way to abort (an
 * assertion, a fortify or stack-protector check), libffi, and the
 * interpreter's own calls between Python frames. */
static bool shared_frame(const struct native_frame *f)
{
    static const char *const libc_families[] = {"__str", "__mem", "__wcs", "__wmem", "str", "mem", "wcs",
                                                "__pthread_kill", "pthread_kill", "raise", "abort", "__assert",
                                                "__libc_message", "__fortify_fail", "__chk_fail", "__stack_chk"};
    if (starts(f->module, "libc.so") || starts(f->module, "libc-")) {
        for (size_t i = 0; i < sizeof libc_families / sizeof libc_families[0]; i++)
            if (starts(f->function, libc_families[i]))
                return true;
        return false;
    }
    /* ctypes' way into a foreign function */
    if (starts(f->module, "_ctypes") &&
        (starts(f->function, "_ctypes_callproc") || starts(f->function, "PyCFuncPtr_call") ||
         starts(f->function, "_call_function_pointer")))
        return true;
    return starts(f->module, "libffi") || starts(f->module, "libpython3") || starts(f->module, "python3");
}

static void native_name(const struct native_frame *f, char *out, size_t len)
{
    if (f->function[0])
        snprintf(out, len, "%s", f->function);
    else
        snprintf(out, len, "%s+%#llx", f->module[0] ? f->module : "?", (unsigned long long)f->module_offset);
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void crash_signature_of(const struct native_thread *n, const struct thread_stack *t,
                        struct crash_signature *out)
{
    memset(out, 0, sizeof *out);
    char name[256];
    /* The native frames newer than the newest Python one (where the
     * stacks merge, those above its eval loop call; else every one). */
    size_t natives = n ? n->nframes : 0;
    for (size_t i = 0; n && i < n->nframes; i++)
        if (n->frames[i].eval) {
            natives = i;
            break;
        }
    size_t kept = 0;
    for (size_t i = 0; i < natives && kept < SIGNATURE_NATIVE; i++)
        if (!shared_frame(&n->frames[i])) {
            native_name(&n->frames[i], name, sizeof name);
            add_name(out, name);
            kept++;
        }
    if (!kept && natives) { /* a crash in a shared frame itself: its newest frame */
        native_name(&n->frames[0], name, sizeof name);
        add_name(out, name);
    }
    for (size_t i = 0; i < t->nframes && i < SIGNATURE_PYTHON; i++) {
        snprintf(name, sizeof name, "%.120s (%.120s)", t->frames[i].qualname, base_of(t->frames[i].file));
        add_name(out, name);
    }
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a, 64 bits */
    for (size_t i = 0; i < out->count; i++)
        for (const unsigned char *p = (const unsigned char *)out->names[i];; p++) {
            h = (h ^ *p) * 0x100000001b3ULL; /* the NUL too: it separates the names */
            if (!*p)
                break;
        }
    out->hash = h;
}
