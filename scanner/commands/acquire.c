#include "commands/acquire.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/owners.h"
#include "analysis/reach.h"
#include "base/output_file.h"
#include "base/progress.h"
#include "model/discover.h"
#include "model/extra_edges.h"
#include "model/gc_walk.h"
#include "model/object_text.h"
#include "model/referents.h"
#include "model/roots.h"
#include "model/types.h"
#include "output/format.h"
#include "output/format_stacks.h"
#include "source/core_source.h"
#include "source/live_source.h"
#include "stacks/crash_facts.h"
#include "stacks/native_stacks.h"
#include "stacks/thread_stacks.h"
#include "store/snapshot.h"

/* The copied memory from which the read-ahead worker indexes the gc
 * objects during the walk.  Measured on Debian's 3.11, alternating runs on
 * live targets: 9M objects (1.3 GB copied) 2.75 -> 2.21 s a scan, where
 * the main thread bounds the referents and the worker has time to spare;
 * 1M objects (164 MB) 0.30 -> 0.33 s, where both cores are busy and the
 * main thread then adds to index groups last written on the other core. */
#define INDEX_AHEAD_MIN_COPY ((uint64_t)512 << 20)
/* (PYHEAPSCAN_TEST_INDEX_AHEAD set: on any heap, for the tests' small ones) */

/* The classifier the output partitions by: pympler's table has none (it
 * names kinds by type, function, module and frame), so a --by beside it
 * asks nothing of the graph. */
enum classifier shown_classifier(const struct options *o)
{
    return o->format == FORMAT_PYMPLER ? BY_TYPE : o->by;
}

static bool build_graph(const struct options *o, struct target *t, struct heap *h,
                        struct scan_facts *facts, struct error *err);

/* Every thread's Python stack, with a type table for reading the threading
 * module's Thread objects (names, native ids). */
static bool read_stacks(struct target *t, bool locals, struct thread_stacks *out, struct error *err)
{
    struct type_table types;
    type_table_init(&types);
    bool ok = (type_table_load_aliases(&types, t) || fail(err, EXIT_INTERNAL, "out of memory")) &&
              thread_stacks_read(t, &types, locals, out, err);
    type_table_free(&types);
    return ok;
}

static bool build_heap(const struct options *o, struct target *t, struct heap *h,
                       struct scan_facts *facts, struct error *err)
{
    if (!o->stacks)
        return build_graph(o, t, h, facts, err);
    bool ok = read_stacks(t, o->locals, facts->stacks, err);
    if (!ok || !o->triage)
        return ok;
    /* triage shows the heap's table too; a heap that cannot be read (a
     * crash may have left it torn) is said, and the stacks still shown. */
    struct error heap_err = {0};
    if (!build_graph(o, t, h, facts, &heap_err)) {
        snprintf(facts->triage->heap_error, sizeof facts->triage->heap_error, "%s", heap_err.message);
        heap_free(h);
        heap_init(h);
    }
    return true;
}

/* A snapshot keeps the threads' stacks of its stop, locals included; a
 * heap whose stacks cannot be read is still saved, and says why. */
static void read_stacks_to_save(struct target *t, struct scan_facts *facts)
{
    struct error stacks_err = {0};
    if (!read_stacks(t, true, facts->stacks, &stacks_err))
        snprintf(facts->stacks_missing, sizeof facts->stacks_missing, "%.255s", stacks_err.message);
}

