/* Every thread's native frames, unwound with elfutils' libdwfl from the
 * registers captured at the stop (PTRACE_GETREGSET live, NT_PRSTATUS in a
 * core) over the memory the scanner holds, by the CFI of the files the
 * target maps, and named by their symbols and, where debug information is
 * found (by build-id under /usr/lib/debug, as gdb finds it), file:line.
 * Without a symbol a frame is its module and offset, never a guess. */
#ifndef PYHEAPSCAN_NATIVE_STACKS_H
#define PYHEAPSCAN_NATIVE_STACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source/file_resolver.h"
#include "base/errors.h"
#include "source/memory.h"
#include "symbols/core_file.h"
#include "symbols/proc_maps.h"

struct native_frame {
    uint64_t pc;
    char module[128];        /* the mapped file's base name */
    char function[128];      /* "" when no symbol covers pc */
    uint64_t offset;         /* from the function's start (with a function) */
    uint64_t module_offset;  /* from the module's first mapping */
    char build_id[41];       /* the module's GNU build-id in hex, "" none */
    char file[256];          /* source file, "" without debug information */
    int line;
    bool eval;               /* an entry into the interpreter's eval loop */
};

struct native_thread {
    int tid;
    struct native_frame *frames;
    size_t nframes;
};

struct native_stacks {
    struct native_thread *threads;
    size_t count;
};

/* threads: each thread's id and registers. */
bool native_stacks_read(struct memory *mem, const struct proc_maps *maps,
                        const struct file_resolver *files, const struct core_thread *threads,
                        size_t nthreads, struct native_stacks *out, struct error *err);
void native_stacks_free(struct native_stacks *s);

#endif
