/* Where the files a target maps are found, as libdwfl asks its caller: one
 * resolver, many sources.  A live process's files through /proc/PID
 * (live_files, here), a core's under a sysroot (core_source.c).  Interpreter
 * discovery and the native unwinder both read files through it. */
#ifndef PYHEAPSCAN_FILE_RESOLVER_H
#define PYHEAPSCAN_FILE_RESOLVER_H

#include <sys/types.h>

#include "base/errors.h"
#include "symbols/elf_file.h"
#include "symbols/proc_maps.h"

/* open returns NULL when the file is not to be had; a resolver that must
 * explain why (a missing file, a build-id mismatch) sets err and fatal. */
struct file_resolver {
    struct elf_file *(*open)(void *ctx, const struct map_entry *e, struct error *err);
    void *ctx;
    const char *what;  /* "process 1234 (python3)" for messages */
    /* The target's root as the scanner sees it ("/proc/PID/root", a core's
     * --sysroot; "" for this machine's): debug information is looked for
     * under it too, as gdb's sysroot does. */
    char root[4096];
};

/* The resolver of a live process: the mapped path as is, under
 * /proc/PID/root, then /proc/PID/map_files, whichever has the mapped inode. */
struct file_resolver live_files(pid_t *pid, const char *what);

#endif
