/* The command line's rules, case by case: what each command takes, which
 * options exclude each other, and the one line a refusal says (exit 2). */
/* Before cmocka.h, whose fail() macro would take errors.h's function. */
#include "cli.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 16

/* Parses the words of line (split at spaces) after "pyheapscan". */
static bool parse(const char *line, struct options *o, struct error *err)
{
    static char buf[512];
    char *argv[MAX_ARGS + 1] = {"pyheapscan"};
    int argc = 1;
    snprintf(buf, sizeof buf, "%s", line);
    for (char *w = strtok(buf, " "); w && argc < MAX_ARGS; w = strtok(NULL, " "))
        argv[argc++] = w;
    argv[argc] = NULL;
    memset(err, 0, sizeof *err);
    return cli_parse(argc, argv, o, err);
}

static void accepted(const char *line, struct options *o)
{
    struct error err;
    if (!parse(line, o, &err))
        fail_msg("'%s' refused: %s", line, err.message);
}

static void refused(const char *line, const char *words)
{
    struct options o;
    struct error err;
    if (parse(line, &o, &err))
        fail_msg("'%s' accepted", line);
    assert_int_equal(err.code, EXIT_USAGE);
    if (!strstr(err.message, words))
        fail_msg("'%s': '%s' does not say '%s'", line, err.message, words);
    assert_null(strchr(err.message, '\n'));
}

static void test_defaults(void **state)
{
    (void)state;
    struct options o;
    accepted("-p 42", &o);
    assert_int_equal(o.pid, 42);
    assert_string_equal(o.set, "reachable");
    assert_int_equal(o.by, BY_CLODO);
    assert_int_equal(o.format, FORMAT_TEXT);
    assert_int_equal(o.max_rows, 10);
    assert_null(o.output);
}

static void test_sources_exclude_each_other(void **state)
{
    (void)state;
    refused("", "say what to scan");
    refused("-p 1 --core c", "exclude each other");
    refused("--core c --load s", "exclude each other");
    refused("--load s --save t", "go with -p or --core");
    refused("-p 1 --redact", "--redact goes with --save");
    refused("-p 1 --sysroot /x", "go with --core");
    refused("-p 1 extra", "unexpected argument 'extra'");
    refused("-p 1 --bogus", "unknown option --bogus");
    refused("-p", "needs a value");
    struct options o;
    accepted("--core c --sysroot /x --exe /e", &o);
    assert_string_equal(o.core, "c");
    assert_string_equal(o.sysroot, "/x");
}

static void test_formats_by_name(void **state)
{
    (void)state;
    const char *names[] = {"text", "json", "heapy", "pympler", "objects", "referents"};
    const enum output_format formats[] = {FORMAT_TEXT, FORMAT_JSON, FORMAT_HEAPY, FORMAT_PYMPLER,
                                          FORMAT_OBJECTS, FORMAT_REFERENTS};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char line[64];
        struct options o;
        snprintf(line, sizeof line, "-p 1 --format %s", names[i]);
        accepted(line, &o);
        assert_int_equal(o.format, formats[i]);
    }
    refused("-p 1 --format yaml", "'yaml' is not one of: text, json");
    /* pympler's table is of muppy's set unless a set is named */
    struct options o;
    accepted("-p 1 --format pympler", &o);
    assert_string_equal(o.set, "muppy");
    accepted("-p 1 --format pympler --set gc", &o);
    assert_string_equal(o.set, "gc");
    refused("-p 1 --format html", "html is the report of suspects");
    refused("-p 1 --format dot", "dot draws paths, top");
}

static void test_commands(void **state)
{
    (void)state;
    struct options o;
    accepted("refs -p 1 0x10", &o);
    assert_true(o.refs);
    assert_int_equal(o.refs_addr, 0x10);
    refused("refs -p 1", "refs takes one object address");
    refused("refs -p 1 0x10 --save s", "refs does not save");
    refused("refs -p 1 0x10 --format json", "refs writes text");
    accepted("paths -p 1 0x20", &o);
    assert_true(o.paths);
    accepted("paths -p 1 --where list", &o);
    refused("paths -p 1 0x20 --where list", "one object address or --where KIND");
    refused("paths -p 1 --set all 0x20", "paths reads the reachable set");
    accepted("stacks -p 1 --native --locals --format json", &o);
    assert_true(o.stacks && o.native && o.locals);
    refused("stacks --load s --native", "a snapshot keeps no native frames");
    refused("stacks -p 1 --set gc", "stacks writes text or json");
    refused("-p 1 --locals", "--locals and --native go with stacks");
    accepted("triage -p 1", &o);
    assert_true(o.triage && o.stacks && o.native);
    refused("triage --load s", "triage reads a process or a core");
    accepted("top -p 1 -n 5 --depth 2", &o);
    refused("top -p 1 --by type --depth 2", "--depth opens objects");
    refused("-p 1 --depth 2", "--depth goes with top");
    refused("-p 1 --retained --format objects", "--retained goes with the text and json");
    refused("-p 1 --retained --set garbage", "only reachable objects retain");
}

static void test_suspects_and_diff(void **state)
{
    (void)state;
    struct options o;
    accepted("suspects -p 1 --threshold 5 --format html -o r.html", &o);
    assert_true(o.suspects);
    accepted("suspects a.snap b.snap c.snap", &o);
    assert_int_equal(o.nseries, 3);
    assert_null(o.load);
    accepted("suspects --load a --load b", &o);
    assert_int_equal(o.nseries, 2);
    refused("suspects -p 1 a b", "suspects reads one heap");
    refused("suspects -p 1 --set all", "suspects reads the reachable set");
    refused("suspects -p 1 --format objects", "suspects writes text, json, html or dot");
    accepted("diff a.snap 42 --by type --format json", &o);
    assert_string_equal(o.diff_before, "a.snap");
    assert_string_equal(o.diff_after, "42");
    refused("diff a.snap", "diff takes two sources");
    refused("diff a b -p 1", "diff takes two sources");
    refused("diff a b --format pympler", "diff writes text, json or objects");
    refused("diff a b --by via", "diff partitions by");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_sources_exclude_each_other),
        cmocka_unit_test(test_formats_by_name),
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_suspects_and_diff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
