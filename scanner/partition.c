#include "partition.h"

#include <stdlib.h>
#include <string.h>

const char *classifier_name(enum classifier by)
{
    switch (by) {
    case BY_TYPE:
        return "type";
    }
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

static int build(const struct heap *h, enum classifier by, const uint32_t *indices, size_t n,
                 struct partition *out);

int partition_build(const struct heap *h, enum classifier by, struct partition *out)
{
    return build(h, by, NULL, h->count, out);
}

int partition_build_subset(const struct heap *h, enum classifier by, const uint32_t *indices,
                           size_t n, struct partition *out)
{
    return build(h, by, indices, n, out);
}

static int build(const struct heap *h, enum classifier by, const uint32_t *indices, size_t n,
                 struct partition *out)
{
    memset(out, 0, sizeof *out);
    out->by = by;
    out->kind_header = "Type";
    size_t ntypes = h->types.count;
    struct partition_row *rows = calloc(ntypes ? ntypes : 1, sizeof *rows);
    if (!rows)
        return 0;
    for (size_t i = 0; i < ntypes; i++)
        rows[i].kind = h->types.v[i].name;
    for (size_t k = 0; k < n; k++) {
        size_t i = indices ? indices[k] : k;
        rows[h->type[i]].count++;
        rows[h->type[i]].size += h->size[i];
        out->count++;
        out->size += h->size[i];
    }
    qsort(rows, ntypes, sizeof *rows, by_kind_name);
    size_t kinds = 0;
    for (size_t i = 0; i < ntypes; i++) {
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
    return 1;
}

void partition_free(struct partition *p)
{
    free(p->rows);
    memset(p, 0, sizeof *p);
}
