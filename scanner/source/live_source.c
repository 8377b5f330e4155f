#include "source/live_source.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "source/copy_buffers.h"
#include "base/progress.h"
#include "source/tracer.h"

void live_process_label(pid_t pid, char *out, size_t cap)
{
    char comm[64];
    process_comm(pid, comm, sizeof comm);
    snprintf(out, cap, "process %d (%s)", (int)pid, comm);
}

static bool check_process(pid_t pid, struct error *err)
{
    if (kill(pid, 0) == 0)
        return true;
    if (errno == ESRCH)
        return fail(err, EXIT_NO_PROCESS, "no process with pid %d", (int)pid);
    if (errno == EPERM)
        return tracer_permission_error(err, pid);
    return fail(err, EXIT_INTERNAL, "cannot signal-check process %d: %s", (int)pid, strerror(errno));
}

static bool read_maps(pid_t pid, struct proc_maps *maps, struct error *err)
{
    if (proc_maps_read(pid, maps))
        return true;
    if (errno == ENOENT || errno == ESRCH)
        return fail(err, EXIT_NO_PROCESS, "no process with pid %d", (int)pid);
    if (errno == EACCES || errno == EPERM)
        return tracer_permission_error(err, pid);
    return fail(err, EXIT_INTERNAL, "cannot read /proc/%d/maps: %s", (int)pid, strerror(errno));
}

/* Test hooks, so that the end-to-end tests can reach exactly this point:
 * PYHEAPSCAN_TEST_PAUSE=<stage> stops the scanner itself (the test then
 * kills the target, or the scanner), PYHEAPSCAN_TEST_CRASH=<stage> makes the
 * scanner crash as a bug would. */
static void test_pause(const char *stage)
{
    const char *want = getenv("PYHEAPSCAN_TEST_PAUSE");
    if (want && strcmp(want, stage) == 0)
        raise(SIGSTOP);
    want = getenv("PYHEAPSCAN_TEST_CRASH");
    if (want && strcmp(want, stage) == 0)
        raise(SIGSEGV);
}

bool live_source_open(struct live_source *ls, pid_t pid, struct error *err)
{
    memset(ls, 0, sizeof *ls);
    ls->pid = pid;
    /* Ready before anything can fail: live_source_close is then always
     * right (a zeroed reader would close descriptor 0). */
    live_reader_init(&ls->reader, pid);
    memory_init(&ls->mem);
    ls->mem.fallback = live_read;
    ls->mem.fallback_ctx = &ls->reader;
    tracer_install_signal_guard();
    if (!check_process(pid, err))
        return false;
    /* Everything the files can tell is learnt before the target is stopped. */
    if (!read_maps(pid, &ls->maps, err))
        return false;
    live_process_label(pid, ls->what, sizeof ls->what);
    ls->files_pid = pid;
    ls->files = live_files(&ls->files_pid, ls->what);
    return true;
}

void live_source_close(struct live_source *ls)
{
    free(ls->regs);
    ls->regs = NULL;
    proc_maps_free(&ls->maps);
    memory_free(&ls->mem);
    live_reader_close(&ls->reader);
}

bool live_source_alive(const struct live_source *ls)
{
    return tracer_target_alive(ls->pid);
}

void live_source_explain_exit(const struct live_source *ls, struct error *err)
{
    if (err->code != EXIT_TARGET_GONE && !tracer_target_alive(ls->pid)) {
        err->code = EXIT_OK;
        fail(err, EXIT_TARGET_GONE, "process %d exited during the scan", (int)ls->pid);
    }
}

/* Each thread's registers at this stop (the native stacks unwind from them). */
static bool take_registers(struct live_source *ls, struct error *err)
{
    ls->regs = calloc((size_t)ls->threads + 1, sizeof *ls->regs);
    if (!ls->regs)
        return fail(err, EXIT_INTERNAL, "out of memory");
    ls->nregs = tracer_registers(ls->regs, (size_t)ls->threads);
    return true;
}

/* The end of a stop: lets the target go, and says whether it outlived it. */
static bool let_go(struct live_source *ls)
{
    bool alive = tracer_target_alive(ls->pid);
    tracer_detach();
    alive = alive && !tracer_target_died();
    ls->stopped_seconds = monotonic_seconds() - ls->stop_began;
    return alive;
}

/* The start of a stop, the same for a copy and for reading in place: the
 * target stopped (its threads counted) and, when asked, their registers
 * taken while they stand. */
