#include "scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands/acquire.h"
#include "analysis/classify.h"
#include "analysis/referrers.h"
#include "analysis/select.h"
#include "base/clock.h"
#include "base/progress.h"
#include "commands/heap_report.h"
#include "commands/stacks_triage.h"
#include "commands/why_alive.h"
#include "stacks/crash_facts.h"
#include "stacks/native_stacks.h"
#include "stacks/thread_stacks.h"

static double now(void)
{
    return monotonic_seconds();
}

/* Everything after the graph is in hand: the set asked for, the partition,
 * the warnings, the output. */
static bool write_outputs(const struct options *o, struct target *t, struct heap *h,
                          struct scan_facts *facts, double start, struct error *err)
{
    uint32_t *sel = NULL;
    size_t n = 0;
    progress_clear();
    if (o->triage)
        return write_triage(o, t, h, facts, err);
    if (o->stacks)
        return write_stacks(o, t, facts, now() - start, err);
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
    bool ok = write_heap_report(o, t, h, facts, &refs, sel, n, start, err);
    referrers_free(&refs);
    free(sel);
    return ok;
}

static int scan_with(const struct source *source, const struct options *o, struct error *err)
{
    double start = now();
    struct acquired *a = malloc(sizeof *a);
    if (!a) {
        fail(err, EXIT_INTERNAL, "out of memory");
        return err->code;
    }
    acquired_init(a);
    progress_start(!o->quiet && !o->output && o->format != FORMAT_JSON);
    bool ok = acquire(o, source, &a->h, &a->t, &a->facts, err) &&
              write_outputs(o, &a->t, &a->h, &a->facts, start, err);
    progress_clear(); /* before an error's line */
    acquired_free(a);
    free(a);
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
