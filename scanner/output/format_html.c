#include "output/format_html.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/classify.h"
#include "output/format.h"

extern const char report_page_head[], report_page_tail[];

/* The tree's nodes shown: at most this many levels, children a node, and
 * none retaining less than a thousandth of the heap (so a few thousand
 * nodes at most, whatever the heap). */
#define TREE_LEVELS 8
#define TREE_CHILDREN 24

/* Node i (h->count: the virtual root) and, level levels deep, the biggest
 * of what it dominates; the rest summed in one node.  Recursion bounded by
 * TREE_LEVELS. */
static bool tree_json(FILE *out, const struct why_alive *w, uint32_t i, uint64_t retained, unsigned level,
                      uint64_t smallest, struct text *t)
{
    const struct heap *h = w->h;
    if (i == h->count) {
        fprintf(out, "{\"k\": \"roots\", \"r\": %" PRIu64, retained);
    } else {
        text_clear(t);
        classify_clodo(h, i, t);
        fputs("{\"k\": ", out);
        json_string(out, t->s ? t->s : "?");
        fprintf(out, ", \"a\": \"%#" PRIx64 "\", \"s\": %" PRIu64 ", \"r\": %" PRIu64, h->addr[i], h->size[i],
                retained);
    }
    if (level >= TREE_LEVELS || w->c->start[i] == w->c->start[i + 1]) {
        fputs("}", out);
        return true;
    }
    size_t nkids;
    uint32_t *kids = dominator_children_sorted(w->d, w->c, i, &nkids);
    if (!kids)
        return false;
    uint64_t shown = 0, rest = 0, others = 0;
    bool ok = true;
    fputs(", \"c\": [", out);
    for (size_t k = 0; ok && k < nkids; k++) {
        uint64_t r = w->d->retained[kids[k]];
        if (shown < TREE_CHILDREN && r >= smallest) {
            fputs(shown++ ? ", " : "", out);
            ok = tree_json(out, w, kids[k], r, level + 1, smallest, t);
        } else {
            rest += r;
            others++;
        }
    }
    if (others)
        fprintf(out, "%s{\"k\": \"(%" PRIu64 " smaller)\", \"r\": %" PRIu64 "}", shown ? ", " : "", others, rest);
    fputs("]}", out);
    free(kids);
    return ok;
}

static void table_json(FILE *out, const struct partition *p, size_t rows)
{
    size_t show = rows && rows < p->nrows ? rows : p->nrows;
    fprintf(out, "{\"count\": %" PRIu64 ", \"size\": %" PRIu64 ", \"more_rows\": %zu, \"rows\": [", p->count, p->size,
            p->nrows - show);
    for (size_t k = 0; k < show; k++) {
        fputs(k ? ", {\"kind\": " : "{\"kind\": ", out);
        json_string(out, p->rows[k].kind);
        fprintf(out, ", \"count\": %" PRIu64 ", \"size\": %" PRIu64, p->rows[k].count, p->rows[k].size);
        if (p->has_retained && k < p->nretained)
            fprintf(out, ", \"retained\": %" PRIu64, p->rows[k].retained);
        fputs("}", out);
    }
    fputs("]}", out);
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
    fputs("{\"title\": ", mem);
    json_string(mem, title);
    fprintf(mem, ", \"report\": %s, \"table\": ", report_json);
    table_json(mem, table, rows);
    fputs(", \"tree\": ", mem);
    bool ok = tree_json(mem, w, (uint32_t)w->h->count, total, 0, total / 1000, &t);
    fputs("}", mem);
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
