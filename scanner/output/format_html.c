#include "output/format_html.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/classify.h"
#include "output/format.h"
#include "output/json_writer.h"

extern const char report_page_head[], report_page_tail[];

/* The tree's nodes shown: at most this many levels, children a node, and
 * none retaining less than a thousandth of the heap (so a few thousand
 * nodes at most, whatever the heap). */
#define TREE_LEVELS 8
#define TREE_CHILDREN 24

/* Node i (h->count: the virtual root) and, level levels deep, the biggest
 * of what it dominates; the rest summed in one node.  Recursion bounded by
 * TREE_LEVELS. */
static bool tree_json(struct json_writer *j, const struct why_alive *w, uint32_t i, uint64_t retained,
                      unsigned level, uint64_t smallest, struct text *t)
{
    const struct heap *h = w->h;
    json_object_open(j);
    if (i == h->count) {
        json_kv_str(j, "k", "roots");
        json_kv_u64(j, "r", retained);
    } else {
        text_clear(t);
        classify_clodo(h, i, t);
        json_kv_str(j, "k", t->s ? t->s : "?");
        json_kv_hex(j, "a", h->addr[i]);
        json_kv_u64(j, "s", h->size[i]);
        json_kv_u64(j, "r", retained);
    }
    if (level >= TREE_LEVELS || w->c->start[i] == w->c->start[i + 1]) {
        json_object_close(j);
        return true;
    }
    size_t nkids;
    uint32_t *kids = dominator_children_sorted(w->d, w->c, i, &nkids);
    if (!kids)
        return false;
    uint64_t shown = 0, rest = 0, others = 0;
    bool ok = true;
    json_key(j, "c");
    json_array_open(j);
    for (size_t k = 0; ok && k < nkids; k++) {
        uint64_t r = w->d->retained[kids[k]];
        if (shown < TREE_CHILDREN && r >= smallest) {
            shown++;
            ok = tree_json(j, w, kids[k], r, level + 1, smallest, t);
        } else {
            rest += r;
            others++;
        }
    }
    if (others) {
        char smaller[48];
        snprintf(smaller, sizeof smaller, "(%" PRIu64 " smaller)", others);
        json_object_open(j);
        json_kv_str(j, "k", smaller);
        json_kv_u64(j, "r", rest);
        json_object_close(j);
    }
    json_array_close(j);
    json_object_close(j);
    free(kids);
    return ok;
}

static void table_json(struct json_writer *j, const struct partition *p, size_t rows)
{
    size_t show = rows && rows < p->nrows ? rows : p->nrows;
    json_object_open(j);
    json_kv_u64(j, "count", p->count);
    json_kv_u64(j, "size", p->size);
    json_kv_u64(j, "more_rows", p->nrows - show);
    json_key(j, "rows");
    json_array_open(j);
    for (size_t k = 0; k < show; k++) {
        json_object_open(j);
        json_kv_str(j, "kind", p->rows[k].kind);
        json_kv_u64(j, "count", p->rows[k].count);
        json_kv_u64(j, "size", p->rows[k].size);
        if (p->has_retained && k < p->nretained)
            json_kv_u64(j, "retained", p->rows[k].retained);
        json_object_close(j);
    }
    json_array_close(j);
    json_object_close(j);
}

bool format_html_report(FILE *out, const struct why_alive *w, const char *title, const char *report_json,
                        const struct partition *table, size_t rows)
{
    char *json = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&json, &len);
    if (!mem)
        return false;
    struct text t = {0};
    uint64_t total = 0;
    for (size_t i = 0; i < w->h->count; i++)
        if (w->d->idom[i] == DOMINATOR_ROOT)
            total += w->d->retained[i];
    struct json_writer jw, *j = &jw;
    json_begin(j, mem);
    json_object_open(j);
    json_kv_str(j, "title", title);
    json_key(j, "report");
    json_raw(j, report_json);
    json_key(j, "table");
    table_json(j, table, rows);
    json_key(j, "tree");
    bool ok = tree_json(j, w, (uint32_t)w->h->count, total, 0, total / 1000, &t);
    json_object_close(j);
    ok = fclose(mem) == 0 && ok && !t.oom;
    text_free(&t);
    if (ok) {
        fputs(report_page_head, out);
        /* '<' is only ever inside the JSON's strings: escaped there, no
         * "</script>" a heap's text may hold can end the data early */
        for (size_t k = 0; k < len; k++) {
            if (json[k] == '<')
                fputs("\\u003c", out);
            else
                fputc(json[k], out);
        }
        fputs("\n", out);
        fputs(report_page_tail, out);
    }
    free(json);
    return ok;
}
