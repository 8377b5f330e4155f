#include "analysis/partition_retained.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/classify.h"
#include "analysis/dominators.h"

bool partition_retained_supported(enum classifier by)
{
    return by != BY_ID;
}

/* The row name partition.c gives object i. */
static void kind_of(const struct heap *h, enum classifier by, const struct referrers *r, uint32_t i,
                    struct text *out)
{
    char size[32];
    text_clear(out);
    switch (by) {
    case BY_UNITY:
        text_adds(out, "<Anything>");
        break;
    case BY_SIZE:
        snprintf(size, sizeof size, "%9llu", (unsigned long long)h->size[i]);
        text_adds(out, size);
        break;
    case BY_MODULE:
        classify_module(h, i, out);
        break;
    case BY_VIA:
        classify_via(h, r, i, out);
        break;
    case BY_RCS:
        classify_rcs(h, r, i, out);
        break;
    case BY_IDSET:
        classify_idset(h, i, out);
        break;
    case BY_CLODO:
        if (h->types.v[h->type[i]].exact_dict) {
            if (heap_dict_owner(h, i) == UINT32_MAX) {
                text_adds(out, "dict (no owner)");
            } else {
                text_adds(out, "dict of ");
                text_adds(out, h->types.v[h->type[heap_dict_owner(h, i)]].name);
            }
            break;
        }
        /* fall through */
    default:
        text_adds(out, h->types.v[h->type[i]].name);
        break;
    }
}

bool partition_add_retained(struct partition *p, const struct heap *h, const struct referrers *r,
                            const uint32_t *indices, size_t n, size_t rows)
{
    size_t want = rows && rows < p->nrows ? rows : p->nrows;
    struct name_table kinds = {0};
    struct text name = {0};
    uint32_t *row_of = malloc((h->count ? h->count : 1) * sizeof *row_of);
    uint8_t *in = calloc(h->count ? h->count : 1, 1);
    uint32_t *row_id = malloc((p->nrows ? p->nrows : 1) * sizeof *row_id);
    bool ok = row_of && in && row_id;
    /* row names -> row numbers, then each object's row */
    for (size_t k = 0; ok && k < p->nrows; k++) {
        uint32_t id = name_table_intern(&kinds, p->rows[k].kind);
        ok = id != UINT32_MAX;
        if (ok && id == kinds.count - 1)
            row_id[id] = (uint32_t)k;
    }
    if (ok)
        memset(row_of, 0xff, h->count * sizeof *row_of);
    for (size_t k = 0; ok && k < n; k++) {
        uint32_t i = indices ? indices[k] : (uint32_t)k;
        kind_of(h, p->by, r, i, &name);
        ok = !name.oom;
        uint32_t before = (uint32_t)kinds.count;
        uint32_t id = ok ? name_table_intern(&kinds, name.s ? name.s : "") : UINT32_MAX;
        ok = id != UINT32_MAX;
        if (ok && id < before)
            row_of[i] = row_id[id];
    }
    for (size_t k = 0; ok && k < want; k++) {
        for (size_t j = 0; j < n; j++) {
            uint32_t i = indices ? indices[j] : (uint32_t)j;
            in[i] = row_of[i] == k;
        }
        uint64_t retained = retained_of_set(h, in);
        ok = retained != UINT64_MAX;
        p->rows[k].retained = retained;
    }
    if (ok) {
        p->has_retained = true;
        p->nretained = want;
    }
    free(row_of);
    free(in);
    free(row_id);
    text_free(&name);
    name_table_free(&kinds);
    return ok;
}

static int retained_order(const void *a, const void *b)
{
    const struct partition_row *x = a, *y = b;
    if (x->retained != y->retained)
        return x->retained > y->retained ? -1 : 1;
    return strcmp(x->kind, y->kind);
}

void partition_sort_by_retained(struct partition *p)
{
    qsort(p->rows, p->nretained, sizeof *p->rows, retained_order);
}
