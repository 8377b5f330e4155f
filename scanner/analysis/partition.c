#include "analysis/partition.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/classify.h"
#include "analysis/rcs_kinds.h"
#include "base/grow.h"
#include "model/object_text.h"

static const struct {
    enum classifier by;
    const char *name, *header;
} classifiers[] = {
    {BY_CLODO, "clodo", "Kind (class / dict of class)"},
    {BY_TYPE, "type", "Type"},
    {BY_CLASS, "class", "Class"},
    {BY_SIZE, "size", "Individual Size"},
    {BY_MODULE, "module", "Module"},
    {BY_ID, "id", "Brief"},
    {BY_IDSET, "idset", "by identity set"},
    {BY_VIA, "via", "Referred Via:"},
    {BY_RCS, "rcs", "Referrers by Kind (class / dict of class)"},
    {BY_UNITY, "unity", "<unclassified>"},
};

const char *classifier_name(enum classifier by)
{
    for (size_t i = 0; i < sizeof classifiers / sizeof classifiers[0]; i++)
        if (classifiers[i].by == by)
            return classifiers[i].name;
    return "?";
}

int classifier_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof classifiers / sizeof classifiers[0]; i++)
        if (strcmp(classifiers[i].name, name) == 0)
            return (int)classifiers[i].by;
    return -1;
}

static const char *header_of(enum classifier by)
{
    for (size_t i = 0; i < sizeof classifiers / sizeof classifiers[0]; i++)
        if (classifiers[i].by == by)
            return classifiers[i].header;
    return "?";
}

static int row_order(const void *a, const void *b)
{
    const struct partition_row *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return strcmp(x->kind, y->kind);
}

/* Rows are kinds, not type objects: two types that print alike share a row. */
static int by_kind_name(const void *a, const void *b)
{
    return strcmp(((const struct partition_row *)a)->kind, ((const struct partition_row *)b)->kind);
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static char *keep_name(struct partition *p, char *s)
{
    if (!s)
        return NULL;
    /* Geometric growth: --by id keeps a name per object, and a realloc
     * that copies (ASan's always does) made that quadratic. */
    if (p->nnames == p->names_cap) {
        size_t cap = p->names_cap ? 2 * p->names_cap : 64;
        char **grown = realloc(p->names, cap * sizeof *grown);
        if (!grown) {
            free(s);
            return NULL;
        }
        p->names = grown;
        p->names_cap = cap;
    }
    p->names[p->nnames++] = s;
    return s;
}

/* Merges rows of equal kind names and orders them as heapy prints them. */
static void finish(struct partition_row *rows, size_t n, struct partition *out)
{
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].count)
            rows[used++] = rows[i];
    n = used;
    qsort(rows, n, sizeof *rows, by_kind_name);
    size_t kinds = 0;
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].count)
            continue;
        if (kinds && strcmp(rows[kinds - 1].kind, rows[i].kind) == 0) {
            rows[kinds - 1].count += rows[i].count;
            rows[kinds - 1].size += rows[i].size;
        } else {
            rows[kinds++] = rows[i];
        }
    }
    qsort(rows, kinds, sizeof *rows, row_order);
    out->rows = rows;
    out->nrows = kinds;
}

/* Sizes: one row per distinct individual size, named as heapy prints it. */
static int build_by_size(const struct heap *h, const uint32_t *indices, size_t n,
                         struct partition *out)
{
    uint64_t *sizes = malloc((n ? n : 1) * sizeof *sizes);
    if (!sizes)
        return 0;
    for (size_t k = 0; k < n; k++)
        sizes[k] = h->size[indices ? indices[k] : k];
    qsort(sizes, n, sizeof *sizes, by_u64);
    struct partition_row *rows = calloc(n ? n : 1, sizeof *rows);
    size_t m = 0;
    for (size_t k = 0; rows && k < n; k++) {
        if (m && sizes[k] == sizes[k - 1]) {
            rows[m - 1].count++;
            rows[m - 1].size += sizes[k];
            continue;
        }
        char *name = malloc(32);
        if (!name || !keep_name(out, name)) {
            free(sizes);
            free(rows);
            return 0;
        }
        snprintf(name, 32, "%9llu", (unsigned long long)sizes[k]);
        rows[m++] = (struct partition_row){name, 1, sizes[k], 0};
    }
    for (size_t k = 0; k < n; k++) {
        out->count++;
        out->size += sizes[k];
    }
    free(sizes);
    if (!rows)
        return 0;
    finish(rows, m, out);
    return 1;
}

