#include "partition.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    enum classifier by;
    const char *name, *header;
} classifiers[] = {
    {BY_CLODO, "clodo", "Kind (class / dict of class)"},
    {BY_TYPE, "type", "Type"},
    {BY_SIZE, "size", "Individual Size"},
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
    char **grown = realloc(p->names, (p->nnames + 1) * sizeof *grown);
    if (!grown) {
        free(s);
        return NULL;
    }
    p->names = grown;
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
        rows[m++] = (struct partition_row){name, 1, sizes[k]};
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

static int build(const struct heap *h, enum classifier by, const uint32_t *indices, size_t n,
                 struct partition *out)
{
    memset(out, 0, sizeof *out);
    out->by = by;
    out->kind_header = header_of(by);
    if (by == BY_SIZE)
        return build_by_size(h, indices, n, out);
    if (by == BY_CLODO && !h->dict_owner)
        return 0;
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
            key = h->dict_owner[i] != UINT32_MAX ? ntypes + h->dict_owner[i] : 2 * ntypes;
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
    return build(h, by, NULL, h->count, out);
}

int partition_build_subset(const struct heap *h, enum classifier by, const uint32_t *indices,
                           size_t n, struct partition *out)
{
    return build(h, by, indices, n, out);
}

void partition_free(struct partition *p)
{
    free(p->rows);
    for (size_t i = 0; i < p->nnames; i++)
        free(p->names[i]);
    free(p->names);
    memset(p, 0, sizeof *p);
}
