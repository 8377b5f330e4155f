#include "output/format_paths.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output/format.h"
#include "analysis/reach.h"

void path_render(const struct heap *h, const struct referrers *r, const uint64_t *step, const uint32_t *obj,
                 size_t len, struct text *out)
{
    char rel[1100];
    text_clear(out);
    text_adds(out, "hp.Root");
    for (size_t k = 0; k < len; k++) {
        uint32_t label = r->label ? r->label[step[k]] : 0;
        if (r->from[step[k]] == REFERRER_FRAME) {
            /* a 3.11+ frame's content: the frame's root name, then the
             * relation the frame holds it by */
            const char *frame = "?";
            for (size_t q = 0; q < h->nroots; q++)
                if (h->roots[q].object == obj[k] && h->roots[q].frame_label == label)
                    frame = h->roots[q].name;
            text_adds(out, ".");
            text_adds(out, frame);
        }
        relation_render(&h->names, label, false, rel, sizeof rel);
        text_adds(out, rel);
    }
}

void why_describe(FILE *out, const struct why_alive *w, uint32_t i, struct text *t)
{
    const struct heap *h = w->h;
    text_clear(t);
    classify_clodo(h, i, t);
    struct json_writer *j = w->json;
    if (j) {
        json_kv_hex(j, "address", h->addr[i]);
        json_kv_str(j, "kind", t->s ? t->s : "?");
        json_kv_u64(j, "size", h->size[i]);
        if (w->d)
            json_kv_u64(j, "retained", w->d->retained[i]);
        text_clear(t);
        classify_render(h, i, false, t);
        json_kv_str(j, "render", t->s ? t->s : "");
        return;
    }
    fprintf(out, "%#" PRIx64 " %s, %" PRIu64 " bytes", h->addr[i], t->s ? t->s : "?", h->size[i]);
    if (w->d)
        fprintf(out, ", retains %" PRIu64, w->d->retained[i]);
    char addr[32];
    snprintf(addr, sizeof addr, "%#" PRIx64, h->addr[i]);
    text_clear(t);
    classify_render(h, i, false, t);
    if (t->s && *t->s && strcmp(t->s, addr) != 0)
        fprintf(out, ", %s", t->s);
}

struct print_ctx {
    FILE *out;
    const struct why_alive *w;
    struct text path;
    size_t shown, max;   /* paths printed; at most max (0: all) */
    char **seen;         /* the paths printed: an object can hold another twice by one
                            relation (a type's __dict__ is tp_traverse's edge and heapy's
                            extra one), heapy's graph once */
    bool oom;
};

static bool print_path(void *vctx, const uint64_t *step, const uint32_t *obj, size_t len)
{
    struct print_ctx *c = vctx;
    path_render(c->w->h, c->w->r, step, obj, len, &c->path);
    if (!c->path.s || c->path.oom) {
        c->oom = true;
        return false;
    }
    for (size_t k = 0; k < c->shown; k++)
        if (strcmp(c->seen[k], c->path.s) == 0)
            return true;
    char **grown = realloc(c->seen, (c->shown + 1) * sizeof *grown);
    char *copy = strdup(c->path.s);
    if (!grown || !copy) {
        free(copy);
        c->seen = grown ? grown : c->seen;
        c->oom = true;
        return false;
    }
    c->seen = grown;
    c->seen[c->shown] = copy;
    if (c->w->json) {
        json_str(c->w->json, c->path.s);
    } else {
        fprintf(c->out, "  %s\n", c->path.s);
    }
    c->shown++;
    return !c->max || c->shown < c->max;
}

/* Why an object no root reaches is there: what reach.c found, and a weak
 * reference to it when one is known. */
static const char *unreached_why(const struct heap *h, uint32_t i)
{
    if (!h->reach)
        return "unreachable";
    if (h->reach[i] & REACH_HELD)
        return "unreachable, held by references no root explains";
    return "unreachable, garbage (gc.collect() would free it)";
}

