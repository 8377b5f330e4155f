#include "output/format_diff.h"

#include "output/json_writer.h"

#include <inttypes.h>

#include "output/format.h"

/* heapy's DiffFormat: '%9.3g' of B's size, or '   (n.a.)'. */
static void percent_of_b(char *buf, size_t cap, int64_t size, uint64_t b_size)
{
    if (b_size)
        snprintf(buf, cap, "%9.3g", (double)size * 100.0 / (double)b_size);
    else
        snprintf(buf, cap, "   (n.a.)");
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

static void count_size(struct json_writer *j, const char *key, uint64_t count, uint64_t size)
{
    json_key(j, key);
    json_object_open(j);
    json_kv_u64(j, "count", count);
    json_kv_u64(j, "size", size);
    json_object_close(j);
}

static void write_json(FILE *out, const struct partition *pb, const struct partition *pa,
                       const struct diff_row *rows, size_t nrows, const struct partition *pn)
{
    struct json_writer jw, *j = &jw;
    json_begin(j, out);
    json_object_open(j);
    json_kv_str(j, "classifier", classifier_name(pa->by));
    count_size(j, "a", pa->count, pa->size);
    count_size(j, "b", pb->count, pb->size);
    json_key(j, "rows");
    json_array_open(j);
    for (size_t i = 0; i < nrows; i++) {
        json_object_open(j);
        json_kv_u64(j, "index", i);
        json_kv_i64(j, "count", rows[i].count);
        json_kv_i64(j, "size", rows[i].size);
        json_kv_str(j, "kind", rows[i].kind);
        json_object_close(j);
    }
    json_array_close(j);
    json_key(j, "new");
    json_object_open(j);
    json_kv_u64(j, "count", pn->count);
    json_kv_u64(j, "size", pn->size);
    json_key(j, "rows");
    json_array_open(j);
    for (size_t i = 0; i < pn->nrows; i++) {
        json_object_open(j);
        json_kv_u64(j, "index", i);
        json_kv_u64(j, "count", pn->rows[i].count);
        json_kv_u64(j, "size", pn->rows[i].size);
        json_kv_str(j, "kind", pn->rows[i].kind);
        json_object_close(j);
    }
    json_array_close(j);
    json_object_close(j);
    json_object_close(j);
    fputc('\n', out);
}

void format_diff(FILE *out, const struct heap_diff *d, enum output_format format, size_t max_rows)
{
    if (format == FORMAT_JSON) {
        write_json(out, &d->before, &d->after, d->rows, d->nrows, &d->fresh_rows);
    } else if (format == FORMAT_OBJECTS) {
        const struct heap *after = d->after_heap;
        for (size_t i = 0; i < d->nfresh; i++)
            fprintf(out, "0x%" PRIx64 "\t%" PRIu64 "\t%s\n", after->addr[d->fresh[i]],
                    after->size[d->fresh[i]], after->types.v[after->type[d->fresh[i]]].name);
    } else {
        write_text(out, &d->before, &d->after, d->rows, d->nrows, max_rows);
        fprintf(out, "\nObjects new in A (by identity):\n");
        format_partition_text(out, &d->fresh_rows, max_rows);
    }
}
