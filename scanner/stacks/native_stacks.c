#include "stacks/native_stacks.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symbols/elf_file.h"

#define MAX_NATIVE_FRAMES 4096

/* Where debug information is looked for, by build-id or debuglink:
 * libdwfl's default (beside the file, its .debug directory, this machine's
 * /usr/lib/debug), then the target's own /usr/lib/debug — a chroot's or a
 * container's python3.X-dbg installs it there, not here. */
static char *debuginfo_path_for(const char *root)
{
    char *path = NULL;
    if (root[0] && asprintf(&path, ":.debug:/usr/lib/debug:%s/usr/lib/debug", root) < 0)
        return NULL;
    return path;
}

struct unwind {
    struct memory *mem;
    const struct core_thread *threads;
    size_t nthreads;
    size_t next;
    struct native_thread *current;
    Dwfl *dwfl;
    bool oom;
};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
    (void)dwfl;
    struct unwind *u = arg;
    if (u->next >= u->nthreads)
        return 0;
    *thread_argp = (void *)&u->threads[u->next];
    return u->threads[u->next++].tid;
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
    (void)dwfl;
    struct unwind *u = arg;
    for (size_t i = 0; i < u->nthreads; i++)
        if (u->threads[i].tid == tid) {
            *thread_argp = (void *)&u->threads[i];
            return true;
        }
    return false;
}

static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
    (void)dwfl;
    struct unwind *u = arg;
    uint64_t v;
    if (!mem_read(u->mem, addr, &v, sizeof v))
        return false;
    *result = v;
    return true;
}

/* x86-64 DWARF register numbers 0-16 (rax rdx rcx rbx rsi rdi rbp rsp
 * r8-r15 rip) from user_regs_struct's order. */
static bool set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
    const struct core_thread *t = thread_arg;
    static const int from[17] = {10, 12, 11, 5, 13, 14, 4, 19, 9, 8, 7, 6, 3, 2, 1, 0, 16};
    Dwarf_Word dw[17];
    for (int i = 0; i < 17; i++)
        dw[i] = t->regs[from[i]];
    return dwfl_thread_state_registers(thread, 0, 17, dw);
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
    .next_thread = next_thread,
    .get_thread = get_thread,
    .memory_read = memory_read,
    .set_initial_registers = set_initial_registers,
};

static const char *base_name(const char *path)
{
    const char *b = path ? strrchr(path, '/') : NULL;
    return b ? b + 1 : path ? path : "?";
}

/* The name debug information gives the function whose code holds at (the
 * subprogram among its unit's children around it, not the functions
 * inlined there), as gdb names a frame; NULL without debug information. */
static const char *dwarf_function(Dwfl_Module *mod, Dwarf_Addr at)
{
    Dwarf_Addr bias;
    Dwarf_Die *cu = dwfl_module_addrdie(mod, at, &bias), child;
    if (!cu || dwarf_child(cu, &child) != 0)
        return NULL;
    do {
        if (dwarf_tag(&child) == DW_TAG_subprogram && dwarf_haspc(&child, at - bias) == 1) {
            Dwarf_Attribute attr;
            return dwarf_formstring(dwarf_attr_integrate(&child, DW_AT_name, &attr));
        }
    } while (dwarf_siblingof(&child, &child) == 0);
    return NULL;
}

