#include "format.h"

#include <inttypes.h>
#include <stdlib.h>

/* heapy prints int('%.0f' % pct): round half to even, which printf does. */
static void pct(char *buf, size_t cap, uint64_t part, uint64_t whole)
{
    double v = whole ? (double)part * 100.0 / (double)whole : 0.0;
    snprintf(buf, cap, "%.0f", v);
}

void format_partition_text(FILE *out, const struct partition *p, size_t max_rows)
{
    fprintf(out, "Partition of a set of %" PRIu64 " object%s. Total size = %" PRIu64 " bytes.\n",
            p->count, p->count == 1 ? "" : "s", p->size);
    fprintf(out, " Index  Count   %%     Size   %% Cumulative  %% %s\n", p->kind_header);
    size_t show = p->nrows;
    if (max_rows && max_rows < p->nrows) {
        show = max_rows;
        /* heapy prints a lone last row rather than a footer announcing it. */
        if (p->nrows - show == 1)
            show = p->nrows;
    }
    uint64_t cumulative = 0;
    for (size_t i = 0; i < show; i++) {
        const struct partition_row *r = &p->rows[i];
        cumulative += r->size;
        char pc[32], ps[32], pcum[32];
        pct(pc, sizeof pc, r->count, p->count);
        pct(ps, sizeof ps, r->size, p->size);
        pct(pcum, sizeof pcum, cumulative, p->size);
        fprintf(out, "%6zu %6" PRIu64 " %3s %8" PRIu64 " %3s %9" PRIu64 " %3s %s\n", i, r->count, pc,
                r->size, ps, cumulative, pcum, r->kind);
    }
    if (show < p->nrows)
        fprintf(out, "<%zu more rows. Type e.g. '_.more' to view.>\n", p->nrows - show);
}

void format_partition_heapy(FILE *out, const struct partition *p, double timemade)
{
    fprintf(out, ".loader: _load_stat\n");
    fprintf(out, ".format: SetFormat\n");
    fprintf(out, ".timemade: %f\n", timemade);
    fprintf(out, ".count: %" PRIu64 "\n", p->count);
    fprintf(out, ".size: %" PRIu64 "\n", p->size);
    fprintf(out, ".kindname: \n");
    fprintf(out, ".kindheader: %s\n", p->kind_header);
    fprintf(out, ".numrows: %zu\n", p->nrows);
    for (size_t i = 0; i < p->nrows; i++)
        fprintf(out, ".r: %" PRIu64 " %" PRIu64 " %s\n", p->rows[i].count, p->rows[i].size,
                p->rows[i].kind);
    fprintf(out, ".end: .loader: _load_stat\n");
}

void format_objects(FILE *out, const struct heap *h, const uint32_t *indices, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t i = indices ? indices[k] : k;
        char where[8];
        unsigned origin = h->origin[i] & ORIGIN_MASK;
        if (origin == ORIGIN_GC_PERMANENT)
            snprintf(where, sizeof where, "p");
        else if (origin == ORIGIN_REFERENT)
            snprintf(where, sizeof where, "-");
        else
            snprintf(where, sizeof where, "%u", origin - ORIGIN_GC_GENERATION);
        fprintf(out, "0x%" PRIx64 "\t%" PRIu64 "\t%s\t%s\n", h->addr[i], h->size[i], where,
                h->types.v[h->type[i]].name);
    }
}

void format_referents(FILE *out, const struct heap *h, const uint32_t *indices, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t i = indices ? indices[k] : k;
        fprintf(out, "0x%" PRIx64, h->addr[i]);
        if (h->edge_start)
            for (uint64_t e = h->edge_start[i]; e < h->edge_start[i + 1]; e++)
                fprintf(out, " 0x%" PRIx64, h->addr[h->edge_to[e]]);
        fputc('\n', out);
    }
}

void format_id_text(FILE *out, const struct partition *p, size_t max_rows)
{
    fprintf(out, "Set of %" PRIu64 " %s object%s. Total size = %" PRIu64 " bytes.\n", p->count,
            p->id_kind, p->count == 1 ? "" : "s", p->size);
    fprintf(out, " Index     Size   %%   Cumulative  %%   %s\n", p->kind_header);
    size_t show = p->nrows;
    if (max_rows && max_rows < p->nrows) {
        show = max_rows;
        if (p->nrows - show == 1)
            show = p->nrows;
    }
    uint64_t cumulative = 0;
    for (size_t i = 0; i < show; i++) {
        const struct partition_row *r = &p->rows[i];
        cumulative += r->size;
        double whole = p->size ? (double)p->size : 1.0;
        fprintf(out, "%6zu %8" PRIu64 " %5.1f %9" PRIu64 " %5.1f %s\n", i, r->size,
                (double)r->size * 100.0 / whole, cumulative, (double)cumulative * 100.0 / whole, r->kind);
    }
    if (show < p->nrows)
        fprintf(out, "<%zu more rows. Type e.g. '_.more' to view.>\n", p->nrows - show);
}
