#include "output/format.h"

#include <stdio.h>

#include "output/json_writer.h"

void format_partition_json(FILE *out, const struct partition *p, const struct scan_facts *f,
                           size_t max_rows)
{
    const struct target *t = f->t;
    struct json_writer jw, *j = &jw;
    json_begin(j, out);
    json_object_open(j);
    json_kv_i64(j, "pid", t->pid);
    json_key(j, "python");
    json_object_open(j);
    json_kv_str(j, "version", t->version_text);
    json_kv_u64(j, "hexversion", t->version_hex);
    json_kv_bool(j, "debug", t->debug);
    json_kv_str(j, "libpython", t->shared_libpython ? "shared" : "static");
    json_kv_bool(j, "pie", t->pie);
    json_kv_str(j, "binary", t->binary);
    json_kv_str(j, "layout", t->layout_key);
    json_kv_bool(j, "layout_tested", t->layout_tested);
    json_kv_str(j, "layout_found_in_memory", t->layout_note);
    json_object_close(j);
    json_kv_str(j, "set", f->set);
    json_kv_str(j, "classifier", classifier_name(p->by));
    json_kv_str(j, "kind_header", p->kind_header);
    if (p->id_format)
        json_kv_str(j, "set_kind", p->id_kind);
    json_kv_u64(j, "count", p->count);
    json_kv_u64(j, "size", p->size);
    json_key(j, "rows");
    json_array_open(j);
    size_t show = max_rows && max_rows < p->nrows ? max_rows : p->nrows;
    for (size_t i = 0; i < show; i++) {
        const struct partition_row *r = &p->rows[i];
        json_object_open(j);
        json_kv_u64(j, "index", i);
        json_kv_u64(j, "count", r->count);
        json_kv_u64(j, "size", r->size);
        json_kv_str(j, "kind", r->kind);
        if (p->has_retained && i < p->nretained)
            json_kv_u64(j, "retained", r->retained);
        json_object_close(j);
    }
    json_array_close(j);
    json_key(j, "source");
    json_object_open(j);
    json_kv_str(j, "kind", f->source ? f->source : "live");
    if (f->core_path) {
        json_kv_str(j, "core", f->core_path);
        json_kv_i64(j, "signal", f->core_signal);
    }
    json_object_close(j);
    const struct damage none = {0}, *d = f->t ? &f->t->damage : &none;
    json_kv_u64(j, "more_rows", p->nrows - show);
    json_kv_i64(j, "threads", f->threads);
    json_kv_bool(j, "gc_collecting", f->collecting);
    json_kv_u64(j, "inexact_sizes", f->inexact_sizes);
    /* null: referents were not asked for */
    if (f->opaque_objects != UINT64_MAX)
        json_kv_u64(j, "opaque_referents", f->opaque_objects);
    else
        json_kv_null(j, "opaque_referents");
    json_key(j, "damaged");
    json_object_open(j);
    json_kv_u64(j, "lengths", d->lengths);
    json_kv_u64(j, "cycles", d->cycles);
    json_object_close(j);
    json_kv_timing(j, f->stopped_seconds, f->total_seconds);
    json_object_close(j);
    fputc('\n', out);
}
