#include "commands/why_alive.h"

#include <stdlib.h>

#include "analysis/dominators.h"
#include "output/format_dot.h"
#include "output/format_html.h"
#include "output/format_paths.h"
#include "output/format_suspects.h"
#include "base/output_file.h"
#include "analysis/partition_retained.h"
#include "analysis/paths.h"

/* Rows of the partition shown: heapy shows a lone last row rather than a
 * footer announcing it. */
static size_t rows_to_show(const struct partition *p, size_t max_rows)
{
    if (!max_rows || max_rows + 1 >= p->nrows)
        return p->nrows;
    return max_rows;
}

/* --retained and --sort retained: the rows' retained sizes (all rows when
 * they are ordered by them, else those shown). */
bool add_retained(const struct options *o, struct heap *h, const struct referrers *refs,
                  const uint32_t *sel, size_t n, struct partition *p, size_t max_rows, struct error *err)
{
    if (!h->reach)
        return fail(err, EXIT_BAD_SNAPSHOT, "this heap has no roots: --retained needs the reachable graph");
    if (!partition_add_retained(p, h, refs, sel, n, o->sort_retained ? 0 : rows_to_show(p, max_rows)))
        return fail(err, EXIT_INTERNAL, "out of memory");
    if (o->sort_retained)
        partition_sort_by_retained(p);
    return true;
}

/* `paths ADDR` and `paths --where KIND`. */
bool write_paths(const struct options *o, struct heap *h, const struct referrers *refs,
                 const uint32_t *sel, size_t n, struct error *err)
{
    uint32_t target = UINT32_MAX;
    if (!o->where) {
        if (!h->index_slots && !heap_index_all(h, h->count))
            return fail(err, EXIT_INTERNAL, "out of memory");
        target = heap_find(h, o->refs_addr);
        if (target == UINT32_MAX)
            return fail(err, EXIT_NO_OBJECT, "no object at %#llx in this heap", (unsigned long long)o->refs_addr);
    }
    uint32_t *dist = NULL;
    if (!paths_distances(h, &dist))
        return fail(err, EXIT_INTERNAL, "out of memory");
    struct why_alive w = {h, refs, dist, NULL, NULL, h->weakrefs_known, UINT32_MAX, NULL};
    for (size_t k = 0; target != UINT32_MAX && k < h->nweakrefs; k++)
        if (h->weakrefs[k].referent == h->addr[target]) {
            w.weak_holder = h->weakrefs[k].weakref;
            break;
        }
    struct output_file out = {0};
    struct json_writer json;
    bool ok = output_open(&out, o->output, err);
    if (ok && o->format == FORMAT_JSON) {
        json_begin(&json, out.fp);
        w.json = &json;
    }
    if (ok && o->where) {
        struct merged_paths m;
        ok = paths_merge(h, refs, dist, sel, n, &m) || fail(err, EXIT_INTERNAL, "out of memory");
        if (ok)
            ok = format_merged_paths(out.fp, &w, &m, o->where, o->limit) || fail(err, EXIT_INTERNAL, "out of memory");
        merged_paths_free(&m);
    } else if (ok) {
        ok = (o->format == FORMAT_DOT ? format_dot_paths(out.fp, &w, target, o->limit)
                                      : format_paths(out.fp, &w, target, o->limit)) ||
             fail(err, EXIT_INTERNAL, "out of memory");
    }
    if (out.fp)
        ok = ok ? output_commit(&out, err) : (output_abandon(&out), false);
    free(dist);
    return ok;
}

struct ranked {
    uint64_t retained;
    uint32_t object;
};

/* The n objects of the list retaining most, biggest first (ties: lower
 * index first), by insertion into a short sorted array. */
static size_t biggest_retainers(const struct dominators *d, const uint32_t *sel, size_t count, struct ranked *best,
                                size_t n)
{
    size_t have = 0;
    for (size_t k = 0; k < count; k++) {
        uint32_t i = sel ? sel[k] : (uint32_t)k;
        if (d->idom[i] == DOMINATOR_NONE || (have == n && d->retained[i] <= best[n - 1].retained))
            continue;
        size_t at = have < n ? have++ : n - 1;
        while (at > 0 && best[at - 1].retained < d->retained[i]) {
            best[at] = best[at - 1];
            at--;
        }
        best[at] = (struct ranked){d->retained[i], i};
    }
    return have;
}

