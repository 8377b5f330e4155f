#include "analysis/select.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/classify.h"
#include "analysis/reach.h"

static bool is_frame(const struct heap *h, uint32_t i)
{
    return h->types.v[h->type[i]].size_kind == SIZE_FRAME;
}

static bool is_str(const struct heap *h, uint32_t i)
{
    return strcmp(h->types.v[h->type[i]].name, "str") == 0;
}

/* Whether gc.get_referents(dict) leaves its keys out before 3.11 (3.11+
 * traversal tells by the relation): dict_traverse skips them unless the
 * table's lookup is the generic one, which a table of str keys does not use
 * unless it once held another key (then the scanner errs, rarely). */
static bool keys_untraversed(const struct heap *h, int minor, uint32_t i)
{
    if (minor >= 11)
        return false; /* the keys' relation says it (REL_KEY_UNSEEN) */
    enum traverse_kind k = h->types.v[h->type[i]].traverse;
    if (k != TRAVERSE_DICT && k != TRAVERSE_DEFAULTDICT) /* OrderedDict visits its nodes' keys */
        return false;
    for (uint64_t e = h->edge_start[i]; e < h->edge_start[i + 1]; e++)
        if (REL_LABEL_KIND(heap_label(h, e)) == REL_KEY && !is_str(h, h->edge_to[e]))
            return false;
    return true;
}

/* pympler's muppy.get_objects(): the gc objects but frames (and but the
 * permanent generation, which gc.get_objects() leaves out), then every
 * object gc.get_referents gives of those that the gc does not track. */
static bool select_muppy(const struct heap *h, int minor, uint32_t **indices, size_t *n, struct error *err)
{
    if (!heap_has_labels(h) || h->traversed < h->gc_count)
        return fail(err, EXIT_BAD_SNAPSHOT, "this heap has no relations: scan again for --set muppy");
    uint8_t *in = calloc(h->count ? h->count : 1, 1);
    *indices = malloc((h->count ? h->count : 1) * sizeof **indices);
    if (!in || !*indices) {
        free(in);
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    for (uint32_t i = 0; i < h->gc_count; i++) {
        /* gc.get_objects() lists no frozen object (the permanent generation) */
        if (is_frame(h, i) || (h->origin[i] & ORIGIN_MASK) == ORIGIN_GC_PERMANENT)
            continue;
        in[i] = 1;
        bool skip_keys = keys_untraversed(h, minor, i);
        for (uint64_t e = h->edge_start[i]; e < h->edge_start[i + 1]; e++) {
            uint32_t j = h->edge_to[e];
            enum relation_kind kind = REL_LABEL_KIND(heap_label(h, e));
            if (j >= h->gc_count && kind != REL_KEY_UNSEEN && !(skip_keys && kind == REL_KEY))
                in[j] = 1;
        }
    }
    *n = 0;
    for (size_t i = 0; i < h->count; i++)
        if (in[i])
            (*indices)[(*n)++] = (uint32_t)i;
    free(in);
    return true;
}

bool select_set(const char *name, const struct heap *h, int minor, uint32_t **indices, size_t *n,
                struct error *err)
{
    *indices = NULL;
    if (strcmp(name, "muppy") == 0)
        return select_muppy(h, minor, indices, n, err);
    if (strcmp(name, "all") == 0) {
        *n = h->closure_count;
        return true;
    }
    if (strcmp(name, "gc") == 0) {
        *n = h->gc_count;
        return true;
    }
    uint8_t want = strcmp(name, "reachable") == 0   ? REACH_ROOTED
                   : strcmp(name, "unreachable") == 0 ? REACH_GARBAGE | REACH_HELD
                   : strcmp(name, "garbage") == 0     ? REACH_GARBAGE
                                                        : REACH_HELD;
    if (!h->reach)
        return fail(err, EXIT_BAD_SNAPSHOT, "this heap was saved without reachability: scan again "
                                            "to ask for --set %s", name);
    *indices = malloc((h->count ? h->count : 1) * sizeof **indices);
    if (!*indices)
        return fail(err, EXIT_INTERNAL, "out of memory");
    *n = 0;
    for (size_t i = 0; i < h->count; i++)
        if (h->reach[i] & want)
            (*indices)[(*n)++] = (uint32_t)i;
    return true;
}

/* Whether object i is of the kind named (its clodo kind or its type) or at
 * the address written. */
static bool of_kind(const struct heap *h, uint32_t i, const char *kind, struct text *t)
{
    if (strncmp(kind, "0x", 2) == 0)
        return h->addr[i] == strtoull(kind, NULL, 16);
    if (strcmp(h->types.v[h->type[i]].name, kind) == 0)
        return true;
    text_clear(t);
    classify_clodo(h, i, t);
    return t->s && strcmp(t->s, kind) == 0;
}

/* --where: kinds and addresses joined left to right by " | ", " & " and
 * " - ", applied to the set selected. */
bool select_where(const char *expr, const struct heap *h, uint32_t **indices, size_t *n,
                  struct error *err)
{
    uint32_t *sel = *indices;
    if (!sel) { /* a prefix: make it a list */
        sel = malloc((*n ? *n : 1) * sizeof *sel);
        if (!sel)
            return fail(err, EXIT_INTERNAL, "out of memory");
        for (size_t k = 0; k < *n; k++)
            sel[k] = (uint32_t)k;
        *indices = sel;
    }
    uint8_t *in = calloc(*n ? *n : 1, 1);
    char *copy = strdup(expr);
    struct text t = {0};
    if (!in || !copy) {
        free(in);
        free(copy);
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    char op = '|';
    char *term = copy;
    bool first = true;
    while (term) {
        char *next = NULL, next_op = 0;
        for (char *c = term; *c; c++)
            if (c[0] == ' ' && (c[1] == '|' || c[1] == '&' || c[1] == '-') && c[2] == ' ') {
                next_op = c[1];
                *c = '\0';
                next = c + 3;
                break;
            }
        while (*term == ' ')
            term++;
        for (size_t k = 0; k < *n; k++) {
            bool match = of_kind(h, sel[k], term, &t);
            if (first || op == '|')
                in[k] = in[k] || match;
            else if (op == '&')
                in[k] = in[k] && match;
            else
                in[k] = in[k] && !match;
        }
        first = false;
        op = next_op;
        term = next;
    }
    size_t kept = 0;
    for (size_t k = 0; k < *n; k++)
        if (in[k])
            sel[kept++] = sel[k];
    *n = kept;
    free(in);
    free(copy);
    text_free(&t);
    return true;
}

