#include "output/format_dot.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/classify.h"
#include "analysis/referrers.h"

struct dot {
    FILE *out;
    const struct why_alive *w;
    uint8_t *drawn;      /* per object: its node is written */
    bool root_drawn;
    struct text t;
    char **paths_edges;  /* the path edges written: paths that read alike share them */
    size_t npaths_edges;
    bool oom;
};

/* A string as a DOT quoted string's content. */
static void dot_escape(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if ((unsigned char)*s < 0x20)
            fputc(' ', out);
        else
            fputc(*s, out);
    }
}

static bool dot_open(struct dot *g, FILE *out, const struct why_alive *w)
{
    *g = (struct dot){out, w, calloc(w->h->count ? w->h->count : 1, 1), false, {0}, NULL, 0, false};
    if (!g->drawn)
        return false;
    fputs("digraph pyheapscan {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n"
          "  edge [fontname=\"monospace\", fontsize=9];\n",
          out);
    return true;
}

static bool dot_close(struct dot *g)
{
    fputs("}\n", g->out);
    free(g->drawn);
    for (size_t k = 0; k < g->npaths_edges; k++)
        free(g->paths_edges[k]);
    free(g->paths_edges);
    bool ok = !g->t.oom && !g->oom;
    text_free(&g->t);
    return ok;
}

/* The node of object i (or of the roots, UINT32_MAX), written once. */
static void node(struct dot *g, uint32_t i, const char *extra)
{
    const struct heap *h = g->w->h;
    if (i == UINT32_MAX) {
        if (!g->root_drawn)
            fputs("  root [label=\"hp.Root\", shape=ellipse];\n", g->out);
        g->root_drawn = true;
        return;
    }
    if (g->drawn[i])
        return;
    g->drawn[i] = 1;
    text_clear(&g->t);
    classify_clodo(h, i, &g->t);
    fprintf(g->out, "  o%" PRIx64 " [label=\"", h->addr[i]);
    dot_escape(g->out, g->t.s ? g->t.s : "?");
    fprintf(g->out, "\\n%#" PRIx64 "\\n%" PRIu64 " bytes", h->addr[i], h->size[i]);
    if (g->w->d)
        fprintf(g->out, ", retains %" PRIu64, g->w->d->retained[i]);
    fprintf(g->out, "\"%s];\n", extra ? extra : "");
}

static void node_id(struct dot *g, uint32_t i)
{
    if (i == UINT32_MAX)
        fputs("root", g->out);
    else
        fprintf(g->out, "o%" PRIx64, g->w->h->addr[i]);
}

static void edge(struct dot *g, uint32_t from, uint32_t to, const char *label, const char *style)
{
    fputs("  ", g->out);
    node_id(g, from);
    fputs(" -> ", g->out);
    node_id(g, to);
    fputs(" [label=\"", g->out);
    dot_escape(g->out, label);
    fprintf(g->out, "\"%s];\n", style ? style : "");
}

/* Whether this path edge was written already (else it is remembered). */
static bool path_edge_seen(struct dot *g, uint32_t from, uint32_t to, const char *label)
{
    char key[1200];
    snprintf(key, sizeof key, "%" PRIu32 " %" PRIu32 " %s", from, to, label);
    for (size_t k = 0; k < g->npaths_edges; k++)
        if (strcmp(g->paths_edges[k], key) == 0)
            return true;
    char **grown = realloc(g->paths_edges, (g->npaths_edges + 1) * sizeof *grown);
    char *copy = strdup(key);
    if (!grown || !copy) {
        free(copy);
        g->paths_edges = grown ? grown : g->paths_edges;
        g->oom = true;
        return true;
    }
    g->paths_edges = grown;
    g->paths_edges[g->npaths_edges++] = copy;
    return false;
}

