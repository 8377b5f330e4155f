#include "output/format_suspects.h"

#include <inttypes.h>
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
    if (w->json) {
        fprintf(out, ", \"accumulated\": {\"objects\": %" PRIu64 ", \"size\": %" PRIu64 ", \"kinds\": [", p.count,
                p.size);
        for (size_t k = 0; k < shown; k++) {
            fputs(k ? ", {\"kind\": " : "{\"kind\": ", out);
            json_string(out, p.rows[k].kind);
            fprintf(out, ", \"count\": %" PRIu64 ", \"size\": %" PRIu64 "}", p.rows[k].count, p.rows[k].size);
        }
        fprintf(out, "], \"kinds_not_shown\": %zu}", p.nrows - shown);
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
    if (w->json) {
        fputs(k ? ", {" : "{", out);
        why_describe(out, w, x->object, t);
        fprintf(out, ", \"percent\": %.2f, \"path\": ", share(retained, s->reachable_size));
        json_string(out, path->s ? path->s : "");
        fputs(", \"accumulation_point\": {", out);
        why_describe(out, w, x->accumulation, t);
        if (!why_first_path(w, x->accumulation, path))
            return false;
        fprintf(out, ", \"depth\": %u, \"path\": ", x->depth);
        json_string(out, path->s ? path->s : "");
        fputs("}", out);
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
    if (w->json)
        fputs("}", out);
    return ok;
}

bool format_suspects(FILE *out, const struct why_alive *w, const struct suspects *s, double percent, size_t limit)
{
    struct text t = {0}, path = {0};
    bool ok = true;
    if (w->json)
        fprintf(out, "{\"reachable\": %zu, \"reachable_size\": %" PRIu64 ", \"threshold_percent\": %g, "
                     "\"threshold_bytes\": %" PRIu64 ", \"follow_share\": %g, \"objects\": [",
                w->d->nreachable, s->reachable_size, percent, s->threshold, SUSPECT_FOLLOW_SHARE);
    else
        fprintf(out, "Leak suspects among %zu reachable objects (%" PRIu64 " bytes): what retains at least %g%% "
                     "(%" PRIu64 " bytes)\n",
                w->d->nreachable, s->reachable_size, percent, s->threshold);
    if (!w->json && !s->nobjects)
        fputs("  no single object retains that much\n", out);
    for (size_t k = 0; ok && k < s->nobjects; k++)
        ok = print_suspect(out, w, s, k, limit, &t, &path);
    if (w->json)
        fputs("], \"kinds\": [", out);
    else if (s->nkinds)
        fputs("Kinds whose members together retain that much:\n", out);
    for (size_t k = 0; ok && k < s->nkinds; k++) {
        const struct kind_suspect *x = &s->kinds[k];
        if (w->json) {
            fputs(k ? ", {\"kind\": " : "{\"kind\": ", out);
            json_string(out, x->kind);
            fprintf(out, ", \"members\": %" PRIu64 ", \"retained\": %" PRIu64 ", \"percent\": %.2f, \"biggest\": \"%#" PRIx64 "\"}",
                    x->members, x->retained, share(x->retained, s->reachable_size), w->h->addr[x->biggest]);
        } else {
            fprintf(out, "  %s: %" PRIu64 " objects retain %" PRIu64 " bytes (%.1f%%); the biggest %#" PRIx64 "\n",
                    x->kind, x->members, x->retained, share(x->retained, s->reachable_size), w->h->addr[x->biggest]);
        }
    }
    if (w->json)
        fputs("]}", out);
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
    if (w->json)
        fprintf(out, "{\"heaps\": %zu, \"growing\": [", nheaps);
    else
        fprintf(out, "Kinds that grow from each of %zu heaps to the next, most bytes gained first "
                     "(%zu kinds; weak references are not followed)\n",
                nheaps, g->nkinds);
    for (size_t k = 0; ok && k < shown; k++) {
        const struct growing_kind *x = &g->kinds[k];
        if (x->holder != UINT32_MAX)
            ok = node_path(w, &m[k], x->holder_node, &path);
        if (w->json) {
            fputs(k ? ", {\"kind\": " : "{\"kind\": ", out);
            json_string(out, x->kind);
            fputs(", \"count_growth\": [", out);
            for (size_t q = 0; q < g->steps; q++)
                fprintf(out, "%s%" PRId64, q ? ", " : "", x->count[q]);
            fputs("], \"size_growth\": [", out);
            for (size_t q = 0; q < g->steps; q++)
                fprintf(out, "%s%" PRId64, q ? ", " : "", x->size[q]);
            fprintf(out, "], \"bytes_gained\": %" PRId64 ", \"new_objects\": %" PRIu64 ", \"new_reachable\": %" PRIu64
                         ", \"holder\": ",
                    x->size_growth, x->fresh, x->fresh_reached);
            if (x->holder == UINT32_MAX) {
                fputs("null", out);
            } else {
                fputs("{", out);
                why_describe(out, w, x->holder, &t);
                fputs(", \"path\": ", out);
                json_string(out, path.s ? path.s : "");
                fputs("}", out);
            }
            fputs("}", out);
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
    if (w->json)
        fprintf(out, "], \"kinds_not_shown\": %zu, \"suspects\": ", g->nkinds - shown);
    else if (shown < g->nkinds)
        fprintf(out, "  <%zu more kinds>\n", g->nkinds - shown);
    ok = ok && format_suspects(out, w, s, percent, limit);
    if (w->json)
        fputs("}\n", out);
    text_free(&t);
    text_free(&path);
    return ok;
}
