#include "commands/stacks_triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/partition.h"
#include "analysis/select.h"
#include "base/output_file.h"
#include "model/damage.h"
#include "output/format_stacks.h"
#include "output/format_triage.h"
#include "source/live_source.h"
#include "stacks/native_stacks.h"
#include "stacks/thread_stacks.h"

/* A snapshot keeps every frame's locals; stacks --load shows them when
 * asked, as a live stacks does. */
static void drop_locals(struct thread_stacks *s)
{
    for (size_t i = 0; i < s->count; i++)
        for (size_t k = 0; k < s->threads[i].nframes; k++) {
            free(s->threads[i].frames[k].locals);
            s->threads[i].frames[k].locals = NULL;
            s->threads[i].frames[k].nlocals = 0;
        }
}

bool write_stacks(const struct options *o, struct target *t, struct scan_facts *facts, double total_seconds,
                  struct error *err)
{
    struct output_file out = {0};
    damage_report(&t->damage);
    if (o->load && facts->stacks_missing[0])
        return fail(err, EXIT_BAD_SNAPSHOT, "%s keeps no stacks: %s", o->load, facts->stacks_missing);
    if (o->load && !o->locals)
        drop_locals(facts->stacks);
    if (!output_open(&out, o->output, err))
        return false;
    const struct native_stacks *native = o->native ? facts->native : NULL;
    if (o->format == FORMAT_JSON)
        format_stacks_json(out.fp, facts->crash, facts->stacks, native, facts->stopped_seconds,
                           total_seconds);
    else
        format_stacks_text(out.fp, facts->crash, facts->stacks, native);
    return output_commit(&out, err);
}

/* triage: the stacks, the crash, and the reachable set's top rows by
 * class or dict owner when the heap could be read. */
bool write_triage(const struct options *o, struct target *t, struct heap *h,
                         struct scan_facts *facts, struct error *err)
{
    struct partition p = {0};
    uint32_t *sel = NULL;
    size_t n = 0;
    bool heap = h->count && !facts->triage->heap_error[0];
    if (heap && (!select_set("reachable", h, t->minor, &sel, &n, err) ||
                 !partition_build_subset(h, BY_CLODO, NULL, sel, n, &p))) {
        free(sel);
        return err->code ? false : fail(err, EXIT_INTERNAL, "out of memory");
    }
    char source[160];
    if (strcmp(facts->source, "core") == 0)
        snprintf(source, sizeof source, "core of process %d", (int)t->pid);
    else
        live_process_label(t->pid, source, sizeof source);
    struct triage_report r = {source, t, facts->crash, facts->stacks, facts->native,
                              heap ? &p : NULL, facts->triage->heap_error};
    damage_report(&t->damage);
    struct output_file out = {0};
    bool ok = output_open(&out, o->output, err);
    if (ok) {
        if (o->format == FORMAT_JSON)
            format_triage_json(out.fp, &r);
        else
            format_triage_text(out.fp, &r);
        ok = output_commit(&out, err);
    }
    partition_free(&p);
    free(sel);
    return ok;
}
