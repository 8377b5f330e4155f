/* A core dump as a memory source: its segments served from the mapped core,
 * the rest of its file-backed mappings from the files on disk (under a
 * sysroot or a library search path), each checked against the build-id the
 * core remembers. */
#ifndef PYHEAPSCAN_CORE_SOURCE_H
#define PYHEAPSCAN_CORE_SOURCE_H

#include <stdbool.h>

#include "symbols/core_file.h"
#include "symbols/proc_maps.h"
#include "source/file_resolver.h"
#include "base/errors.h"
#include "source/memory.h"

struct core_source {
    struct core_file core;
    struct memory mem;
    struct proc_maps maps;          /* built from NT_FILE and the segments */
    struct file_resolver files;
    char what[128];
    const char *exe, *sysroot, *lib_search_path;
    char *exe_path;                 /* the executable's path in the core (AT_EXECFN) */
    char **host_paths;              /* per NT_FILE entry: where it was found, or NULL */
    int *fds;                       /* per NT_FILE entry: open fd, -1 not yet, -2 missing */
    char missing[4096];             /* the first needed file not found, with its build-id */
};

bool core_source_open(struct core_source *cs, const char *path, const char *exe, const char *sysroot,
                      const char *lib_search_path, struct error *err);
void core_source_close(struct core_source *cs);

/* After a failed discovery: when a needed file was missing, says which (and
 * returns false with err set); otherwise leaves err as it is. */
bool core_source_explain_missing(struct core_source *cs, struct error *err);

#endif
