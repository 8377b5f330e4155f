#include "commands/diff_series.h"

#include <string.h>

#include "commands/acquire.h"
#include "analysis/diff.h"
#include "analysis/growth.h"
#include "base/output_file.h"
#include "commands/why_alive.h"
#include "model/heap.h"
#include "output/format_diff.h"

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
