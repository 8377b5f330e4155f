/* Python's repr of floats and str, and heapy's relation names, as the
 * scanner writes them: expected texts are what CPython 3.11 prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "model/pyrepr.h"
#include "model/relation.h"

static void floats_read_back_like_python(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *repr;
    } cases[] = {
        {0.1, "0.1"}, {1e22, "1e+22"}, {1e16, "1e+16"}, {1e15, "1000000000000000.0"},
        {123456789012345678.0, "1.2345678901234568e+17"}, {1.5e-7, "1.5e-07"}, {0.0001, "0.0001"},
        {0.00001, "1e-05"}, {2.5, "2.5"}, {-0.0, "-0.0"}, {3.141592653589793, "3.141592653589793"},
        {1.0 / 3, "0.3333333333333333"}, {100.0, "100.0"}, {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        py_repr_float(cases[i].v, buf, sizeof buf);
        assert_string_equal(buf, cases[i].repr);
    }
}

static void strs_quote_and_escape_like_python(void **state)
{
    (void)state;
    static const struct {
        const char *s, *repr;
    } cases[] = {
        {"abc", "'abc'"}, {"it's", "\"it's\""}, {"say \"hi\"", "'say \"hi\"'"},
        {"both ' and \"", "'both \\' and \"'"}, {"tab\there", "'tab\\there'"}, {"nl\n", "'nl\\n'"},
        {"\x7f", "'\\x7f'"}, {"\xc3\xa9", "'\xc3\xa9'"}, {"\xc2\x85", "'\\x85'"}, {"\\", "'\\\\'"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        py_repr_str(cases[i].s, strlen(cases[i].s), buf, sizeof buf);
        assert_string_equal(buf, cases[i].repr);
    }
}

static void relations_render_as_heapy_writes_them(void **state)
{
    (void)state;
    struct name_table names = {0};
    uint32_t key = name_table_intern(&names, "'data'");
    uint32_t attr = name_table_intern(&names, "cell_contents");
    uint32_t local = name_table_intern(&names, "x");
    assert_int_equal(name_table_intern(&names, "'data'"), key);
    static const char *const want[] = {"[3]", ".keys()[2]", "['data']", ".cell_contents", "->cell_contents",
                                       ".f_locals['x']", "->f_valuestack[1]", "list(_)[0]"};
    uint32_t labels[] = {REL_LABEL(REL_INDEX, 3), REL_LABEL(REL_KEY, 2), REL_LABEL(REL_VALUE, key),
                         REL_LABEL(REL_ATTR, attr), REL_LABEL(REL_INTERATTR, attr),
                         REL_LABEL(REL_LOCAL, local), REL_LABEL(REL_STACK, 1), REL_LABEL(REL_INSET, 5)};
    char buf[64];
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        relation_render(&names, labels[i], true, buf, sizeof buf);
        assert_string_equal(buf, want[i]);
    }
    /* Outside Via a set member keeps its position. */
    relation_render(&names, REL_LABEL(REL_INSET, 5), false, buf, sizeof buf);
    assert_string_equal(buf, "list(_)[5]");
    name_table_free(&names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(floats_read_back_like_python),
        cmocka_unit_test(strs_quote_and_escape_like_python),
        cmocka_unit_test(relations_render_as_heapy_writes_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
