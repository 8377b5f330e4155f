#include "scan.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "symbols/proc_maps.h"
#include "base/clock.h"
#include "model/discover.h"
#include "output/format.h"
#include "output/format_diff.h"
#include "stacks/crash_facts.h"
#include "output/format_stacks.h"
#include "output/format_triage.h"
#include "stacks/native_stacks.h"
#include "model/gc_walk.h"
#include "model/heap.h"
#include "source/live_source.h"
#include "source/memory.h"
#include "source/core_source.h"
#include "store/snapshot.h"
#include "analysis/owners.h"
#include "model/extra_edges.h"
#include "analysis/reach.h"
#include "model/roots.h"
#include "analysis/diff.h"
#include "base/output_file.h"
#include "base/progress.h"
#include "analysis/select.h"
#include "analysis/classify.h"
#include "model/object_text.h"
#include "analysis/referrers.h"
#include "why_alive.h"
#include "analysis/partition.h"
#include "model/referents.h"
#include "model/target.h"

static double now(void)
{
    return monotonic_seconds();
}

/* Shown in a warning: the first types concerned, each name once. */
#define WARNED_TYPES 8

/* One warning line: how many objects of the set (sel, n) have flag, why,
 * and their types (opaque traversals, or unmodelled sizes): the types of
 * those objects, not every type of that kind the scan met (a class made
 * by ctypes for each function pointer type is one name many times). */
static void warn_types(const struct heap *h, const uint32_t *sel, size_t n, uint8_t flag, uint64_t count,
                       const char *why, bool traversal)
{
    fprintf(stderr, "pyheapscan: warning: %llu objects %s:", (unsigned long long)count, why);
    uint8_t *flagged = calloc(h->types.count ? h->types.count : 1, 1);
    for (size_t k = 0; flagged && k < n; k++) {
        uint32_t i = sel ? sel[k] : (uint32_t)k;
        if (h->origin[i] & flag)
            flagged[h->type[i]] = 1;
    }
    const char *shown[WARNED_TYPES];
    size_t nshown = 0;
    for (size_t i = 0; i < h->types.count && nshown < WARNED_TYPES; i++) {
        const struct type_info *ti = &h->types.v[i];
        bool of_kind = traversal ? ti->traverse == TRAVERSE_OPAQUE : ti->size_kind == SIZE_UNMODELLED;
        if (flagged ? !flagged[i] : !of_kind)
            continue;
        bool again = false;
        for (size_t s = 0; s < nshown && !again; s++)
            again = strcmp(shown[s], ti->name) == 0;
        if (again)
            continue;
        fprintf(stderr, "%s %s", nshown ? "," : "", ti->name);
        if (!traversal)
            fprintf(stderr, " (__sizeof__ of %s)", ti->sizeof_definer ? ti->sizeof_definer : "?");
        shown[nshown++] = ti->name;
    }
    free(flagged);
    fputc('\n', stderr);
}

/* The object graph from memory: the gc walk, and the referents when the
 * whole set, the edges or a snapshot are asked for. */
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
static enum classifier shown_classifier(const struct options *o)
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

/* A snapshot keeps every frame's locals; stacks --load shows them when
 * asked, as a live stacks does. */