/* `top`: the biggest retainers, or with --by the kinds by retained size. */
bool write_top(const struct options *o, struct scan_facts *facts, struct heap *h,
               const struct referrers *refs, const uint32_t *sel, size_t n, struct error *err)
{
    struct output_file out = {0};
    if (o->by_given) {
        struct partition p = {0};
        struct options sorted = *o;
        sorted.sort_retained = true;
        bool ok = partition_build_subset(h, o->by, refs, sel, n, &p) || fail(err, EXIT_INTERNAL, "out of memory");
        ok = ok && add_retained(&sorted, h, refs, sel, n, &p, o->limit, err) && output_open(&out, o->output, err);
        if (ok) {
            if (o->format == FORMAT_JSON)
                format_partition_json(out.fp, &p, facts, o->limit);
            else
                format_partition_text(out.fp, &p, o->limit);
            ok = output_commit(&out, err);
        }
        partition_free(&p);
        return ok;
    }
    struct dominators d;
    struct dominator_children c = {0};
    uint32_t *dist = NULL;
    size_t want = o->limit ? o->limit : h->count;
    struct ranked *best = malloc((want ? want : 1) * sizeof *best);
    uint32_t *objects = malloc((want ? want : 1) * sizeof *objects);
    if (!best || !objects || !dominators_compute(h, refs, &d)) {
        free(best);
        free(objects);
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    /* dot draws at least one level of the tree below each */
    unsigned depth = o->format == FORMAT_DOT && !o->depth ? 1 : o->depth;
    bool ok = paths_distances(h, &dist) && (!depth || dominator_children_build(h, &d, &c));
    if (!ok)
        fail(err, EXIT_INTERNAL, "out of memory");
    size_t shown = ok ? biggest_retainers(&d, sel, n, best, want) : 0;
    for (size_t k = 0; k < shown; k++)
        objects[k] = best[k].object;
    struct why_alive w = {h, refs, dist, &d, depth ? &c : NULL, h->weakrefs_known, UINT32_MAX, NULL};
    struct json_writer json;
    ok = ok && output_open(&out, o->output, err);
    if (ok && o->format == FORMAT_JSON) {
        json_begin(&json, out.fp);
        w.json = &json;
    }
    if (ok) {
        ok = (o->format == FORMAT_DOT ? format_dot_top(out.fp, &w, objects, shown, depth, o->limit)
                                      : format_top(out.fp, &w, objects, shown, o->depth, o->limit ? o->limit : SIZE_MAX)) ||
             fail(err, EXIT_INTERNAL, "out of memory");
        ok = ok ? output_commit(&out, err) : (output_abandon(&out), false);
    }
    dominator_children_free(&c);
    dominators_free(&d);
    free(dist);
    free(best);
    free(objects);
    return ok;
}

/* The page: the suspects' JSON (report), the reachable set by kind with
 * the retained sizes of the rows shown, the dominator tree. */
static bool write_html(const struct options *o, FILE *out, const struct why_alive *w, const char *report,
                       struct error *err)
{
    const struct heap *h = w->h;
    uint32_t *sel = malloc((w->d->nreachable ? w->d->nreachable : 1) * sizeof *sel);
    if (!sel)
        return fail(err, EXIT_INTERNAL, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < h->count; i++)
        if (w->d->idom[i] != DOMINATOR_NONE)
            sel[n++] = (uint32_t)i;
    /* the page shows 50 rows unless told otherwise */
    size_t rows = o->max_rows == HEAPY_ROWS_PER_PAGE ? 50 : o->max_rows;
    struct partition p = {0};
    bool ok = partition_build_subset(h, BY_CLODO, NULL, sel, n, &p) &&
              partition_add_retained(&p, h, w->r, sel, n, rows) &&
              format_html_report(out, w, o->nseries >= 2 ? "Leak suspects of a series of heaps" : "Leak suspects",
                                 report, &p, rows);
    partition_free(&p);
    free(sel);
    return ok || fail(err, EXIT_INTERNAL, "out of memory");
}

/* The suspects (with a series: g's growth, d its last step) as the format
 * asks: text, JSON, or the HTML page around the JSON. */
static bool write_report(const struct options *o, FILE *out, struct why_alive *w, const struct suspects *s,
                         const struct growth *g, const struct merged_paths *m, size_t nheaps, struct error *err)
{
    if (o->format == FORMAT_HTML) {
        char *json = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&json, &len);
        if (!mem)
            return fail(err, EXIT_INTERNAL, "out of memory");
        struct options as_json = *o;
        as_json.format = FORMAT_JSON;
        bool ok = write_report(&as_json, mem, w, s, g, m, nheaps, err);
        ok = (fclose(mem) == 0 || fail(err, EXIT_INTERNAL, "out of memory")) && ok;
        ok = ok && write_html(o, out, w, json, err);
        free(json);
        return ok;
    }
    if (o->format == FORMAT_DOT)
        return format_dot_suspects(out, w, s, o->limit) || fail(err, EXIT_INTERNAL, "out of memory");
    struct json_writer json;
    if (o->format == FORMAT_JSON) {
        json_begin(&json, out);
        w->json = &json;
    }
    bool ok = g ? format_growth(out, w, g, m, nheaps, s, o->threshold, o->limit)
                : format_suspects(out, w, s, o->threshold, o->limit);
    if (ok && !g && w->json)
        fputc('\n', out);
    w->json = NULL; /* the writer lives no longer than this call */
    return ok || fail(err, EXIT_INTERNAL, "out of memory");
}