bool classifier_needs_referrers(enum classifier by)
{
    return by == BY_VIA || by == BY_RCS;
}

/* Kinds named per object: one row per distinct name. */
static int build_by_name(const struct heap *h, enum classifier by, const struct referrers *r,
                         const uint32_t *indices, size_t n, struct partition *out)
{
    struct name_table kinds = {0};
    struct text name = {0};
    struct partition_row *rows = NULL; /* by kind id; named at the end */
    size_t cap = 0;
    struct rcs_kinds rcs;
    int ok = by != BY_RCS || rcs_kinds_init(&rcs, h, r);
    for (size_t k = 0; ok && k < n; k++) {
        uint32_t i = indices ? indices[k] : (uint32_t)k;
        uint32_t id;
        if (by == BY_RCS) {
            id = rcs_kind(&rcs, i, &kinds);
        } else {
            text_clear(&name);
            if (by == BY_MODULE)
                classify_module(h, i, &name);
            else if (by == BY_VIA)
                classify_via(h, r, i, &name);
            else
                classify_idset(h, i, &name);
            id = name.oom ? UINT32_MAX : name_table_intern(&kinds, name.s ? name.s : "");
        }
        size_t had = cap;
        if (id != UINT32_MAX && GROW(rows, cap, (size_t)id + 1, 256))
            memset(rows + had, 0, (cap - had) * sizeof *rows);
        if (id == UINT32_MAX || id >= cap) {
            ok = 0;
            break;
        }
        rows[id].count++;
        rows[id].size += h->size[i];
        out->count++;
        out->size += h->size[i];
    }
    for (uint32_t id = 0; ok && id < kinds.count; id++) {
        char *kept = strdup(name_table_get(&kinds, id));
        ok = kept && keep_name(out, kept);
        rows[id].kind = kept;
    }
    if (ok && kinds.count)
        finish(rows, kinds.count, out);
    else
        free(rows);
    text_free(&name);
    name_table_free(&kinds);
    if (by == BY_RCS)
        rcs_kinds_free(&rcs);
    return ok;
}

/* heapy's IdFormat: one row per object, by size, then by value (numbers,
 * strings), by address (objects shown by address) or by the rendering. */
struct id_row {
    uint32_t index;
    uint64_t size;
    double number;      /* values */
    const char *clodo;  /* mixed sets: the kind first */
    enum id_order order;
};

static int id_row_order(const void *a, const void *b, void *ctx)
{
    const struct id_row *x = a, *y = b;
    const struct heap *h = ctx;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    if (x->clodo && y->clodo) {
        int c = strcmp(x->clodo, y->clodo);
        if (c)
            return c;
    }
    if (x->order != y->order)
        return (int)x->order - (int)y->order;
    if (x->order == ID_BY_VALUE && x->number != y->number)
        return x->number < y->number ? -1 : 1;
    if (x->order == ID_BY_TEXT) {
        const char *p = heap_text(h, x->index, NULL, NULL), *q = heap_text(h, y->index, NULL, NULL);
        int c = strcmp(p ? p : "", q ? q : "");
        if (c)
            return c;
    }
    return h->addr[x->index] < h->addr[y->index] ? -1 : h->addr[x->index] > h->addr[y->index];
}

