#include "output/format_triage_group.h"

#include <inttypes.h>
#include <time.h>

#include "output/json_writer.h"

static void utc(int64_t when, char *out, size_t cap)
{
    time_t t = (time_t)when;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, cap, "?");
}

static void signature_text(FILE *out, const struct crash_signature *s)
{
    for (size_t i = 0; i < s->count; i++)
        fprintf(out, "%s%s", i ? " < " : "", s->names[i]);
}

static size_t unreadable(const struct crash_report *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->ncases; i++)
        n += r->cases[i].error[0] != 0;
    return n;
}

void format_crash_groups_text(FILE *out, const struct crash_report *r)
{
    fprintf(out, "pyheapscan triage: %zu cores, %zu signatures, %zu unreadable\n\n", r->ncases, r->ngroups,
            unreadable(r));
    for (size_t g = 0; g < r->ngroups; g++) {
        const struct crash_group *grp = &r->groups[g];
        const struct crash_case *c = &r->cases[grp->first];
        char first[32], last[32];
        utc(grp->first_seen, first, sizeof first);
        utc(grp->last_seen, last, sizeof last);
        fprintf(out, "%3zu. %016" PRIx64 "  %zu core%s  %s  first %s  last %s\n", g + 1, c->sig.hash, grp->count,
                grp->count == 1 ? "" : "s", c->signal[0] ? c->signal : "no signal", first, last);
        fprintf(out, "     ");
        signature_text(out, &c->sig);
        fprintf(out, "\n     newest Python frame: %s\n     example: %s\n\n",
                c->python_frame[0] ? c->python_frame : "(none)", c->core);
    }
    for (size_t i = 0; i < r->ncases; i++)
        if (r->cases[i].error[0])
            fprintf(out, "unreadable: %s: %s\n", r->cases[i].core, r->cases[i].error);
}

void format_crash_groups_json(FILE *out, const struct crash_report *r)
{
    struct json_writer j;
    json_begin(&j, out);
    json_object_open(&j);
    json_kv_u64(&j, "cores", r->ncases);
    json_key(&j, "signatures");
    json_array_open(&j);
    for (size_t g = 0; g < r->ngroups; g++) {
        const struct crash_group *grp = &r->groups[g];
        const struct crash_case *c = &r->cases[grp->first];
        char when[32], hash[24];
        json_object_open(&j);
        snprintf(hash, sizeof hash, "%016" PRIx64, c->sig.hash);
        json_kv_str(&j, "signature", hash);
        json_key(&j, "frames");
        json_array_open(&j);
        for (size_t i = 0; i < c->sig.count; i++)
            json_str(&j, c->sig.names[i]);
        json_array_close(&j);
        json_kv_u64(&j, "count", grp->count);
        json_kv_str_or_null(&j, "signal", c->signal);
        utc(grp->first_seen, when, sizeof when);
        json_kv_str(&j, "first_seen", when);
        utc(grp->last_seen, when, sizeof when);
        json_kv_str(&j, "last_seen", when);
        json_kv_str_or_null(&j, "python_frame", c->python_frame);
        json_kv_str(&j, "example", c->core);
        json_key(&j, "cores");
        json_array_open(&j);
        for (size_t i = 0; i < r->ncases; i++)
            if (!r->cases[i].error[0] && r->cases[i].sig.hash == c->sig.hash)
                json_str(&j, r->cases[i].core);
        json_array_close(&j);
        json_object_close(&j);
    }
    json_array_close(&j);
    json_key(&j, "unreadable");
    json_array_open(&j);
    for (size_t i = 0; i < r->ncases; i++)
        if (r->cases[i].error[0]) {
            json_object_open(&j);
            json_kv_str(&j, "core", r->cases[i].core);
            json_kv_str(&j, "error", r->cases[i].error);
            json_object_close(&j);
        }
    json_array_close(&j);
    json_object_close(&j);
    fputc('\n', out);
}

/* Text as XML wants it in an attribute or an element: the five entities,
 * and no control character XML 1.0 forbids. */
static void xml_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '&')
            fputs("&amp;", out);
        else if (ch == '<')
            fputs("&lt;", out);
        else if (ch == '>')
            fputs("&gt;", out);
        else if (ch == '"')
            fputs("&quot;", out);
        else if (ch == '\'')
            fputs("&apos;", out);
        else if (ch < 0x20 && ch != '\n' && ch != '\t')
            fputc('?', out);
        else
            fputc(ch, out);
    }
}

void format_crash_groups_junit(FILE *out, const struct crash_report *r)
{
    size_t bad = unreadable(r), tests = r->ngroups + bad;
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(out, "<testsuites name=\"pyheapscan triage\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n", tests,
            r->ngroups, bad);
    fprintf(out, "  <testsuite name=\"pyheapscan triage\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                 "skipped=\"0\">\n",
            tests, r->ngroups, bad);
    for (size_t g = 0; g < r->ngroups; g++) {
        const struct crash_group *grp = &r->groups[g];
        const struct crash_case *c = &r->cases[grp->first];
        fprintf(out, "    <testcase classname=\"crash.%s\" name=\"%016" PRIx64 " ", c->signal[0] ? c->signal : "none",
                c->sig.hash);
        for (size_t i = 0; i < c->sig.count; i++) {
            fputs(i ? " &lt; " : "", out);
            xml_text(out, c->sig.names[i]);
        }
        fprintf(out, "\" time=\"0\">\n      <failure type=\"");
        xml_text(out, c->signal[0] ? c->signal : "none");
        fprintf(out, "\" message=\"%zu core%s, the newest ", grp->count, grp->count == 1 ? "" : "s");
        xml_text(out, c->core);
        fprintf(out, "\">");
        xml_text(out, c->exe);
        fprintf(out, " (pid %d), %s\n", c->pid, c->signal[0] ? c->signal : "no signal");
        xml_text(out, c->stack);
        fprintf(out, "</failure>\n    </testcase>\n");
    }
    for (size_t i = 0; i < r->ncases; i++) {
        if (!r->cases[i].error[0])
            continue;
        fprintf(out, "    <testcase classname=\"crash.unreadable\" name=\"");
        xml_text(out, r->cases[i].core);
        fprintf(out, "\" time=\"0\">\n      <error type=\"unreadable\" message=\"");
        xml_text(out, r->cases[i].error);
        fprintf(out, "\"/>\n    </testcase>\n");
    }
    fprintf(out, "  </testsuite>\n</testsuites>\n");
}
