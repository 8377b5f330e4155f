#include "analysis/diff.h"

#include <stdlib.h>
#include <string.h>


static int by_abs_size(const void *a, const void *b)
{
    const struct diff_row *x = a, *y = b;
    int64_t sx = x->size < 0 ? -x->size : x->size, sy = y->size < 0 ? -y->size : y->size;
    if (sx != sy)
        return sx > sy ? -1 : 1;
    return strcmp(x->kind, y->kind);
}

static int by_kind(const void *a, const void *b)
{
    return strcmp(((const struct diff_row *)a)->kind, ((const struct diff_row *)b)->kind);
}

/* The rows of after - before, merged by kind name. */
static struct diff_row *diff_rows(const struct partition *pb, const struct partition *pa, size_t *n)
{
    struct diff_row *rows = calloc(pb->nrows + pa->nrows + 1, sizeof *rows);
    if (!rows)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < pa->nrows; i++)
        rows[k++] = (struct diff_row){pa->rows[i].kind, (int64_t)pa->rows[i].count, (int64_t)pa->rows[i].size};
    for (size_t i = 0; i < pb->nrows; i++)
        rows[k++] = (struct diff_row){pb->rows[i].kind, -(int64_t)pb->rows[i].count, -(int64_t)pb->rows[i].size};
    qsort(rows, k, sizeof *rows, by_kind);
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (m && strcmp(rows[m - 1].kind, rows[i].kind) == 0) {
            rows[m - 1].count += rows[i].count;
            rows[m - 1].size += rows[i].size;
        } else {
            rows[m++] = rows[i];
        }
    }
    size_t z = 0;
    for (size_t i = 0; i < m; i++)
        if (rows[i].count || rows[i].size)
            rows[z++] = rows[i];
    qsort(rows, z, sizeof *rows, by_abs_size);
    *n = z;
    return rows;
}

/* The objects of after that before did not have: another address, or the
 * same address holding an object of another type. */
static bool new_objects(struct heap *before, const struct heap *after, uint32_t **out, size_t *n)
{
    if (!before->index_slots && !heap_index_all(before, before->count))
        return false;
    *out = malloc((after->count ? after->count : 1) * sizeof **out);
    if (!*out)
        return false;
    *n = 0;
    for (size_t i = 0; i < after->count; i++) {
        uint32_t j = heap_find(before, after->addr[i]);
        if (j == UINT32_MAX || j >= before->count ||
            before->types.v[before->type[j]].addr != after->types.v[after->type[i]].addr ||
            strcmp(before->types.v[before->type[j]].name, after->types.v[after->type[i]].name) != 0)
            (*out)[(*n)++] = (uint32_t)i;
    }
    return true;
}

bool diff_compute(struct heap *before, struct heap *after, enum classifier by, struct heap_diff *d)
{
    memset(d, 0, sizeof *d);
    d->after_heap = after;
    return partition_build(before, by, &d->before) && partition_build(after, by, &d->after) &&
           new_objects(before, after, &d->fresh, &d->nfresh) &&
           partition_build_subset(after, by, NULL, d->fresh, d->nfresh, &d->fresh_rows) &&
           (d->rows = diff_rows(&d->before, &d->after, &d->nrows)) != NULL;
}

void diff_free(struct heap_diff *d)
{
    free(d->rows);
    free(d->fresh);
    partition_free(&d->before);
    partition_free(&d->after);
    partition_free(&d->fresh_rows);
    memset(d, 0, sizeof *d);
}