static void drop_locals(struct thread_stacks *s)
{
    for (size_t i = 0; i < s->count; i++)
        for (size_t k = 0; k < s->threads[i].nframes; k++) {
            free(s->threads[i].frames[k].locals);
            s->threads[i].frames[k].locals = NULL;
            s->threads[i].frames[k].nlocals = 0;
        }
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

/* triage: the stacks, the crash, and the reachable set's top rows by
 * class or dict owner when the heap could be read. */
static bool write_triage(const struct options *o, struct target *t, struct heap *h,
                         struct scan_facts *facts, struct error *err)
{
    struct partition p = {0};
    uint32_t *sel = NULL;
    size_t n = 0;
    bool heap = h->count && !facts->triage->heap_error[0];
    if (heap && (!select_set("reachable", h, t->minor, &sel, &n, err) ||
                 !partition_build_subset(h, BY_CLODO, NULL, sel, n, &p))) {
        free(sel);
        return err->code ? false : fail(err, EXIT_INTERNAL, "out of memory");
    }
    char source[160];
    if (strcmp(facts->source, "core") == 0)
        snprintf(source, sizeof source, "core of process %d", (int)t->pid);
    else
        live_process_label(t->pid, source, sizeof source);
    struct triage_report r = {source, t, facts->crash, facts->stacks, facts->native,
                              heap ? &p : NULL, facts->triage->heap_error};
    damage_report(&t->damage);
    struct output_file out = {0};
    bool ok = output_open(&out, o->output, err);
    if (ok) {
        if (o->format == FORMAT_JSON)
            format_triage_json(out.fp, &r);
        else
            format_triage_text(out.fp, &r);
        ok = output_commit(&out, err);
    }
    partition_free(&p);
    free(sel);
    return ok;
}

/* refs: one object of the heap, its referents and its referrers. */
static bool write_refs(const struct options *o, struct heap *h, struct referrers *refs, uint32_t *sel,
                       struct error *err)
{
    free(sel);
    /* A loaded heap has no address index yet. */
    if (!h->index_slots && !heap_index_all(h, h->count))
        return fail(err, EXIT_INTERNAL, "out of memory");
    uint32_t i = heap_find(h, o->refs_addr);
    bool ok = true;
    if (i == UINT32_MAX)
        ok = fail(err, EXIT_NO_OBJECT, "no object at %#llx in this heap", (unsigned long long)o->refs_addr);
    struct output_file out = {0};
    if (ok)
        ok = output_open(&out, o->output, err);
    if (ok) {
        format_refs(out.fp, h, refs, i);
        ok = output_commit(&out, err);
    }
    referrers_free(refs);
    return ok;
}

/* Everything after the graph is in hand: the set asked for, the partition,
 * the warnings, the output. */
static bool write_outputs(const struct options *o, struct target *t, struct heap *h,
                          struct scan_facts *facts, double start, struct error *err)
{
    struct partition p = {0};
    struct output_file out = {0};
    uint32_t *sel = NULL;
    size_t n = 0;
    progress_clear();
    if (o->triage)
        return write_triage(o, t, h, facts, err);
    if (o->stacks) {
        damage_report(&t->damage);
        if (o->load && facts->stacks_missing[0])
            return fail(err, EXIT_BAD_SNAPSHOT, "%s keeps no stacks: %s", o->load, facts->stacks_missing);
        if (o->load && !o->locals)
            drop_locals(facts->stacks);
        if (!output_open(&out, o->output, err))
            return false;
        const struct native_stacks *native = o->native ? facts->native : NULL;
        if (o->format == FORMAT_JSON)
            format_stacks_json(out.fp, facts->crash, facts->stacks, native, facts->stopped_seconds,
                               now() - start);
        else
            format_stacks_text(out.fp, facts->crash, facts->stacks, native);
        return output_commit(&out, err);
    }
    if (!select_set(o->set, h, t->minor, &sel, &n, err) || (o->where && !select_where(o->where, h, &sel, &n, err))) {
        free(sel);
        return false;
    }
    progress_phase_done("select");
    struct referrers refs = {0};
    bool why = o->paths || o->top || o->suspects;
    if ((classifier_needs_referrers(shown_classifier(o)) || o->refs || why || o->retained) &&
        !referrers_build(h, &refs)) {
        free(sel);
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    progress_phase_done("referrers");
    if ((shown_classifier(o) == BY_VIA || o->refs || why) && !h->edge_label) {
        free(sel);
        referrers_free(&refs);
        return fail(err, EXIT_BAD_SNAPSHOT, "this heap has no relation names (its snapshot was saved without them): "
                                            "scan the process or the core for --by via, refs, paths and top");
    }
    if (why && !h->reach) {
        free(sel);
        referrers_free(&refs);
        return fail(err, EXIT_BAD_SNAPSHOT, "this heap has no roots: paths, top and suspects need the reachable graph");
    }
    if (o->refs)
        return write_refs(o, h, &refs, sel, err);
    if (why) {
        facts->t = t;
        facts->set = o->set;
        bool ok = o->paths      ? write_paths(o, h, &refs, sel, n, err)
                  : o->suspects ? write_suspects(o, h, &refs, err)
                                : write_top(o, facts, h, &refs, sel, n, err);
        referrers_free(&refs);
        free(sel);
        return ok;
    }
    /* What could not be modelled, counted in the set shown; referents only
     * when the request is about them (a live --set gc never traverses). */
    bool traversal = strcmp(o->set, "gc") != 0 || o->format == FORMAT_REFERENTS;
    uint64_t inexact = heap_count_flag(h, OBJECT_INEXACT_SIZE, sel, n);
    uint64_t opaque = traversal ? heap_count_flag(h, OBJECT_OPAQUE, sel, n) : 0;
    bool ok = true;
    if (o->format != FORMAT_PYMPLER && !partition_build_subset(h, o->by, &refs, sel, n, &p))
        ok = fail(err, EXIT_INTERNAL, "out of memory");
    progress_phase_done("partition");
    /* JSON shows every row unless --top is given */
    if (ok && o->retained)
        ok = add_retained(o, h, &refs, sel, n, &p,
                          o->format == FORMAT_JSON && o->max_rows == HEAPY_ROWS_PER_PAGE ? 0 : o->max_rows, err);
    if (ok && h->collecting)
        fprintf(stderr, "pyheapscan: warning: the target was stopped inside a garbage collection; "
                        "objects being collected are not on the generation lists\n");
    if (ok)
        damage_report(&t->damage);
    if (ok && opaque)
        warn_types(h, sel, n, OBJECT_OPAQUE, opaque,
                   "have a tp_traverse the scanner does not model; their referents are left out", true);
    if (ok && inexact)
        warn_types(h, sel, n, OBJECT_INEXACT_SIZE, inexact,
                   "have a __sizeof__ the scanner does not model; their sizes are basic sizes", false);
    if (ok)
        ok = output_open(&out, o->output, err);
    if (ok) {
        facts->t = t;
        facts->set = o->set;
        facts->total_seconds = now() - start;
        facts->collecting = h->collecting;
        facts->inexact_sizes = inexact;
        facts->opaque_objects = traversal ? opaque : UINT64_MAX;
        switch (o->format) {
        case FORMAT_TEXT:
            if (p.id_format)
                format_id_text(out.fp, &p, o->max_rows);
            else
                format_partition_text(out.fp, &p, o->max_rows);
            break;
        case FORMAT_PYMPLER:
            /* pympler prints 15 rows unless told otherwise */
            ok = format_pympler(out.fp, h, sel, n, o->max_rows == HEAPY_ROWS_PER_PAGE ? 15 : o->max_rows) ||
                 fail(err, EXIT_INTERNAL, "out of memory");
            break;
        case FORMAT_JSON:
            format_partition_json(out.fp, &p, facts, o->max_rows == HEAPY_ROWS_PER_PAGE ? 0 : o->max_rows);
            break;
        case FORMAT_HEAPY: {
            struct timespec wall;
            clock_gettime(CLOCK_REALTIME, &wall);
            format_partition_heapy(out.fp, &p, (double)wall.tv_sec + (double)wall.tv_nsec / 1e9);
            break;
        }
        case FORMAT_OBJECTS:
            format_objects(out.fp, h, sel, n, traversal);
            break;
        case FORMAT_REFERENTS:
            format_referents(out.fp, h, sel, n);
            break;
        case FORMAT_HTML:
        case FORMAT_DOT:
            break;  /* the command line gives them to suspects, paths and top only */
        }
        ok = ok ? output_commit(&out, err) : (output_abandon(&out), false);
    }
    progress_phase_done("output");
    partition_free(&p);
    referrers_free(&refs);
    free(sel);
    return ok;
}

/* ---- sources: each builds the object graph and the target's facts ------ */

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

/* Where a heap comes from: a live process, a core, a snapshot. */
struct source {
    enum { SOURCE_LIVE, SOURCE_CORE, SOURCE_SNAPSHOT } kind;
    pid_t pid;        /* SOURCE_LIVE */
    const char *path; /* the others */
};

static bool acquire(const struct options *o, const struct source *s, struct heap *h, struct target *t,
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

/* A source named on the command line of `diff`: "pid:N" or a number is a
 * live process; a file is a snapshot when it starts like one, else a core. */
static struct source named_source(const char *spec)
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

static bool acquire_named(const struct options *o, const char *spec, struct heap *h, struct target *t,
                          struct scan_facts *facts, struct error *err)
{
    struct source s = named_source(spec);
    return acquire(o, &s, h, t, facts, err);
}

static int scan_with(const struct source *source, const struct options *o, struct error *err)
{
    double start = now();
    struct heap h;
    heap_init(&h);
    struct target t;
    memset(&t, 0, sizeof t);
    struct thread_stacks stacks = {0};
    struct native_stacks native = {0};
    struct crash_facts crash;
    struct triage_facts triage = {""};
    struct scan_facts facts = {.stacks = &stacks, .native = &native, .crash_store = &crash,
                               .triage = &triage};
    progress_start(!o->quiet && !o->output && o->format != FORMAT_JSON);
    bool ok = acquire(o, source, &h, &t, &facts, err) && write_outputs(o, &t, &h, &facts, start, err);
    progress_clear(); /* before an error's line */
    thread_stacks_free(&stacks);
    native_stacks_free(&native);
    heap_free(&h);
    progress_phase_done("freed");
    progress_times_report();
    return ok ? EXIT_OK : err->code;
}

int scan_snapshot(const struct options *o, struct error *err)
{
    return scan_with(&(struct source){SOURCE_SNAPSHOT, 0, o->load}, o, err);
}

int scan_core(const struct options *o, struct error *err)
{
    return scan_with(&(struct source){SOURCE_CORE, 0, o->core}, o, err);
}

int scan_live(const struct options *o, struct error *err)
{
    return scan_with(&(struct source){SOURCE_LIVE, o->pid, NULL}, o, err);
}

int scan_diff(const struct options *o, struct error *err)
{
    struct heap before, after;
    heap_init(&before);
    heap_init(&after);
    struct target tb, ta;
    memset(&tb, 0, sizeof tb);
    memset(&ta, 0, sizeof ta);
    struct scan_facts fb = {0}, fa = {0};
    struct output_file out = {0};
    bool ok = acquire_named(o, o->diff_before, &before, &tb, &fb, err) &&
              acquire_named(o, o->diff_after, &after, &ta, &fa, err);
    if (ok && strcmp(o->set, "gc") == 0) {
        before.count = before.gc_count;
        after.count = after.gc_count;
    }
    ok = ok && output_open(&out, o->output, err);
    if (ok) {
        struct heap_diff d;
        ok = diff_compute(&before, &after, o->by, &d) || fail(err, EXIT_INTERNAL, "out of memory");
        if (ok)
            format_diff(out.fp, &d, o->format, o->max_rows);
        diff_free(&d);
        ok = ok ? output_commit(&out, err) : (output_abandon(&out), false);
    }
    heap_free(&before);
    heap_free(&after);
    return ok ? EXIT_OK : err->code;
}

/* `suspects` of a series: each heap is diffed with the one before, then
 * freed; the last one is kept for the growing kinds' paths and its
 * suspects. */
int scan_series(const struct options *o, struct error *err)
{
    struct heap heaps[2];
    heap_init(&heaps[0]);
    heap_init(&heaps[1]);
    struct growth g = {0};
    struct heap_diff d = {0};
    bool ok = true;
    for (size_t k = 0; ok && k < o->nseries; k++) {
        struct heap *cur = &heaps[k % 2], *prev = &heaps[(k + 1) % 2];
        struct target t;
        memset(&t, 0, sizeof t);
        struct scan_facts facts = {0};
        ok = acquire_named(o, o->series[k], cur, &t, &facts, err);
        if (ok && !cur->reach)
            ok = fail(err, EXIT_BAD_SNAPSHOT, "%s: this heap has no roots: suspects need the reachable graph",
                      o->series[k]);
        if (ok && k) {
            diff_free(&d);
            ok = (diff_compute(prev, cur, BY_CLODO, &d) && growth_add_step(&g, &d)) ||
                 fail(err, EXIT_INTERNAL, "out of memory");
            heap_free(prev);
            heap_init(prev);
        }
    }
    struct heap *last = &heaps[(o->nseries - 1) % 2];
    if (ok && !last->edge_label)
        ok = fail(err, EXIT_BAD_SNAPSHOT, "this heap has no relation names (its snapshot was saved without them): "
                                          "suspects need them");
    ok = ok && write_series(o, last, &d, &g, o->nseries, err);
    diff_free(&d);
    growth_free(&g);
    heap_free(&heaps[0]);
    heap_free(&heaps[1]);
    return ok ? EXIT_OK : err->code;
}
