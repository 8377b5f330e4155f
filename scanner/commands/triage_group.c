#include "commands/triage_group.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/output_file.h"
#include "commands/acquire.h"
#include "output/format_triage_group.h"
#include "stacks/crash_facts.h"
#include "stacks/native_stacks.h"
#include "stacks/thread_stacks.h"
#include "symbols/core_file.h"

enum { MAX_CASES = 4096 };

/* Whether path is a core as a directory of them holds one: an ELF core,
 * or compressed (zstd, lz4, xz, gzip: systemd-coredump's, or by hand). */
static bool looks_like_core(const char *path)
{
    unsigned char m[18] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = fread(m, 1, sizeof m, f);
    fclose(f);
    if (n >= 18 && !memcmp(m, "\x7f" "ELF", 4))
        return m[16] == 4 && m[17] == 0; /* e_type ET_CORE, little-endian */
    return core_file_compression(m, n) != NULL;
}

static bool add_case(struct crash_case *cases, size_t *n, const char *path)
{
    if (*n == MAX_CASES)
        return false;
    struct crash_case *c = &cases[(*n)++];
    memset(c, 0, sizeof *c);
    snprintf(c->core, sizeof c->core, "%s", path);
    return true;
}

/* The cores named: files as they are, directories' cores by name. */
static bool collect(const struct options *o, struct crash_case *cases, size_t *n, struct error *err)
{
    for (size_t i = 0; i < o->ncrashes; i++) {
        struct stat st;
        if (stat(o->crashes[i], &st) != 0)
            return fail(err, EXIT_USAGE, "%s: no such file or directory", o->crashes[i]);
        if (!S_ISDIR(st.st_mode)) {
            if (!add_case(cases, n, o->crashes[i]))
                return fail(err, EXIT_USAGE, "more than %d cores", MAX_CASES);
            continue;
        }
        struct dirent **names = NULL;
        int count = scandir(o->crashes[i], &names, NULL, alphasort);
        if (count < 0)
            return fail(err, EXIT_USAGE, "%s: cannot read the directory", o->crashes[i]);
        bool ok = true;
        for (int k = 0; k < count; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", o->crashes[i], names[k]->d_name);
            struct stat fst;
            if (ok && names[k]->d_name[0] != '.' && stat(path, &fst) == 0 && S_ISREG(fst.st_mode) &&
                looks_like_core(path) && !add_case(cases, n, path))
                ok = fail(err, EXIT_USAGE, "more than %d cores", MAX_CASES);
            free(names[k]);
        }
        free(names);
        if (!ok)
            return false;
    }
    if (!*n)
        return fail(err, EXIT_USAGE, "no core among %s", o->crashes[0]);
    return true;
}

/* One core, as `triage --core` reads it, reduced to its case. */
static void triage_one(const struct options *o, struct crash_case *c)
{
    struct options one = *o;
    one.core = c->core;
    one.ncrashes = 0;
    one.output = NULL;
    one.format = FORMAT_TEXT;
    struct acquired *a = malloc(sizeof *a);
    if (!a) {
        snprintf(c->error, sizeof c->error, "out of memory");
        return;
    }
    acquired_init(a);
    struct error err = {0};
    struct stat st;
    if (stat(c->core, &st) == 0)
        c->mtime = (int64_t)st.st_mtime;
    if (!acquire(&one, &(struct source){SOURCE_CORE, 0, c->core}, &a->h, &a->t, &a->facts, &err)) {
        snprintf(c->error, sizeof c->error, "%s", err.message[0] ? err.message : "unreadable");
    } else {
        const struct crash_facts *crash = a->facts.crash;
        const char *why = "";
        const struct thread_stack *th = thread_that_matters(crash ? crash->tid : 0, &a->stacks, &why);
        snprintf(c->signal, sizeof c->signal, "%s", crash ? crash->signal_name : "");
        snprintf(c->exe, sizeof c->exe, "%s", a->t.binary);
        c->pid = (int)a->t.pid;
        if (th) {
            crash_signature_of(native_of(&a->native, th), th, &c->sig);
            if (th->nframes)
                snprintf(c->python_frame, sizeof c->python_frame, "%s (%s:%" PRId64 ")", th->frames[0].qualname,
                         th->frames[0].file, th->frames[0].line);
            size_t len = 0;
            for (size_t i = 0; i < th->nframes && len < sizeof c->stack - 1; i++) {
                int w = snprintf(c->stack + len, sizeof c->stack - len, "%s (%s:%" PRId64 ")\n",
                                 th->frames[i].qualname, th->frames[i].file, th->frames[i].line);
                if (w < 0)
                    break;
                len += (size_t)w;
            }
        }
    }
    acquired_free(a);
    free(a);
}

int triage_group(const struct options *o, struct error *err)
{
    struct crash_case *cases = calloc(MAX_CASES, sizeof *cases);
    struct crash_group *groups = calloc(MAX_CASES, sizeof *groups);
    size_t n = 0;
    bool ok = (cases && groups) || fail(err, EXIT_INTERNAL, "out of memory");
    ok = ok && collect(o, cases, &n, err);
    for (size_t i = 0; ok && i < n; i++)
        triage_one(o, &cases[i]);
    size_t ngroups = ok ? crash_groups_make(cases, n, groups) : 0;
    struct output_file out = {0};
    if (ok)
        ok = output_open(&out, o->output, err);
    if (ok) {
        struct crash_report r = {cases, n, groups, ngroups};
        if (o->format == FORMAT_JSON)
            format_crash_groups_json(out.fp, &r);
        else if (o->format == FORMAT_JUNIT)
            format_crash_groups_junit(out.fp, &r);
        else
            format_crash_groups_text(out.fp, &r);
        ok = output_commit(&out, err);
    }
    free(cases);
    free(groups);
    return ok ? EXIT_OK : err->code;
}
