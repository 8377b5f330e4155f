#include "output/format.h"

#include <inttypes.h>

void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        switch (*c) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*c < 0x20)
                fprintf(out, "\\u%04x", *c);
            else
                fputc(*c, out);
        }
    }
    fputc('"', out);
}

void json_string_or_null(FILE *out, const char *s)
{
    if (s && s[0])
        json_string(out, s);
    else
        fputs("null", out);
}

void format_partition_json(FILE *out, const struct partition *p, const struct scan_facts *f,
                           size_t max_rows)
{
    const struct target *t = f->t;
    fprintf(out, "{\"pid\": %d, \"python\": {\"version\": ", (int)t->pid);
    json_string(out, t->version_text);
    fprintf(out, ", \"hexversion\": %" PRIu32 ", \"debug\": %s, \"libpython\": \"%s\", "
                 "\"pie\": %s, \"binary\": ",
            t->version_hex, t->debug ? "true" : "false", t->shared_libpython ? "shared" : "static",
            t->pie ? "true" : "false");
    json_string(out, t->binary);
    fprintf(out, ", \"layout\": ");
    json_string(out, t->layout_key);
    fprintf(out, ", \"layout_tested\": %s, \"layout_found_in_memory\": ",
            t->layout_tested ? "true" : "false");
    json_string(out, t->layout_note);
    fprintf(out, "}, \"set\": ");
    json_string(out, f->set);
    fprintf(out, ", \"classifier\": ");
    json_string(out, classifier_name(p->by));
    fprintf(out, ", \"kind_header\": ");
    json_string(out, p->kind_header);
    if (p->id_format) {
        fprintf(out, ", \"set_kind\": ");
        json_string(out, p->id_kind);
    }
    fprintf(out, ", \"count\": %" PRIu64 ", \"size\": %" PRIu64 ", \"rows\": [", p->count, p->size);
    size_t show = max_rows && max_rows < p->nrows ? max_rows : p->nrows;
    for (size_t i = 0; i < show; i++) {
        const struct partition_row *r = &p->rows[i];
        fprintf(out, "%s{\"index\": %zu, \"count\": %" PRIu64 ", \"size\": %" PRIu64 ", \"kind\": ",
                i ? ", " : "", i, r->count, r->size);
        json_string(out, r->kind);
        if (p->has_retained && i < p->nretained)
            fprintf(out, ", \"retained\": %" PRIu64, r->retained);
        fputc('}', out);
    }
    char opaque[32] = "null"; /* referents were not asked for */
    if (f->opaque_objects != UINT64_MAX)
        snprintf(opaque, sizeof opaque, "%" PRIu64, f->opaque_objects);
    fprintf(out, "], \"source\": {\"kind\": ");
    json_string(out, f->source ? f->source : "live");
    if (f->core_path) {
        fprintf(out, ", \"core\": ");
        json_string(out, f->core_path);
        fprintf(out, ", \"signal\": %d", f->core_signal);
    }
    const struct damage none = {0}, *d = f->t ? &f->t->damage : &none;
    fprintf(out, "}, \"more_rows\": %zu, \"threads\": %d, \"gc_collecting\": %s, "
                 "\"inexact_sizes\": %" PRIu64 ", \"opaque_referents\": %s, "
                 "\"damaged\": {\"lengths\": %" PRIu64 ", \"cycles\": %" PRIu64 "}, "
                 "\"timing\": {\"stopped_seconds\": %.6f, \"total_seconds\": %.6f}}\n",
            p->nrows - show, f->threads, f->collecting ? "true" : "false", f->inexact_sizes, opaque,
            d->lengths, d->cycles, f->stopped_seconds, f->total_seconds);
}