bool format_paths(FILE *out, const struct why_alive *w, uint32_t target, size_t max)
{
    const struct heap *h = w->h;
    struct text t = {0};
    struct print_ctx c = {out, w, {0}, 0, max, NULL, false};
    uint32_t dist = w->dist[target];
    uint32_t weak = w->weak_known ? w->weak_holder : UINT32_MAX;
    size_t found = 0;
    struct json_writer *j = w->json;
    if (j) {
        json_object_open(j);
        why_describe(out, w, target, &t);
        json_kv_bool(j, "reachable", dist != PATH_UNREACHED);
        json_kv_bool(j, "weak_references_followed", false);
        if (dist != PATH_UNREACHED)
            json_kv_u64(j, "length", dist);
        if (weak != UINT32_MAX)
            json_kv_hex(j, "weakly_referenced_by", h->addr[weak]);
        else if (w->weak_known)
            json_kv_null(j, "weakly_referenced_by");
        else
            json_kv_str(j, "weakly_referenced_by", "unknown");
        json_key(j, "paths");
        json_array_open(j);
        found = paths_shortest(h, w->r, w->dist, target, 0, print_path, &c);
        json_array_close(j);
        json_object_close(j);
        fputc('\n', out);
    } else {
        fputs("Object ", out);
        why_describe(out, w, target, &t);
        fputc('\n', out);
        if (dist == PATH_UNREACHED) {
            fprintf(out, "No path from the roots: %s", unreached_why(h, target));
            if (weak != UINT32_MAX)
                fprintf(out, "; reachable only through a weak reference (weakref %#" PRIx64 ")", h->addr[weak]);
            else if (!w->weak_known)
                fputs("; this snapshot does not list weak references", out);
            fputs(" (weak references are not followed)\n", out);
        } else {
            fprintf(out, "Shortest paths from the roots (%" PRIu32 " %s; weak references are not followed):\n",
                    dist, dist == 1 ? "edge" : "edges");
            found = paths_shortest(h, w->r, w->dist, target, 0, print_path, &c);
            if (max && c.shown == max)
                fprintf(out, "  (at most %zu shown: -n N for more)\n", max);
        }
    }
    text_free(&t);
    text_free(&c.path);
    for (size_t k = 0; k < c.shown; k++)
        free(c.seen[k]);
    free(c.seen);
    return found != SIZE_MAX && !c.oom;
}

