#include "output/format.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/utf8.h"

/* heapy wraps each row as textwrap.wrap(stats + kind, width=100) with the
 * continuation lines indented to the stats' width: lines break at spaces
 * (the ", " between Via's and Rcs's names), spaces at the ends of lines
 * go, a word longer than a line is cut.  Widths count characters. */
#define HEAPY_LINE_LENGTH 100

static void print_wrapped(FILE *out, const char *stats, const char *kind)
{
    size_t indent = strlen(stats);
    size_t col = indent;
    bool line_has_word = false;
    if (!kind[strspn(kind, " ")]) { /* nothing to show: the line ends with the numbers */
        fprintf(out, "%.*s\n", (int)(indent && stats[indent - 1] == ' ' ? indent - 1 : indent), stats);
        return;
    }
    fputs(stats, out);
    const char *p = kind;
    /* Leading spaces of the kind stay on the first line, as textwrap keeps
     * a paragraph's leading whitespace there. */
    while (*p) {
        size_t spaces = strspn(p, " ");
        const char *word = p + spaces;
        size_t wlen = strcspn(word, " ");
        if (!wlen)
            break;
        size_t wchars = utf8_count(word, wlen);
        if (line_has_word && col + spaces + wchars > HEAPY_LINE_LENGTH) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
            spaces = 0;
        }
        for (size_t k = 0; k < spaces; k++)
            fputc(' ', out);
        col += spaces;
        /* A word too long for any line is cut where the line ends. */
        while (col + wchars > HEAPY_LINE_LENGTH && HEAPY_LINE_LENGTH > col) {
            size_t room = HEAPY_LINE_LENGTH - col;
            size_t cut = utf8_prefix(word, wlen, room);
            fwrite(word, 1, cut, out);
            word += cut;
            wlen -= cut;
            wchars -= room;
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        }
        fwrite(word, 1, wlen, out);
        col += wchars;
        line_has_word = true;
        p = word + wlen;
    }
    fputc('\n', out);
}

/* heapy prints int('%.0f' % pct): round half to even, which printf does. */
static void pct(char *buf, size_t cap, uint64_t part, uint64_t whole)
{
    double v = whole ? (double)part * 100.0 / (double)whole : 0.0;
    snprintf(buf, cap, "%.0f", v);
}

/* How many rows heapy prints for max_rows (0: all): a lone last row is
 * printed rather than a footer announcing it. */
static size_t rows_shown(const struct partition *p, size_t max_rows)
{
    if (!max_rows || max_rows >= p->nrows || p->nrows - max_rows == 1)
        return p->nrows;
    return max_rows;
}

/* The numbers before a row's kind, as one of heapy's formats prints them. */
typedef void (*row_stats_fn)(char *out, size_t cap, const struct partition *p, size_t i,
                             uint64_t cumulative);

static void set_format_stats(char *out, size_t cap, const struct partition *p, size_t i, uint64_t cumulative)
{
    const struct partition_row *r = &p->rows[i];
    char pc[32], ps[32], pcum[32];
    pct(pc, sizeof pc, r->count, p->count);
    pct(ps, sizeof ps, r->size, p->size);
    pct(pcum, sizeof pcum, cumulative, p->size);
    int n = snprintf(out, cap, "%6zu %6" PRIu64 " %3s %8" PRIu64 " %3s %9" PRIu64 " %3s ", i, r->count, pc,
                     r->size, ps, cumulative, pcum);
    /* --retained: the bytes only this row's set keeps alive, and their
     * share of the set's size */
    if (p->has_retained && n > 0 && (size_t)n < cap) {
        char pr[32] = "";
        if (i < p->nretained)
            pct(pr, sizeof pr, r->retained, p->size);
        if (i < p->nretained)
            snprintf(out + n, cap - (size_t)n, "%9" PRIu64 " %3s ", r->retained, pr);
        else
            snprintf(out + n, cap - (size_t)n, "%9s %3s ", "?", "");
    }
}

