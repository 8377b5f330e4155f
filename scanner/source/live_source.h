/* A live process as a source, as core_source.h is a core: what its files
 * tell before it is stopped (maps, a file resolver), one stop, and its
 * resumption.  The stop is either a copy of every writable mapping, read
 * by the model once the target runs again, or (stacks) the target read in
 * place while it stands, with its registers and the threads' stack pages
 * kept for the native unwinder.  Never writes to the target; a target that
 * exits meanwhile is said as such. */
#ifndef PYHEAPSCAN_LIVE_SOURCE_H
#define PYHEAPSCAN_LIVE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "symbols/core_file.h"
#include "symbols/proc_maps.h"
#include "base/errors.h"
#include "source/file_resolver.h"
#include "source/live.h"
#include "source/memory.h"

struct live_source {
    pid_t pid;
    char what[128];             /* "process 1234 (python3)" */
    pid_t files_pid;            /* the resolver's (it keeps a pointer) */
    struct proc_maps maps;      /* as read before the stop */
    struct file_resolver files;
    struct live_reader reader;
    struct memory mem;          /* the copy, or the target read in place */
    struct core_thread *regs;   /* each thread's registers at the stop, when asked */
    size_t nregs;
    int threads;                /* the threads the stop held */
    double stopped_seconds;     /* how long the target stood */
    double stop_began;
};

/* Installs the guard that lets a stopped target go should the scanner die,
 * checks the process and reads its maps.  Nothing is stopped yet. */
bool live_source_open(struct live_source *ls, pid_t pid, struct error *err);
void live_source_close(struct live_source *ls);

/* One stop: the target's writable memory copied into ls->mem (with each
 * thread's registers in ls->regs when registers is set), then it runs on.
 * What was not copied is read-only, and read from the target when asked. */
bool live_source_copy(struct live_source *ls, bool registers, struct error *err);

/* A stop to read the target in place (ls->mem reads it page by page, and
 * keeps the pages for as long as the stop lasts) ... */
bool live_source_stop(struct live_source *ls, struct error *err);
/* ... with, while it stands, every thread's registers and the part of its
 * stack its native frames live in copied into ls->mem ... */
bool live_source_keep_stacks(struct live_source *ls, struct error *err);
/* ... and its end: the target runs on.  ok is how the reading went; the
 * result is ok unless the target exited meanwhile (said in err). */
bool live_source_resume(struct live_source *ls, bool ok, struct error *err);

/* Whether the process still exists (not a zombie). */
bool live_source_alive(const struct live_source *ls);

/* After a failure: when the target has exited, that is what is said
 * (EXIT_TARGET_GONE), whatever failed. */
void live_source_explain_exit(const struct live_source *ls, struct error *err);

/* "process 1234 (python3)" */
void live_process_label(pid_t pid, char *out, size_t cap);

#endif