static bool build_graph(const struct options *o, struct target *t, struct heap *h,
                        struct scan_facts *facts, struct error *err)
{
    bool collecting = false;
    t->check_tables = o->format == FORMAT_TYPES;
    progress_phase_done("interpreter");
    /* Clodo needs the dicts' owners, and heapy counts the static types among
     * the candidate owners: they are found as referents.  Via names every
     * edge; rcs and via need the referrers, hence the roots; id, idset,
     * module and pympler name objects by their texts. */
    enum classifier by = shown_classifier(o);
    /* paths, top and suspects name objects, relations and kinds: they need all refs does */
    bool why = o->paths || o->top || o->suspects;
    bool via = by == BY_VIA || o->refs || why;
    bool referrers = classifier_needs_referrers(by) || o->refs || why || o->retained;
    bool texts = by == BY_MODULE || by == BY_ID || by == BY_IDSET || o->format == FORMAT_PYMPLER || o->refs || why;
    bool owners = by == BY_CLODO || by == BY_RCS || by == BY_ID || by == BY_IDSET || o->refs || o->where || why;
    bool muppy = strcmp(o->set, "muppy") == 0;
    bool reach = (strcmp(o->set, "gc") != 0 && strcmp(o->set, "all") != 0 && !muppy) || referrers;
    bool edges = strcmp(o->set, "all") == 0 || o->format == FORMAT_REFERENTS || o->save || owners || reach || muppy;
    /* muppy's set tells the dict keys gc.get_referents skips by their relation */
    h->want_labels = via || o->save || muppy;
    h->label_kinds_only = !via && !o->save;
    heap_reserve_untouched(h, t->mem->copied_bytes);
    /* With the edges, the gc objects' sizes are read beside them, by a
     * worker that follows the walk. */
    struct ahead *ahead = edges ? ahead_start(t, h, h->want_labels, h->label_kinds_only) : NULL;
    /* ... and, on a heap whose index outgrows the caches, adds them to the
     * address index as the walk finds them */
    if (ahead && (t->mem->copied_bytes >= INDEX_AHEAD_MIN_COPY || getenv("PYHEAPSCAN_TEST_INDEX_AHEAD"))) {
        if (!heap_index_regions(h, t->mem)) {
            ahead_end(ahead);
            return fail(err, EXIT_INTERNAL, "out of memory");
        }
        ahead_index(ahead, h);
    }
    if (!gc_walk(t, h, &collecting, !edges, &ahead, err)) {
        ahead_end(ahead);
        return false;
    }
    progress_phase_done("gc walk");
    if (edges && !heap_add_referents(t, h, ahead, err))
        return false;
    progress_phase_done("referents");
    if ((reach || o->save) && !heap_add_roots(t, h, err))
        return false;
    progress_phase_done("roots");
    if ((reach || o->save) && !heap_add_extra_edges(t, h, err))
        return false;
    progress_phase_done("extra edges");
    /* The dicts' owners read the copy, reachability the graph alone: the
     * first runs on another core while the second runs here. */
    struct owners_beside *beside = (owners || o->save) && (reach || o->save) ? owners_begin(t, h) : NULL;
    struct refcount_reader *counts = reach || o->save ? heap_refcount_reader(t, h) : NULL;
    if ((reach || o->save) && (!counts || !heap_reach(h, heap_refcount_read, counts, err))) {
        heap_refcount_reader_free(counts);
        if (beside)
            owners_end(beside, &(struct error){0});
        return counts ? false : fail(err, EXIT_INTERNAL, "out of memory");
    }
    heap_refcount_reader_free(counts);
    progress_phase_done("reach");
    if (beside ? !owners_end(beside, err) : (owners || o->save) && !heap_find_dict_owners(t, h, err))
        return false;
    progress_phase_done("owners");
    /* pympler's table alone names few objects by their texts */
    bool pympler_only = o->format == FORMAT_PYMPLER && !(by == BY_MODULE || by == BY_ID || by == BY_IDSET ||
                                                         o->refs || why || o->save);
    if ((texts || o->save) &&
        !heap_keep_texts(t, h, !o->redact, pympler_only ? pympler_wants_text : NULL, err))
        return false;
    progress_phase_done("texts");
    if (o->save && facts->stacks)
        read_stacks_to_save(t, facts);
    if (o->save && !snapshot_save(o->save, h, t, facts, o->redact, err))
        return false;
    return true;
}

static bool acquire_snapshot(const struct options *o, const char *path, struct heap *h,
                             struct target *t, struct scan_facts *facts, struct error *err)
{
    if (!snapshot_load(path, h, t, facts, err))
        return false;
    if ((strcmp(o->set, "all") == 0 || o->format == FORMAT_REFERENTS) && !h->edge_start)
        return fail(err, EXIT_BAD_SNAPSHOT, "%s: holds no edges", path);
    return true;
}

/* stacks (without the heap): the target is read where it stands, only what
 * the stacks need (thread states, frames, code objects, names), nothing
 * copied; with --native its registers and the threads' stack pages are
 * kept, and unwound once it runs again.  Otherwise one copy of its memory,
 * read once it runs again. */
static bool acquire_live(const struct options *o, pid_t pid, struct heap *h, struct target *t,
                         struct scan_facts *facts, struct error *err)
{
    struct live_source ls;
    if (!live_source_open(&ls, pid, err)) {
        live_source_close(&ls);
        return false;
    }
    struct runtime_hint hint;
    if (!discover_runtime(&ls.files, &ls.maps, &hint, err)) {
        /* A process that has exited (a zombie its parent has not reaped
         * yet, or one that exits meanwhile) maps no files any more: it may
         * have been a CPython all the same. */
        if (err->code == EXIT_NOT_PYTHON && !live_source_alive(&ls)) {
            err->code = EXIT_OK;
            fail(err, EXIT_TARGET_GONE, "process %d has exited (its parent has not reaped it yet)", (int)pid);
        }
        live_source_close(&ls);
        return false;
    }
    progress_phase_done("files");
    t->mem = &ls.mem;
    t->pid = pid;
    facts->source = "live";
    bool ok;
    if (o->stacks && !o->triage) {
        ok = live_source_stop(&ls, err);
        if (ok) {
            facts->threads = ls.threads;
            ok = discover_interpreter(&hint, t, err) && build_heap(o, t, h, facts, err) &&
                 (!o->native || live_source_keep_stacks(&ls, err));
            ok = live_source_resume(&ls, ok, err);
        }
    } else {
        ok = live_source_copy(&ls, o->native, err);
        facts->threads = ls.threads;
        ok = ok && discover_interpreter(&hint, t, err) && build_heap(o, t, h, facts, err);
    }
    facts->stopped_seconds = ls.stopped_seconds;
    if (ok && o->native)
        ok = native_stacks_read(&ls.mem, &ls.maps, &ls.files, ls.regs, ls.nregs, facts->native, err);
    if (!ok) /* whatever failed, the target's exit explains it */
        live_source_explain_exit(&ls, err);
    t->mem = NULL;
    live_source_close(&ls);
    progress_phase_done("copy freed");
    return ok;
}