static bool begin_stop(struct live_source *ls, bool registers, struct error *err)
{
    ls->stop_began = monotonic_seconds();
    if (!tracer_attach(ls->pid, err))
        return false;
    ls->threads = tracer_thread_count();
    /* Out of memory for them is not the stop's failure: no registers, and
     * the native stacks say they have none. */
    if (registers)
        take_registers(ls, &(struct error){0});
    test_pause("stopped");
    return true;
}

bool live_source_copy(struct live_source *ls, bool registers, struct error *err)
{
    /* Faults for the copy's pages are paid while the target still runs. */
    struct copy_buffers ready;
    copy_buffers_prepare(&ready, &ls->maps, &ls->reader.pagemap);
    progress_phase_done("arena");
    if (!begin_stop(ls, registers, err)) {
        copy_buffers_free(&ready);
        return false;
    }
    struct proc_maps maps;
    bool ok = read_maps(ls->pid, &maps, err);
    if (!ok && err->code == EXIT_NO_PROCESS) {
        err->code = EXIT_OK;
        fail(err, EXIT_TARGET_GONE, "process %d exited during the scan", (int)ls->pid);
    }
    if (ok) {
        ok = live_copy_writable(&ls->reader, &maps, &ready, &ls->mem, err);
        proc_maps_free(&maps);
    }
    /* A target that died while stopped leaves an empty or partial copy. */
    bool alive = let_go(ls);
    progress_phase_done("stop");
    copy_buffers_free(&ready);
    progress_phase_done("arena freed");
    ls->mem.cache_strings = true; /* what was not copied is read-only */
    if (ok && !alive)
        ok = fail(err, EXIT_TARGET_GONE, "process %d exited during the scan", (int)ls->pid);
    return ok;
}

bool live_source_stop(struct live_source *ls, struct error *err)
{
    if (!begin_stop(ls, false, err))
        return false;
    ls->mem.page_cache = true;
    return true;
}

/* The part of each thread's stack its native frames live in: from below
 * its stack pointer (the red zone) to the end of the mapping holding it,
 * as sorted ranges that do not overlap. */
static size_t stack_ranges(const struct core_thread *regs, size_t nregs, const struct proc_maps *maps,
                           uint64_t *starts, uint64_t *ends)
{
    size_t n = 0;
    for (size_t i = 0; i < nregs; i++) {
        uint64_t sp = regs[i].regs[CORE_REG_RSP] - 128;
        const struct map_entry *e = proc_maps_find(maps, sp);
        if (!e || !e->writable)
            continue;
        starts[n] = sp & ~(uint64_t)4095;
        ends[n++] = e->end;
    }
    for (size_t i = 1; i < n; i++) /* insertion sort: a few threads */
        for (size_t j = i; j > 0 && starts[j - 1] > starts[j]; j--) {
            uint64_t s = starts[j], e = ends[j];
            starts[j] = starts[j - 1];
            ends[j] = ends[j - 1];
            starts[j - 1] = s;
            ends[j - 1] = e;
        }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && starts[i] <= ends[m - 1]) {
            if (ends[i] > ends[m - 1])
                ends[m - 1] = ends[i];
        } else {
            starts[m] = starts[i];
            ends[m++] = ends[i];
        }
    }
    return m;
}

bool live_source_keep_stacks(struct live_source *ls, struct error *err)
{
    /* Once the target runs again, what is not kept is read anew. */
    ls->mem.page_cache = false;
    if (!take_registers(ls, err))
        return false;
    uint64_t *starts = calloc((size_t)ls->threads + 1, sizeof *starts);
    uint64_t *ends = calloc((size_t)ls->threads + 1, sizeof *ends);
    bool ok = starts && ends;
    if (ok) {
        size_t n = stack_ranges(ls->regs, ls->nregs, &ls->maps, starts, ends);
        ok = live_copy_ranges(&ls->reader, starts, ends, n, &ls->mem, err);
    } else {
        fail(err, EXIT_INTERNAL, "out of memory");
    }
    free(starts);
    free(ends);
    return ok;
}

bool live_source_resume(struct live_source *ls, bool ok, struct error *err)
{
    ls->mem.page_cache = false;
    bool alive = let_go(ls);
    if (ok && !alive)
        ok = fail(err, EXIT_TARGET_GONE, "process %d exited during the scan", (int)ls->pid);
    return ok;
}