/* Children by how many members' paths go through them, then as found. */
static int more_members_first(const void *a, const void *b, void *ctx)
{
    const struct merged_paths *m = ctx;
    uint64_t x = m->node[*(const uint32_t *)a].count, y = m->node[*(const uint32_t *)b].count;
    if (x != y)
        return x > y ? -1 : 1;
    return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

/* The at most `limit` (0: all) children of node k with the most members
 * below them, pushed so that the first pops first; how many are left out. */
static uint64_t push_children(uint32_t *stack, size_t *sp, const uint32_t *order, const uint64_t *start, uint32_t k,
                              size_t limit)
{
    uint64_t n = start[k + 1] - start[k], shown = limit && limit < n ? limit : n;
    for (uint64_t c = start[k] + shown; c > start[k]; c--)
        stack[(*sp)++] = order[c - 1];
    return n - shown;
}

bool format_merged_paths(FILE *out, const struct why_alive *w, const struct merged_paths *m, const char *where,
                         size_t limit)
{
    const struct heap *h = w->h;
    char rel[1100];
    struct text t = {0};
    /* depth of each node: a parent precedes its children */
    uint32_t *depth = calloc(m->n ? m->n : 1, sizeof *depth);
    uint32_t *order = malloc((m->n ? m->n : 1) * sizeof *order);
    uint64_t *start = calloc(m->n + 1, sizeof *start);
    uint32_t *stack = malloc((m->n ? m->n : 1) * sizeof *stack);
    if (!depth || !order || !start || !stack) {
        free(depth);
        free(order);
        free(start);
        free(stack);
        return false;
    }
    /* children by parent, each list by count descending, printed depth first */
    for (size_t k = 1; k < m->n; k++)
        start[m->node[k].parent + 1]++;
    for (size_t k = 0; k < m->n; k++)
        start[k + 1] += start[k];
    uint64_t *fill = malloc((m->n + 1) * sizeof *fill);
    if (!fill) {
        free(depth);
        free(order);
        free(start);
        free(stack);
        return false;
    }
    memcpy(fill, start, (m->n + 1) * sizeof *fill);
    for (size_t k = 1; k < m->n; k++)
        order[fill[m->node[k].parent]++] = (uint32_t)k;
    free(fill);
    for (size_t p = 0; p < m->n; p++)
        qsort_r(order + start[p], start[p + 1] - start[p], sizeof *order, more_members_first, (void *)m);
    struct json_writer *j = w->json;
    if (j) {
        json_object_open(j);
        json_kv_str(j, "where", where);
        json_kv_u64(j, "members", m->members);
        json_kv_u64(j, "unreachable", m->unreached);
        json_kv_bool(j, "weak_references_followed", false);
        json_key(j, "tree");
        json_array_open(j);
    } else {
        fprintf(out, "Merged shortest paths from the roots to %" PRIu64 " objects of %s", m->members, where);
        if (m->unreached)
            fprintf(out, " (%" PRIu64 " not reachable from the roots)", m->unreached);
        fputs("; weak references are not followed\n  Count  Held by\n", out);
    }
    size_t sp = 0, printed = 0;
    uint64_t roots_left = push_children(stack, &sp, order, start, 0, limit);
    while (sp) {
        uint32_t k = stack[--sp];
        uint64_t left = push_children(stack, &sp, order, start, k, limit);
        const struct merged_node *nd = &m->node[k];
        depth[k] = nd->parent == 0 ? 0 : depth[nd->parent] + 1;
        uint32_t label = w->r->label ? w->r->label[nd->step] : 0;
        text_clear(&t);
        if (w->r->from[nd->step] == REFERRER_ROOT || w->r->from[nd->step] == REFERRER_FRAME) {
            text_adds(&t, "hp.Root");
            if (w->r->from[nd->step] == REFERRER_FRAME)
                for (size_t q = 0; q < h->nroots; q++)
                    if (h->roots[q].object == nd->object && h->roots[q].frame_label == label) {
                        text_adds(&t, ".");
                        text_adds(&t, h->roots[q].name);
                        break;
                    }
        }
        relation_render(&h->names, label, false, rel, sizeof rel);
        text_adds(&t, rel);
        struct text kind = {0};
        classify_clodo(h, nd->object, &kind);
        if (j) {
            json_object_open(j);
            json_kv_u64(j, "node", k);
            json_kv_u64(j, "parent", nd->parent);
            json_kv_str(j, "relation", t.s);
            json_kv_hex(j, "address", h->addr[nd->object]);
            json_kv_str(j, "kind", kind.s ? kind.s : "?");
            json_kv_u64(j, "count", nd->count);
            json_kv_bool(j, "member", nd->member);
            json_kv_u64(j, "children_not_shown", left);
            json_object_close(j);
        } else {
            fprintf(out, "%7" PRIu64 "  %*s%s  %#" PRIx64 " %s%s", nd->count, (int)(2 * depth[k]), "", t.s,
                    h->addr[nd->object], kind.s ? kind.s : "?", nd->member ? " *" : "");
            if (left)
                fprintf(out, "  (and %" PRIu64 " more below, not shown)", left);
            fputc('\n', out);
        }
        text_free(&kind);
        printed++;
    }
    if (j) {
        json_array_close(j);
        json_kv_u64(j, "roots_not_shown", roots_left);
        json_object_close(j);
        fputc('\n', out);
    } else {
        if (roots_left)
            fprintf(out, "  (and %" PRIu64 " more roots' paths, not shown)\n", roots_left);
        fputs("  (* one of the objects asked about)\n", out);
        if (limit)
            fprintf(out, "  (at most %zu shown below each: -n N for more, -n 0 for all)\n", limit);
    }
    text_free(&t);
    free(depth);
    free(order);
    free(start);
    free(stack);
    return true;
}

/* The dominator tree below i, depth levels, rows children a level.  The
 * recursion is bounded by depth (the command line caps it), not by the heap. */
static bool print_dominated(FILE *out, const struct why_alive *w, uint32_t i, unsigned level, unsigned depth,
                            size_t rows, struct text *t)
{
    if (level > depth)
        return true;
    size_t nkids;
    uint32_t *kids = dominator_children_sorted(w->d, w->c, i, &nkids);
    if (!kids)
        return false;
    size_t shown = nkids < rows ? nkids : rows;
    bool ok = true;
    struct json_writer *j = w->json;
    if (j) {
        json_key(j, "dominated");
        json_array_open(j);
    }
    for (size_t k = 0; ok && k < shown; k++) {
        if (j) {
            json_object_open(j);
            why_describe(out, w, kids[k], t);
        } else {
            fprintf(out, "  %*s", (int)(2 * level + 2), "");
            why_describe(out, w, kids[k], t);
            fputc('\n', out);
        }
        ok = print_dominated(out, w, kids[k], level + 1, depth, rows, t);
        if (j)
            json_object_close(j);
    }
    if (j) {
        json_array_close(j);
        json_kv_u64(j, "dominated_count", nkids);
    } else if (shown < nkids)
        fprintf(out, "  %*s<%zu more dominated>\n", (int)(2 * level + 2), "", nkids - shown);
    free(kids);
    return ok;
}

static bool first_path(void *vctx, const uint64_t *step, const uint32_t *obj, size_t len)
{
    struct print_ctx *c = vctx;
    path_render(c->w->h, c->w->r, step, obj, len, &c->path);
    return false;
}

bool why_first_path(const struct why_alive *w, uint32_t i, struct text *out)
{
    struct print_ctx c = {NULL, w, {0}, 0, 1, NULL, false};
    text_clear(out);
    bool ok = paths_shortest(w->h, w->r, w->dist, i, 1, first_path, &c) != SIZE_MAX && !c.path.oom;
    text_adds(out, c.path.s ? c.path.s : "");
    text_free(&c.path);
    return ok && !out->oom;
}

bool format_top(FILE *out, const struct why_alive *w, const uint32_t *objects, size_t n, unsigned depth, size_t rows)
{
    struct text t = {0};
    struct print_ctx c = {out, w, {0}, 0, 1, NULL, false};
    bool ok = true;
    uint64_t total = 0;
    for (size_t i = 0; i < w->h->count; i++)
        if (w->d->idom[i] == DOMINATOR_ROOT)
            total += w->d->retained[i];
    struct json_writer *j = w->json;
    if (j) {
        json_object_open(j);
        json_kv_u64(j, "reachable", w->d->nreachable);
        json_kv_u64(j, "reachable_size", total);
        json_key(j, "objects");
        json_array_open(j);
    } else
        fprintf(out, "Biggest retainers among %zu reachable objects (%" PRIu64 " bytes); retained: the bytes "
                     "freeing the object would give back\n",
                w->d->nreachable, total);
    for (size_t k = 0; ok && k < n; k++) {
        uint32_t i = objects[k];
        text_clear(&c.path);
        ok = paths_shortest(w->h, w->r, w->dist, i, 1, first_path, &c) != SIZE_MAX;
        if (j) {
            json_object_open(j);
            why_describe(out, w, i, &t);
            json_kv_str(j, "path", c.path.s ? c.path.s : "");
        } else {
            fprintf(out, "%3zu. ", k + 1);
            why_describe(out, w, i, &t);
            fprintf(out, "\n       %s\n", c.path.s ? c.path.s : "");
        }
        if (ok && depth)
            ok = print_dominated(out, w, i, 1, depth, rows, &t);
        if (j)
            json_object_close(j);
    }
    if (j) {
        json_array_close(j);
        json_object_close(j);
        fputc('\n', out);
    }
    text_free(&t);
    text_free(&c.path);
    return ok;
}
