#include "output/format_suspects.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "output/format.h"
#include "analysis/partition.h"

static double share(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* What the dominator tree holds below the accumulation point, by kind. */
static bool print_accumulated(FILE *out, const struct why_alive *w, uint32_t at, size_t limit)
{
    uint32_t *below = NULL;
    size_t n = 0;
    struct partition p = {0};
    if (!dominated_objects(w->h, w->c, at, &below, &n))
        return false;
    bool ok = partition_build_subset(w->h, BY_CLODO, NULL, below, n, &p);
    free(below);
    if (!ok)
        return false;
    size_t shown = limit && limit < p.nrows ? limit : p.nrows;
    struct json_writer *j = w->json;
    if (j) {
        json_key(j, "accumulated");
        json_object_open(j);
        json_kv_u64(j, "objects", p.count);
        json_kv_u64(j, "size", p.size);
        json_key(j, "kinds");
        json_array_open(j);
        for (size_t k = 0; k < shown; k++) {
            json_object_open(j);
            json_kv_str(j, "kind", p.rows[k].kind);
            json_kv_u64(j, "count", p.rows[k].count);
            json_kv_u64(j, "size", p.rows[k].size);
            json_object_close(j);
        }
        json_array_close(j);
        json_kv_u64(j, "kinds_not_shown", p.nrows - shown);
        json_object_close(j);
    } else {
        fprintf(out, "     accumulated below it: %" PRIu64 " objects, %" PRIu64 " bytes\n", p.count, p.size);
        for (size_t k = 0; k < shown; k++)
            fprintf(out, "       %9" PRIu64 " %12" PRIu64 " bytes  %s\n", p.rows[k].count, p.rows[k].size,
                    p.rows[k].kind);
        if (shown < p.nrows)
            fprintf(out, "       <%zu more kinds>\n", p.nrows - shown);
    }
    partition_free(&p);
    return true;
}

static bool print_suspect(FILE *out, const struct why_alive *w, const struct suspects *s, size_t k, size_t limit,
                          struct text *t, struct text *path)
{
    const struct suspect *x = &s->objects[k];
    uint64_t retained = w->d->retained[x->object];
    if (!why_first_path(w, x->object, path))
        return false;
    struct json_writer *j = w->json;
    if (j) {
        json_object_open(j);
        why_describe(out, w, x->object, t);
        json_key(j, "percent");
        json_fixed(j, share(retained, s->reachable_size), 2);
        json_kv_str(j, "path", path->s ? path->s : "");
        json_key(j, "accumulation_point");
        json_object_open(j);
        why_describe(out, w, x->accumulation, t);
        if (!why_first_path(w, x->accumulation, path))
            return false;
        json_kv_u64(j, "depth", x->depth);
        json_kv_str(j, "path", path->s ? path->s : "");
        json_object_close(j);
    } else {
        fprintf(out, "%3zu. ", k + 1);
        why_describe(out, w, x->object, t);
        fprintf(out, "\n     %.1f%% of the reachable heap, held by %s\n", share(retained, s->reachable_size),
                path->s ? path->s : "");
        if (x->depth == 0) {
            fputs("     accumulation point: the suspect itself\n", out);
        } else {
            if (!why_first_path(w, x->accumulation, path))
                return false;
            fprintf(out, "     accumulation point (%u down the dominator tree): ", x->depth);
            why_describe(out, w, x->accumulation, t);
            fprintf(out, "\n       %s\n", path->s ? path->s : "");
        }
    }
    bool ok = print_accumulated(out, w, x->accumulation, limit);
    if (j)
        json_object_close(j);
    return ok;
}

bool format_suspects(FILE *out, const struct why_alive *w, const struct suspects *s, double percent, size_t limit)
{
    struct text t = {0}, path = {0};
    bool ok = true;
    struct json_writer *j = w->json;
    if (j) {
        char number[32];
        json_object_open(j);
        json_kv_u64(j, "reachable", w->d->nreachable);
        json_kv_u64(j, "reachable_size", s->reachable_size);
        json_key(j, "threshold_percent");
        snprintf(number, sizeof number, "%g", percent);
        json_raw(j, number);
        json_kv_u64(j, "threshold_bytes", s->threshold);
        json_key(j, "follow_share");
        snprintf(number, sizeof number, "%g", SUSPECT_FOLLOW_SHARE);
        json_raw(j, number);
        json_key(j, "objects");
        json_array_open(j);
    } else
        fprintf(out, "Leak suspects among %zu reachable objects (%" PRIu64 " bytes): what retains at least %g%% "
                     "(%" PRIu64 " bytes)\n",
                w->d->nreachable, s->reachable_size, percent, s->threshold);
    if (!j && !s->nobjects)
        fputs("  no single object retains that much\n", out);
    for (size_t k = 0; ok && k < s->nobjects; k++)
        ok = print_suspect(out, w, s, k, limit, &t, &path);
    if (j) {
        json_array_close(j);
        json_key(j, "kinds");
        json_array_open(j);
    } else if (s->nkinds)
        fputs("Kinds whose members together retain that much:\n", out);
    for (size_t k = 0; ok && k < s->nkinds; k++) {
        const struct kind_suspect *x = &s->kinds[k];
        if (j) {
            json_object_open(j);
            json_kv_str(j, "kind", x->kind);
            json_kv_u64(j, "members", x->members);
            json_kv_u64(j, "retained", x->retained);
            json_key(j, "percent");
            json_fixed(j, share(x->retained, s->reachable_size), 2);
            json_kv_hex(j, "biggest", w->h->addr[x->biggest]);
            json_object_close(j);
        } else {
            fprintf(out, "  %s: %" PRIu64 " objects retain %" PRIu64 " bytes (%.1f%%); the biggest %#" PRIx64 "\n",
                    x->kind, x->members, x->retained, share(x->retained, s->reachable_size), w->h->addr[x->biggest]);
        }
    }
    if (j) {
        json_array_close(j);
        json_object_close(j);
    }
    text_free(&t);
    text_free(&path);
    return ok && !t.oom && !path.oom;
}

/* The merged paths' chain from the roots to node k, as heapy writes it. */
static bool node_path(const struct why_alive *w, const struct merged_paths *m, uint64_t k, struct text *out)
{
    size_t len = 0;
    for (uint64_t at = k; at; at = m->node[at].parent)
        len++;
    uint64_t *step = malloc((len ? len : 1) * sizeof *step);
    uint32_t *obj = malloc((len ? len : 1) * sizeof *obj);
    if (!step || !obj) {
        free(step);
        free(obj);
        return false;
    }
    size_t i = len;
    for (uint64_t at = k; at; at = m->node[at].parent) {
        step[--i] = m->node[at].step;
        obj[i] = m->node[at].object;
    }
    path_render(w->h, w->r, step, obj, len, out);
    free(step);
    free(obj);
    return !out->oom;
}

bool format_growth(FILE *out, const struct why_alive *w, const struct growth *g, const struct merged_paths *m,
                   size_t nheaps, const struct suspects *s, double percent, size_t limit)
{
    struct text t = {0}, path = {0};
    size_t shown = limit && limit < g->nkinds ? limit : g->nkinds;
    bool ok = true;
    struct json_writer *j = w->json;
    if (j) {
        json_object_open(j);
        json_kv_u64(j, "heaps", nheaps);
        json_key(j, "growing");
        json_array_open(j);
    } else
        fprintf(out, "Kinds that grow from each of %zu heaps to the next, most bytes gained first "
                     "(%zu kinds; weak references are not followed)\n",
                nheaps, g->nkinds);
    for (size_t k = 0; ok && k < shown; k++) {
        const struct growing_kind *x = &g->kinds[k];
        if (x->holder != UINT32_MAX)
            ok = node_path(w, &m[k], x->holder_node, &path);
        if (j) {
            json_object_open(j);
            json_kv_str(j, "kind", x->kind);
            json_key(j, "count_growth");
            json_array_open(j);
            for (size_t q = 0; q < g->steps; q++)
                json_i64(j, x->count[q]);
            json_array_close(j);
            json_key(j, "size_growth");
            json_array_open(j);
            for (size_t q = 0; q < g->steps; q++)
                json_i64(j, x->size[q]);
            json_array_close(j);
            json_kv_i64(j, "bytes_gained", x->size_growth);
            json_kv_u64(j, "new_objects", x->fresh);
            json_kv_u64(j, "new_reachable", x->fresh_reached);
            json_key(j, "holder");
            if (x->holder == UINT32_MAX) {
                json_null(j);
            } else {
                json_object_open(j);
                why_describe(out, w, x->holder, &t);
                json_kv_str(j, "path", path.s ? path.s : "");
                json_object_close(j);
            }
            json_object_close(j);
        } else {
            fprintf(out, "%3zu. %s: +%" PRId64 " bytes; objects gained at each step:", k + 1, x->kind,
                    x->size_growth);
            for (size_t q = 0; q < g->steps; q++)
                fprintf(out, "%s +%" PRId64, q ? "," : "", x->count[q]);
            fprintf(out, "\n     %" PRIu64 " new in the last heap, %" PRIu64 " of them reachable\n", x->fresh,
                    x->fresh_reached);
            if (x->holder != UINT32_MAX) {
                fputs("     all of them held through ", out);
                why_describe(out, w, x->holder, &t);
                fprintf(out, "\n       %s\n", path.s ? path.s : "");
            } else if (x->fresh_reached) {
                fputs("     held from several places (paths --where KIND shows them)\n", out);
            }
        }
    }
    if (j) {
        json_array_close(j);
        json_kv_u64(j, "kinds_not_shown", g->nkinds - shown);
        json_key(j, "suspects");
    } else if (shown < g->nkinds)
        fprintf(out, "  <%zu more kinds>\n", g->nkinds - shown);
    ok = ok && format_suspects(out, w, s, percent, limit);
    if (j) {
        json_object_close(j);
        fputc('\n', out);
    }
    text_free(&t);
    text_free(&path);
    return ok;
}