/* The dominator tree and the suspects of h, written with the growth of a
 * series (g, d: the last step) or alone. */
static bool suspects_of(const struct options *o, struct heap *h, const struct referrers *refs, struct growth *g,
                        const struct heap_diff *last, size_t nheaps, struct error *err)
{
    struct dominators d = {0};
    struct dominator_children c = {0};
    struct suspects s = {0};
    uint32_t *dist = NULL;
    size_t shown = g ? (o->limit && o->limit < g->nkinds ? o->limit : g->nkinds) : 0;
    struct merged_paths *m = calloc(shown ? shown : 1, sizeof *m);
    bool ok = m && dominators_compute(h, refs, &d) && dominator_children_build(h, &d, &c) &&
              paths_distances(h, &dist) && suspects_find(h, &d, &c, o->threshold, &s);
    for (size_t k = 0; ok && k < shown; k++)
        ok = growth_locate(&g->kinds[k], last, refs, dist, &m[k]);
    if (!ok)
        fail(err, EXIT_INTERNAL, "out of memory");
    struct why_alive w = {h, refs, dist, &d, &c, h->weakrefs_known, UINT32_MAX, NULL};
    struct output_file out = {0};
    ok = ok && output_open(&out, o->output, err);
    if (ok) {
        ok = write_report(o, out.fp, &w, &s, g, m, nheaps, err);
        ok = ok ? output_commit(&out, err) : (output_abandon(&out), false);
    }
    for (size_t k = 0; m && k < shown; k++)
        merged_paths_free(&m[k]);
    free(m);
    suspects_free(&s);
    dominator_children_free(&c);
    dominators_free(&d);
    free(dist);
    return ok;
}

bool write_suspects(const struct options *o, struct heap *h, const struct referrers *refs, struct error *err)
{
    return suspects_of(o, h, refs, NULL, NULL, 1, err);
}

bool write_series(const struct options *o, struct heap *last_heap, const struct heap_diff *last,
                  struct growth *g, size_t nheaps, struct error *err)
{
    struct referrers refs = {0};
    if (!referrers_build(last_heap, &refs))
        return fail(err, EXIT_INTERNAL, "out of memory");
    growth_rank(g);
    bool ok = suspects_of(o, last_heap, &refs, g, last, nheaps, err);
    referrers_free(&refs);
    return ok;
}

/* refs: one object of the heap, its referents and its referrers. */
bool write_refs(const struct options *o, struct heap *h, struct referrers *refs, uint32_t *sel,
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
