/* `pyheapscan refs ADDR`: one object, what it refers to and what refers to
 * it, each line the object's address, size, heapy kind and the relation. */
#include "output/format.h"

#include <inttypes.h>
#include <string.h>

#include "analysis/classify.h"

/* Its rendering when it says more than the address (a value, a name). */
static void rendering(FILE *out, const struct heap *h, uint32_t i, const char *sep, struct text *t)
{
    char addr[32];
    snprintf(addr, sizeof addr, "%#" PRIx64, h->addr[i]);
    text_clear(t);
    classify_render(h, i, false, t);
    if (t->s && *t->s && strcmp(t->s, addr) != 0)
        fprintf(out, "%s%s", sep, t->s);
}

static void line(FILE *out, const struct heap *h, uint32_t i, const char *relation, struct text *t)
{
    text_clear(t);
    classify_clodo(h, i, t);
    fprintf(out, "  %-24s %#" PRIx64 " %8" PRIu64 " %s", relation, h->addr[i], h->size[i], t->s ? t->s : "?");
    rendering(out, h, i, "  ", t);
    fputc('\n', out);
}

void format_refs(FILE *out, const struct heap *h, const struct referrers *r, uint32_t i)
{
    struct text t = {0};
    char rel[1100];
    classify_clodo(h, i, &t);
    fprintf(out, "Object %#" PRIx64 ": %s, %" PRIu64 " bytes", h->addr[i], t.s ? t.s : "?", h->size[i]);
    rendering(out, h, i, ", ", &t);
    fputc('\n', out);
    struct edge_run run[2];
    heap_edge_runs(h, i, run);
    fprintf(out, "Referents (%" PRIu64 "):\n", run[0].n + run[1].n);
    for (int k = 0; k < 2; k++)
        for (uint64_t e = 0; e < run[k].n; e++) {
            relation_render(&h->names, run[k].label ? run[k].label[e] : 0, false, rel, sizeof rel);
            line(out, h, run[k].to[e], rel, &t);
        }
    fprintf(out, "Referrers (%" PRIu64 "):\n", r->start[i + 1] - r->start[i]);
    for (uint64_t e = r->start[i]; e < r->start[i + 1]; e++) {
        uint32_t label = r->label ? r->label[e] : 0;
        relation_render(&h->names, label, false, rel, sizeof rel);
        if (r->from[e] == REFERRER_ROOT || r->from[e] == REFERRER_FRAME) {
            const char *root = "?";
            for (size_t k = 0; k < h->nroots; k++)
                if (h->roots[k].object == i &&
                    (r->from[e] == REFERRER_ROOT ? !h->roots[k].frame_label : h->roots[k].frame_label == label))
                    root = h->roots[k].name;
            fprintf(out, "  %-24s hp.Root%s%s\n", rel, r->from[e] == REFERRER_FRAME ? "." : "",
                    r->from[e] == REFERRER_FRAME ? root : "");
            continue;
        }
        line(out, h, r->from[e], rel, &t);
    }
    text_free(&t);
}