static int frame_cb(Dwfl_Frame *state, void *arg)
{
    struct unwind *u = arg;
    struct native_thread *nt = u->current;
    Dwarf_Addr pc;
    bool activation;
    if (!dwfl_frame_pc(state, &pc, &activation))
        return DWARF_CB_ABORT;
    if (nt->nframes >= MAX_NATIVE_FRAMES)
        return DWARF_CB_ABORT;
    struct native_frame *grown = realloc(nt->frames, (nt->nframes + 1) * sizeof *grown);
    if (!grown) {
        u->oom = true;
        return DWARF_CB_ABORT;
    }
    nt->frames = grown;
    struct native_frame *f = &nt->frames[nt->nframes++];
    memset(f, 0, sizeof *f);
    f->pc = pc;
    /* A return address points after the call: the call is one byte back. */
    Dwarf_Addr at = activation ? pc : pc - 1;
    Dwfl_Module *mod = dwfl_addrmodule(u->dwfl, at);
    if (!mod)
        return DWARF_CB_OK;
    Dwarf_Addr start;
    const char *mname = dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
    snprintf(f->module, sizeof f->module, "%s", base_name(mname));
    f->module_offset = pc - start;
    /* What names the module for a symbol server when nothing here does. */
    const unsigned char *bits;
    GElf_Addr id_vaddr;
    int nbits = dwfl_module_build_id(mod, &bits, &id_vaddr);
    for (int k = 0; k < nbits && k < 20; k++)
        snprintf(f->build_id + 2 * k, 3, "%02x", bits[k]);
    GElf_Off off = 0;
    GElf_Sym sym;
    const char *name = dwfl_module_addrinfo(mod, at, &off, &sym, NULL, NULL, NULL);
    const char *dwarf_name = name ? dwarf_function(mod, at) : NULL;
    if (dwarf_name)
        name = dwarf_name;
    if (name) {
        snprintf(f->function, sizeof f->function, "%s", name);
        f->offset = off + (at != pc); /* from the symbol to pc itself */
        f->eval = strcmp(name, "_PyEval_EvalFrameDefault") == 0;
    }
    Dwfl_Line *line = dwfl_module_getsrc(mod, at);
    int lineno = 0;
    const char *file = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL;
    if (file) {
        snprintf(f->file, sizeof f->file, "%s", file);
        f->line = lineno;
    }
    return DWARF_CB_OK;
}

/* Each file the target maps, at the address of its offset 0, as libdwfl's
 * module (its CFI for the unwinding, its symbols for the names). */
static void report_modules(Dwfl *dwfl, const struct proc_maps *maps, const struct file_resolver *files)
{
    dwfl_report_begin(dwfl);
    for (size_t i = 0; i < maps->count; i++) {
        const struct map_entry *e = &maps->entries[i];
        if (e->offset != 0 || !e->path || e->path[0] != '/' || map_entry_is_special(e))
            continue;
        struct error quiet = {0};
        struct elf_file *f = files->open(files->ctx, e, &quiet);
        if (!f)
            continue;
        uint64_t bias = elf_file_is_dyn(f) ? e->start - elf_file_first_load_vaddr(f) : 0;
        int fd = dup(elf_file_fd(f));
        if (fd >= 0 && !dwfl_report_elf(dwfl, base_name(e->path), e->path, fd, bias, false))
            close(fd);
        elf_file_close(f);
    }
    dwfl_report_end(dwfl, NULL, NULL);
}

bool native_stacks_read(struct memory *mem, const struct proc_maps *maps,
                        const struct file_resolver *files, const struct core_thread *threads,
                        size_t nthreads, struct native_stacks *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    /* NULL: libdwfl's default path.  Read by libdwfl until dwfl_end. */
    char *debuginfo_path = debuginfo_path_for(files->root);
    const Dwfl_Callbacks dwfl_callbacks = {
        .find_elf = dwfl_build_id_find_elf,
        .find_debuginfo = dwfl_standard_find_debuginfo,
        .debuginfo_path = &debuginfo_path,
    };
    Dwfl *dwfl = dwfl_begin(&dwfl_callbacks);
    if (!dwfl) {
        free(debuginfo_path);
        return fail(err, EXIT_INTERNAL, "libdwfl: %s", dwfl_errmsg(-1));
    }
    report_modules(dwfl, maps, files);
    struct unwind u = {mem, threads, nthreads, 0, NULL, dwfl, false};
    out->threads = calloc(nthreads ? nthreads : 1, sizeof *out->threads);
    if (!out->threads) {
        dwfl_end(dwfl);
        free(debuginfo_path);
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    if (nthreads && dwfl_attach_state(dwfl, NULL, threads[0].tid, &thread_callbacks, &u)) {
        for (size_t i = 0; i < nthreads && !u.oom; i++) {
            u.current = &out->threads[out->count++];
            u.current->tid = threads[i].tid;
            /* The walk ends where the CFI or the memory does: what it
             * found is kept either way. */
            dwfl_getthread_frames(dwfl, threads[i].tid, frame_cb, &u);
        }
    }
    dwfl_end(dwfl);
    free(debuginfo_path);
    if (u.oom)
        return fail(err, EXIT_INTERNAL, "out of memory");
    return true;
}

void native_stacks_free(struct native_stacks *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->threads[i].frames);
    free(s->threads);
    memset(s, 0, sizeof *s);
}
