#include "commands/heap_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/output_file.h"
#include "base/progress.h"
#include "commands/why_alive.h"
#include "model/damage.h"
#include "output/format.h"

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

bool write_heap_report(const struct options *o, struct target *t, struct heap *h, struct scan_facts *facts,
                       const struct referrers *refs, const uint32_t *sel, size_t n, double start,
                       struct error *err)
{
    struct partition p = {0};
    struct output_file out = {0};
    /* What could not be modelled, counted in the set shown; referents only
     * when the request is about them (a live --set gc never traverses). */
    bool traversal = strcmp(o->set, "gc") != 0 || o->format == FORMAT_REFERENTS;
    uint64_t inexact = heap_count_flag(h, OBJECT_INEXACT_SIZE, sel, n);
    uint64_t opaque = traversal ? heap_count_flag(h, OBJECT_OPAQUE, sel, n) : 0;
    bool ok = true;
    if (o->format != FORMAT_PYMPLER && !partition_build_subset(h, o->by, refs, sel, n, &p))
        ok = fail(err, EXIT_INTERNAL, "out of memory");
    progress_phase_done("partition");
    /* JSON shows every row unless --top is given */
    if (ok && o->retained)
        ok = add_retained(o, h, refs, sel, n, &p,
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
        facts->total_seconds = monotonic_seconds() - start;
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
        case FORMAT_TYPES:
            ok = format_types(out.fp, h, sel, n) || fail(err, EXIT_INTERNAL, "out of memory");
            break;
        case FORMAT_HTML:
        case FORMAT_DOT:
        case FORMAT_JUNIT:
            break;  /* the command line gives them to suspects, paths and top only */
        }
        ok = ok ? output_commit(&out, err) : (output_abandon(&out), false);
    }
    progress_phase_done("output");
    partition_free(&p);
    return ok;
}
