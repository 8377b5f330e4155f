/* pympler's summary table (summary.print_(summary.summarize(objects))):
 * kinds as pympler's _repr names them, sizes as stringutils.pp writes them. */
#include "base/grow.h"
#include "output/format.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/object_text.h"
#include "model/utf8.h"

/* pympler names functions and modules by their names, frames by their
 * code's name, everything else by its type alone. */
static bool named_by_text(const struct type_info *ti)
{
    const char *plain = ti->plain_name && *ti->plain_name ? ti->plain_name : ti->name;
    return strcmp(plain, "function") == 0 || strcmp(plain, "module") == 0 || ti->size_kind == SIZE_FRAME;
}

bool pympler_wants_text(const struct type_info *ti)
{
    return named_by_text(ti);
}

/* pympler's kind of object i: functions and modules by name, frames by
 * their code's name, everything else str(type(o)) unwrapped. */
static void pympler_kind(const struct heap *h, uint32_t i, char *out, size_t cap)
{
    const struct type_info *ti = &h->types.v[h->type[i]];
    const char *text = named_by_text(ti) ? heap_text(h, i, NULL, NULL) : NULL;
    const char *plain = ti->plain_name && *ti->plain_name ? ti->plain_name : ti->name;
    if (strcmp(plain, "function") == 0 && text) {
        const char *dot = strrchr(text, '.');
        snprintf(out, cap, "function (%s)", dot ? dot + 1 : text);
    } else if (strcmp(plain, "module") == 0 && text) {
        snprintf(out, cap, "module(%s)", text);
    } else if (ti->size_kind == SIZE_FRAME && text) {
        snprintf(out, cap, "frame (codename: %s)", text);
    } else {
        snprintf(out, cap, "%s", plain);
    }
}

/* stringutils.pp: bytes up to 1024, then KB, MB... (pympler has no PB). */
static void pp(uint64_t size, char *out, size_t cap)
{
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB", "EB"};
    if (size <= 1024) {
        snprintf(out, cap, "%4" PRIu64 "     B", size);
        return;
    }
    double v = (double)size;
    size_t u = 0;
    while (v > 1024 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    snprintf(out, cap, "%7.2f %s", v, units[u]);
}

struct pympler_row {
    const char *kind;
    uint64_t count, size;
    size_t first;  /* where the kind was first seen: pympler's stable order */
};

static int by_size(const void *a, const void *b)
{
    const struct pympler_row *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static size_t width_of(const char *s)
{
    return utf8_count(s, strlen(s));
}

static void cell(FILE *out, const char *s, size_t width)
{
    for (size_t k = width_of(s); k < width; k++)
        fputc(' ', out);
    fputs(s, out);
}

bool format_pympler(FILE *out, const struct heap *h, const uint32_t *indices, size_t n, size_t limit)
{
    struct name_table kinds = {0};
    struct pympler_row *rows = NULL;
    size_t cap = 0;
    char kind[600];
    /* A kind named by its type alone is that type's for every object of it:
     * looked up once per type, not rendered and hashed per object. */
    uint32_t *kind_of_type = malloc((h->types.count ? h->types.count : 1) * sizeof *kind_of_type);
    uint8_t *by_text = malloc(h->types.count ? h->types.count : 1);
    bool ok = kind_of_type && by_text;
    for (size_t t = 0; ok && t < h->types.count; t++) {
        kind_of_type[t] = UINT32_MAX;
        by_text[t] = named_by_text(&h->types.v[t]);
    }
    for (size_t k = 0; ok && k < n; k++) {
        uint32_t i = indices ? indices[k] : (uint32_t)k;
        uint32_t type = h->type[i];
        bool by_type = !by_text[type];
        uint32_t id = by_type ? kind_of_type[type] : UINT32_MAX;
        if (id == UINT32_MAX) {
            pympler_kind(h, i, kind, sizeof kind);
            id = name_table_intern(&kinds, kind);
            if (id == UINT32_MAX) {
                ok = false;
                break;
            }
            if (by_type)
                kind_of_type[type] = id;
        }
        size_t had = cap;
        if (!GROW(rows, cap, (size_t)id + 1, 256)) {
            ok = false;
            break;
        }
        memset(rows + had, 0, (cap - had) * sizeof *rows);
        if (!rows[id].count)
            rows[id].first = k;
        rows[id].count++;
        rows[id].size += h->size[i];
    }
    size_t nrows = ok ? kinds.count : 0;
    for (uint32_t id = 0; id < nrows; id++)
        rows[id].kind = name_table_get(&kinds, id);
    if (nrows)
        qsort(rows, nrows, sizeof *rows, by_size);
    if (limit && limit < nrows)
        nrows = limit;
    /* Columns: right-justified, as wide as their widest cell plus 2. */
    const char *header[3] = {"types", "# objects", "total size"};
    size_t width[3] = {width_of(header[0]) + 2, width_of(header[1]) + 2, width_of(header[2]) + 2};
    char count[32], size[32];
    for (size_t r = 0; r < nrows; r++) {
        snprintf(count, sizeof count, "%" PRIu64, rows[r].count);
        pp(rows[r].size, size, sizeof size);
        const char *cells[3] = {rows[r].kind, count, size};
        for (int c = 0; c < 3; c++)
            if (width_of(cells[c]) + 2 > width[c])
                width[c] = width_of(cells[c]) + 2;
    }
    for (int c = 0; c < 3; c++) {
        if (c)
            fputs(" | ", out);
        cell(out, header[c], width[c]);
    }
    fputc('\n', out);
    for (int c = 0; c < 3; c++) {
        if (c)
            fputs(" | ", out);
        for (size_t k = 0; k < width[c]; k++)
            fputc('=', out);
    }
    fputc('\n', out);
    for (size_t r = 0; r < nrows; r++) {
        snprintf(count, sizeof count, "%" PRIu64, rows[r].count);
        pp(rows[r].size, size, sizeof size);
        cell(out, rows[r].kind, width[0]);
        fputs(" | ", out);
        cell(out, count, width[1]);
        fputs(" | ", out);
        cell(out, size, width[2]);
        fputc('\n', out);
    }
    free(rows);
    free(kind_of_type);
    free(by_text);
    name_table_free(&kinds);
    return ok;
}