/* stacks of a core in which no interpreter was found: what a core of any
 * process says, its crash facts and native frames, is still shown (the
 * scan then ends with the not-Python error). */
static void native_only(const struct options *o, struct core_source *cs, struct scan_facts *facts)
{
    struct error quiet = {0};
    if (!native_stacks_read(&cs->mem, &cs->maps, &cs->files, cs->core.threads, (size_t)cs->core.nthreads,
                            facts->native, &quiet))
        return;
    if (crash_facts_read(&cs->core, &cs->mem, facts->native, facts->crash_store))
        facts->crash = facts->crash_store;
    struct output_file out = {0};
    if (!output_open(&out, o->output, &quiet))
        return;
    format_stacks_text(out.fp, facts->crash, facts->stacks, facts->native);
    output_commit(&out, &quiet);
}

static bool acquire_core(const struct options *o, const char *path, struct heap *h, struct target *t,
                         struct scan_facts *facts, struct error *err)
{
    struct core_source cs;
    if (!core_source_open(&cs, path, o->exe, o->sysroot, o->lib_search_path, err))
        return false;
    struct runtime_hint hint;
    bool ok = discover_runtime(&cs.files, &cs.maps, &hint, err);
    if (!ok)
        core_source_explain_missing(&cs, err);
    t->mem = &cs.mem;
    t->pid = cs.core.pid;
    facts->source = "core";
    facts->threads = cs.core.nthreads;
    facts->core_path = path;
    facts->core_signal = cs.core.signal;
    if (!ok && err->code == EXIT_NOT_PYTHON && o->stacks && !o->triage && o->format == FORMAT_TEXT)
        native_only(o, &cs, facts);
    ok = ok && discover_interpreter(&hint, t, err) && build_heap(o, t, h, facts, err);
    if (ok && o->native)
        ok = native_stacks_read(&cs.mem, &cs.maps, &cs.files, cs.core.threads, (size_t)cs.core.nthreads,
                                facts->native, err);
    if (ok && o->stacks && facts->crash_store &&
        crash_facts_read(&cs.core, &cs.mem, o->native ? facts->native : NULL, facts->crash_store))
        facts->crash = facts->crash_store;
    if (ok && cs.core.signal) {
        /* The signals whose default action dumps core killed it; another one
         * (SIGSTOP from gcore's attach) is only what it was stopped by. */
        int sig = cs.core.signal;
        bool fatal = sig == SIGSEGV || sig == SIGABRT || sig == SIGBUS || sig == SIGFPE ||
                     sig == SIGILL || sig == SIGQUIT || sig == SIGSYS || sig == SIGTRAP ||
                     sig == SIGXCPU || sig == SIGXFSZ;
        fprintf(stderr, "pyheapscan: core of process %d (%s), %s signal %d (%s)\n", cs.core.pid,
                cs.core.fname, fatal ? "killed by" : "stopped by", sig, strsignal(sig));
    }
    t->mem = NULL;
    core_source_close(&cs);
    return ok;
}

bool acquire(const struct options *o, const struct source *s, struct heap *h, struct target *t,
                    struct scan_facts *facts, struct error *err)
{
    switch (s->kind) {
    case SOURCE_LIVE:
        return acquire_live(o, s->pid, h, t, facts, err);
    case SOURCE_CORE:
        return acquire_core(o, s->path, h, t, facts, err);
    case SOURCE_SNAPSHOT:
        break;
    }
    return acquire_snapshot(o, s->path, h, t, facts, err);
}

void acquired_init(struct acquired *a)
{
    memset(a, 0, sizeof *a);
    heap_init(&a->h);
    a->facts = (struct scan_facts){.stacks = &a->stacks, .native = &a->native, .crash_store = &a->crash,
                                   .triage = &a->triage};
}

void acquired_free(struct acquired *a)
{
    thread_stacks_free(&a->stacks);
    native_stacks_free(&a->native);
    heap_free(&a->h);
}

struct source source_named(const char *spec)
{
    const char *digits = strncmp(spec, "pid:", 4) == 0 ? spec + 4 : spec;
    if (*digits && strspn(digits, "0123456789") == strlen(digits))
        return (struct source){SOURCE_LIVE, (pid_t)atoi(digits), NULL};
    char magic[8] = {0};
    FILE *f = fopen(spec, "rb");
    if (f) {
        size_t n = fread(magic, 1, sizeof magic, f);
        fclose(f);
        if (n == sizeof magic && memcmp(magic, "PYHSNAP", 8) == 0)
            return (struct source){SOURCE_SNAPSHOT, 0, spec};
    }
    return (struct source){SOURCE_CORE, 0, spec};
}

bool acquire_named(const struct options *o, const char *spec, struct heap *h, struct target *t,
                          struct scan_facts *facts, struct error *err)
{
    struct source s = source_named(spec);
    return acquire(o, &s, h, t, facts, err);
}
