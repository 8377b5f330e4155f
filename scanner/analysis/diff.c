#include "diff.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

struct diff_row {
    const char *kind;
    int64_t count, size;
};

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

/* heapy's DiffFormat: '%9.3g' of B's size, or '   (n.a.)'. */
static void percent_of_b(char *buf, size_t cap, int64_t size, uint64_t b_size)
{
    if (b_size)
        snprintf(buf, cap, "%9.3g", (double)size * 100.0 / (double)b_size);
    else
        snprintf(buf, cap, "   (n.a.)");
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

static void write_text(FILE *out, const struct partition *pb, const struct partition *pa,
                       const struct diff_row *rows, size_t nrows, size_t max_rows)
{
    int64_t dc = (int64_t)pa->count - (int64_t)pb->count, ds = (int64_t)pa->size - (int64_t)pb->size;
    char pct[32];
    percent_of_b(pct, sizeof pct, ds, pb->size);
    fprintf(out, "Summary of difference operation (A-B).\n");
    fprintf(out, "        Count     Size\n");
    fprintf(out, "  A    %6" PRIu64 " %8" PRIu64 "\n", pa->count, pa->size);
    fprintf(out, "  B    %6" PRIu64 " %8" PRIu64 "\n", pb->count, pb->size);
    fprintf(out, "  A-B  %6" PRId64 " %8" PRId64 "  = %s %% of B\n", dc, ds, pct);
    if (!nrows)
        return;
    fprintf(out, "\nDifferences by kind, largest absolute size diffs first.\n");
    fprintf(out, " Index  Count     Size  Cumulative  %% of B %s\n", pa->kind_header);
    size_t show = nrows;
    if (max_rows && max_rows < nrows) {
        show = max_rows;
        if (nrows - show == 1)
            show = nrows;
    }
    int64_t cumulative = 0;
    for (size_t i = 0; i < show; i++) {
        cumulative += rows[i].size;
        percent_of_b(pct, sizeof pct, cumulative, pb->size);
        fprintf(out, "%6zu %6" PRId64 " %8" PRId64 " %9" PRId64 " %s %s\n", i, rows[i].count,
                rows[i].size, cumulative, pct, rows[i].kind);
    }
    if (show < nrows)
        fprintf(out, "<%zu more rows. Type e.g. '_.more' to view.>\n", nrows - show);
}

static void write_json(FILE *out, const struct partition *pb, const struct partition *pa,
                       const struct diff_row *rows, size_t nrows, const struct partition *pn)
{
    fprintf(out, "{\"classifier\": ");
    json_string(out, classifier_name(pa->by));
    fprintf(out, ", \"a\": {\"count\": %" PRIu64 ", \"size\": %" PRIu64 "}, \"b\": {\"count\": %" PRIu64
                 ", \"size\": %" PRIu64 "}, \"rows\": [",
            pa->count, pa->size, pb->count, pb->size);
    for (size_t i = 0; i < nrows; i++) {
        fprintf(out, "%s{\"index\": %zu, \"count\": %" PRId64 ", \"size\": %" PRId64 ", \"kind\": ",
                i ? ", " : "", i, rows[i].count, rows[i].size);
        json_string(out, rows[i].kind);
        fputc('}', out);
    }
    fprintf(out, "], \"new\": {\"count\": %" PRIu64 ", \"size\": %" PRIu64 ", \"rows\": [", pn->count,
            pn->size);
    for (size_t i = 0; i < pn->nrows; i++) {
        fprintf(out, "%s{\"index\": %zu, \"count\": %" PRIu64 ", \"size\": %" PRIu64 ", \"kind\": ",
                i ? ", " : "", i, pn->rows[i].count, pn->rows[i].size);
        json_string(out, pn->rows[i].kind);
        fputc('}', out);
    }
    fprintf(out, "]}}\n");
}

bool write_diff(FILE *out, struct heap *before, struct heap *after, enum classifier by,
                enum output_format format, size_t max_rows, struct error *err)
{
    struct partition pb = {0}, pa = {0}, pn = {0};
    uint32_t *fresh = NULL;
    size_t nfresh = 0, nrows = 0;
    struct diff_row *rows = NULL;
    bool ok = partition_build(before, by, &pb) && partition_build(after, by, &pa) &&
              new_objects(before, after, &fresh, &nfresh) &&
              partition_build_subset(after, by, NULL, fresh, nfresh, &pn) &&
              (rows = diff_rows(&pb, &pa, &nrows)) != NULL;
    if (!ok) {
        fail(err, EXIT_INTERNAL, "out of memory");
    } else if (format == FORMAT_JSON) {
        write_json(out, &pb, &pa, rows, nrows, &pn);
    } else if (format == FORMAT_OBJECTS) {
        for (size_t i = 0; i < nfresh; i++)
            fprintf(out, "0x%" PRIx64 "\t%" PRIu64 "\t%s\n", after->addr[fresh[i]],
                    after->size[fresh[i]], after->types.v[after->type[fresh[i]]].name);
    } else {
        write_text(out, &pb, &pa, rows, nrows, max_rows);
        fprintf(out, "\nObjects new in A (by identity):\n");
        format_partition_text(out, &pn, max_rows);
    }
    free(rows);
    free(fresh);
    partition_free(&pb);
    partition_free(&pa);
    partition_free(&pn);
    return ok;
}