static void id_format_stats(char *out, size_t cap, const struct partition *p, size_t i, uint64_t cumulative)
{
    const struct partition_row *r = &p->rows[i];
    double whole = p->size ? (double)p->size : 1.0;
    snprintf(out, cap, "%6zu %8" PRIu64 " %5.1f %9" PRIu64 " %5.1f ", i, r->size,
             (double)r->size * 100.0 / whole, cumulative, (double)cumulative * 100.0 / whole);
}

/* What follows the label in both formats: the header (none for an empty
 * set, whose header heapy leaves empty), the rows shown, the footer. */
static void print_rows(FILE *out, const struct partition *p, size_t max_rows, const char *stat_header,
                       row_stats_fn stats_of)
{
    if (!p->count && !p->size)
        return;
    fprintf(out, "%s%s\n", stat_header, p->kind_header);
    size_t show = rows_shown(p, max_rows);
    uint64_t cumulative = 0;
    char stats[160];
    for (size_t i = 0; i < show; i++) {
        cumulative += p->rows[i].size;
        stats_of(stats, sizeof stats, p, i, cumulative);
        print_wrapped(out, stats, p->rows[i].kind);
    }
    if (show < p->nrows)
        fprintf(out, "<%zu more rows. Type e.g. '_.more' to view.>\n", p->nrows - show);
}

void format_partition_text(FILE *out, const struct partition *p, size_t max_rows)
{
    fprintf(out, "Partition of a set of %" PRIu64 " object%s. Total size = %" PRIu64 " bytes.\n",
            p->count, p->count == 1 ? "" : "s", p->size);
    print_rows(out, p, max_rows,
               p->has_retained ? " Index  Count   %     Size   % Cumulative  %  Retained   % "
                               : " Index  Count   %     Size   % Cumulative  % ",
               set_format_stats);
}

void format_partition_heapy(FILE *out, const struct partition *p, double timemade)
{
    /* IdFormat (--by id): rows are "size name", a count of one implied;
     * the kind name is the set's kind, as its label shows it. */
    fprintf(out, ".loader: _load_stat\n");
    fprintf(out, ".format: %s\n", p->id_format ? "IdFormat" : "SetFormat");
    fprintf(out, ".timemade: %f\n", timemade);
    fprintf(out, ".count: %" PRIu64 "\n", p->count);
    fprintf(out, ".size: %" PRIu64 "\n", p->size);
    if (p->id_format && strlen(p->id_kind) >= 2)
        fprintf(out, ".kindname: %.*s\n", (int)strlen(p->id_kind) - 2, p->id_kind + 1);
    else
        fprintf(out, ".kindname: \n");
    fprintf(out, ".kindheader: %s\n", p->kind_header);
    fprintf(out, ".numrows: %zu\n", p->nrows);
    for (size_t i = 0; i < p->nrows; i++) {
        if (p->id_format)
            fprintf(out, ".r: %" PRIu64 " ", p->rows[i].size);
        else
            fprintf(out, ".r: %" PRIu64 " %" PRIu64 " ", p->rows[i].count, p->rows[i].size);
        for (const char *c = p->rows[i].kind; *c; c++) /* a name is one line of the file */
            fputc(*c == '\n' ? ' ' : *c, out);
        fputc('\n', out);
    }
    fprintf(out, ".end: .loader: _load_stat\n");
}

void format_objects(FILE *out, const struct heap *h, const uint32_t *indices, size_t n, bool referents)
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
        /* What the scanner could not model for this object: its size (s),
         * its referents (r: only when the request is about referents, as
         * JSON's opaque_referents, so that a live --set gc and a snapshot
         * print the same). */
        char flags[3] = "-", *f = flags;
        if (h->origin[i] & OBJECT_INEXACT_SIZE)
            *f++ = 's';
        if (referents && (h->origin[i] & OBJECT_OPAQUE))
            *f++ = 'r';
        if (f != flags)
            *f = '\0';
        fprintf(out, "0x%" PRIx64 "\t%" PRIu64 "\t%s\t%s\t%s\n", h->addr[i], h->size[i], where,
                h->types.v[h->type[i]].name, flags);
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
    print_rows(out, p, max_rows, " Index     Size   %   Cumulative  %   ", id_format_stats);
}