/* One shortest path as edges labelled with heapy's relations. */
static bool draw_path(void *ctx, const uint64_t *step, const uint32_t *obj, size_t len)
{
    struct dot *g = ctx;
    const struct why_alive *w = g->w;
    char rel[1100];
    uint32_t from = UINT32_MAX;
    node(g, UINT32_MAX, NULL);
    for (size_t k = 0; k < len; k++) {
        node(g, obj[k], NULL);
        uint32_t by = w->r->from[step[k]];
        uint32_t label = w->r->label ? w->r->label[step[k]] : 0;
        const char *frame = "";
        if (by == REFERRER_FRAME)
            for (size_t q = 0; q < w->h->nroots; q++)
                if (w->h->roots[q].object == obj[k] && w->h->roots[q].frame_label == label)
                    frame = w->h->roots[q].name;
        size_t at = 0;
        if (*frame)
            at = (size_t)snprintf(rel, sizeof rel, ".%s", frame);
        relation_render(&w->h->names, label, false, rel + at, sizeof rel - at);
        if (!path_edge_seen(g, from, obj[k], rel))
            edge(g, from, obj[k], rel, NULL);
        from = obj[k];
    }
    return true;
}

bool format_dot_paths(FILE *out, const struct why_alive *w, uint32_t target, size_t max)
{
    struct dot g;
    if (!dot_open(&g, out, w))
        return false;
    node(&g, target, ", style=filled, fillcolor=\"#ffd0d0\"");
    size_t found = w->dist[target] == PATH_UNREACHED ? 0 : paths_shortest(w->h, w->r, w->dist, target, max, draw_path, &g);
    return dot_close(&g) && found != SIZE_MAX;
}

/* The dominator tree below i, depth levels (bounded by the command line),
 * at most rows children each, biggest first; the rest said on one node. */
static bool draw_dominated(struct dot *g, uint32_t i, unsigned depth, size_t rows)
{
    const struct why_alive *w = g->w;
    if (!depth)
        return true;
    size_t nkids;
    uint32_t *kids = dominator_children_sorted(w->d, w->c, i, &nkids);
    if (!kids)
        return false;
    size_t shown = rows && rows < nkids ? rows : nkids;
    bool ok = true;
    for (size_t k = 0; ok && k < shown; k++) {
        node(g, kids[k], NULL);
        edge(g, i, kids[k], "", ", style=dashed");
        ok = draw_dominated(g, kids[k], depth - 1, rows);
    }
    if (shown < nkids) {
        fprintf(g->out, "  more%" PRIx64 " [label=\"%zu more dominated\", shape=plaintext];\n  ",
                w->h->addr[i], nkids - shown);
        node_id(g, i);
        fprintf(g->out, " -> more%" PRIx64 " [style=dashed];\n", w->h->addr[i]);
    }
    free(kids);
    return ok;
}

bool format_dot_top(FILE *out, const struct why_alive *w, const uint32_t *objects, size_t n, unsigned depth,
                    size_t rows)
{
    struct dot g;
    if (!dot_open(&g, out, w))
        return false;
    bool ok = true;
    for (size_t k = 0; ok && k < n; k++) {
        node(&g, objects[k], ", style=filled, fillcolor=\"#ffe8c0\"");
        ok = draw_dominated(&g, objects[k], depth, rows);
    }
    return dot_close(&g) && ok;
}

static bool first_only(void *ctx, const uint64_t *step, const uint32_t *obj, size_t len)
{
    draw_path(ctx, step, obj, len);
    return false;
}

bool format_dot_suspects(FILE *out, const struct why_alive *w, const struct suspects *s, size_t rows)
{
    struct dot g;
    if (!dot_open(&g, out, w))
        return false;
    bool ok = true;
    for (size_t k = 0; ok && k < s->nobjects; k++) {
        const struct suspect *x = &s->objects[k];
        node(&g, x->object, ", style=filled, fillcolor=\"#ffd0d0\"");
        node(&g, x->accumulation, ", style=filled, fillcolor=\"#ffe8c0\", penwidth=2");
        ok = paths_shortest(w->h, w->r, w->dist, x->object, 1, first_only, &g) != SIZE_MAX;
        /* the dominator chain from the suspect down to its accumulation point */
        uint32_t at = x->accumulation;
        while (ok && at != x->object) {
            uint32_t up = w->d->idom[at];
            node(&g, up, NULL);
            edge(&g, up, at, "dominates", ", style=dashed");
            at = up;
        }
        ok = ok && draw_dominated(&g, x->accumulation, 1, rows);
    }
    return dot_close(&g) && ok;
}