static int build_by_id(const struct heap *h, const uint32_t *indices, size_t n, struct partition *out)
{
    out->id_format = true;
    struct text kind = {0}, first = {0}, name = {0};
    bool mixed = false;
    for (size_t k = 0; k < n; k++) {
        uint32_t i = indices ? indices[k] : (uint32_t)k;
        text_clear(&kind);
        classify_clodo(h, i, &kind);
        if (k == 0)
            text_adds(&first, kind.s ? kind.s : "");
        else if (!mixed && strcmp(first.s ? first.s : "", kind.s ? kind.s : "") != 0)
            mixed = true;
    }
    snprintf(out->id_kind, sizeof out->id_kind, "<%s>", mixed ? "mixed" : first.s ? first.s : "");
    struct id_row *order = calloc(n ? n : 1, sizeof *order);
    struct partition_row *rows = calloc(n ? n : 1, sizeof *rows);
    char **clodos = mixed ? calloc(n ? n : 1, sizeof *clodos) : NULL;
    int ok = order && rows && (!mixed || clodos);
    for (size_t k = 0; ok && k < n; k++) {
        uint32_t i = indices ? indices[k] : (uint32_t)k;
        struct id_row *o = &order[k];
        o->index = i;
        o->size = h->size[i];
        o->order = classify_id_order(h, i);
        if (o->order == ID_BY_VALUE) {
            const char *text = heap_text(h, i, NULL, NULL);
            o->number = text ? strtod(text, NULL) : 0;
            if (text && strcmp(text, "True") == 0)
                o->number = 1;
        }
        if (mixed) {
            text_clear(&kind);
            classify_clodo(h, i, &kind);
            clodos[k] = kind.s ? strdup(kind.s) : NULL;
            ok = clodos[k] != NULL;
            o->clodo = clodos[k];
        }
    }
    if (ok)
        qsort_r(order, n, sizeof *order, id_row_order, (void *)h);
    out->kind_header = mixed ? "Brief" : n ? classify_render_header(h, order[0].index) : "Value";
    for (size_t k = 0; ok && k < n; k++) {
        classify_render(h, order[k].index, mixed, &name);
        char *kept = name.s && !name.oom ? strdup(name.s) : NULL;
        if (!kept || !keep_name(out, kept)) {
            ok = 0;
            break;
        }
        rows[k] = (struct partition_row){kept, 1, order[k].size, 0};
        out->count++;
        out->size += order[k].size;
    }
    for (size_t k = 0; clodos && k < n; k++)
        free(clodos[k]);
    free(clodos);
    free(order);
    text_free(&kind);
    text_free(&first);
    text_free(&name);
    if (!ok) {
        free(rows);
        return 0;
    }
    out->rows = rows;
    out->nrows = n;
    return 1;
}

static int build(const struct heap *h, enum classifier by, const struct referrers *r,
                 const uint32_t *indices, size_t n, struct partition *out)
{
    memset(out, 0, sizeof *out);
    out->by = by;
    out->kind_header = header_of(by);
    if (by == BY_SIZE)
        return build_by_size(h, indices, n, out);
    if (by == BY_ID)
        return build_by_id(h, indices, n, out);
    if (by == BY_MODULE || by == BY_IDSET || by == BY_VIA || by == BY_RCS) {
        if ((by == BY_VIA || by == BY_RCS) && !r)
            return 0;
        if (by == BY_IDSET && !h->dict_owned_by)
            return 0;
        return build_by_name(h, by, r, indices, n, out);
    }
    if (by == BY_CLODO && !h->dict_owned_by)
        return 0;
    if (by == BY_CLASS)
        by = BY_TYPE;
    /* Dense kinds: a type, "dict of" a type, "dict (no owner)", or the one
     * kind of unity. */
    size_t ntypes = h->types.count;
    size_t nkinds = by == BY_UNITY ? 1 : 2 * ntypes + 1;
    struct partition_row *rows = calloc(nkinds, sizeof *rows);
    if (!rows)
        return 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = indices ? indices[k] : k;
        size_t key = h->type[i];
        if (by == BY_UNITY)
            key = 0;
        else if (by == BY_CLODO && h->types.v[h->type[i]].exact_dict)
            key = heap_dict_owner(h, i) != UINT32_MAX ? ntypes + h->type[heap_dict_owner(h, i)] : 2 * ntypes;
        rows[key].count++;
        rows[key].size += h->size[i];
        out->count++;
        out->size += h->size[i];
    }
    for (size_t key = 0; key < nkinds; key++) {
        if (by == BY_UNITY)
            rows[key].kind = "<Anything>";
        else if (key < ntypes)
            rows[key].kind = h->types.v[key].name;
        else if (key == 2 * ntypes)
            rows[key].kind = "dict (no owner)";
        else if (rows[key].count) {
            const char *owner = h->types.v[key - ntypes].name;
            char *name = malloc(strlen(owner) + 9);
            if (!name || !keep_name(out, name)) {
                free(rows);
                return 0;
            }
            sprintf(name, "dict of %s", owner);
            rows[key].kind = name;
        }
    }
    finish(rows, nkinds, out);
    return 1;
}

int partition_build(const struct heap *h, enum classifier by, struct partition *out)
{
    return build(h, by, NULL, NULL, h->count, out);
}

int partition_build_subset(const struct heap *h, enum classifier by, const struct referrers *r,
                           const uint32_t *indices, size_t n, struct partition *out)
{
    return build(h, by, r, indices, n, out);
}

void partition_free(struct partition *p)
{
    free(p->rows);
    for (size_t i = 0; i < p->nnames; i++)
        free(p->names[i]);
    free(p->names);
    memset(p, 0, sizeof *p);
}
