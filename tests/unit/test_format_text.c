/* heapy's partition table, to the letter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/format.h"

static char *render(const struct partition *p, size_t max_rows)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    format_partition_text(out, p, max_rows);
    fclose(out);
    return buf;
}

static struct partition make(struct partition_row *rows, size_t n)
{
    struct partition p = {.by = BY_TYPE, .kind_header = "Type", .rows = rows, .nrows = n};
    for (size_t i = 0; i < n; i++) {
        p.count += rows[i].count;
        p.size += rows[i].size;
    }
    return p;
}

static void prints_label_header_and_rows(void **state)
{
    (void)state;
    struct partition_row rows[] = {
        {"str", 13055, 1116178, 0},
        {"types.CodeType", 2987, 1079944, 0},
        {"__main__.Node", 2, 112, 0},
    };
    struct partition p = make(rows, 3);
    char *s = render(&p, HEAPY_ROWS_PER_PAGE);
    assert_string_equal(s,
        "Partition of a set of 16044 objects. Total size = 2196234 bytes.\n"
        " Index  Count   %     Size   % Cumulative  % Type\n"
        "     0  13055  81  1116178  51   1116178  51 str\n"
        "     1   2987  19  1079944  49   2196122 100 types.CodeType\n"
        "     2      2   0      112   0   2196234 100 __main__.Node\n");
    free(s);
}

static void says_object_for_one(void **state)
{
    (void)state;
    struct partition_row rows[] = {{"list", 1, 56, 0}};
    struct partition p = make(rows, 1);
    char *s = render(&p, HEAPY_ROWS_PER_PAGE);
    assert_non_null(strstr(s, "Partition of a set of 1 object. Total size = 56 bytes.\n"));
    free(s);
}

static void rounds_percentages_half_to_even(void **state)
{
    (void)state;
    /* 1/8 = 12.5% -> 12; 3/8 = 37.5% -> 38; 4/8 = 50. */
    struct partition_row rows[] = {{"a", 4, 40, 0}, {"b", 3, 30, 0}, {"c", 1, 10, 0}};
    struct partition p = make(rows, 3);
    char *s = render(&p, 0);
    assert_non_null(strstr(s, "     0      4  50       40  50        40  50 a\n"));
    assert_non_null(strstr(s, "     1      3  38       30  38        70  88 b\n"));
    assert_non_null(strstr(s, "     2      1  12       10  12        80 100 c\n"));
    free(s);
}

static struct partition_row *many_rows(size_t n)
{
    struct partition_row *rows = calloc(n, sizeof *rows);
    static char names[40][24];
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "k%02zu", i);
        rows[i] = (struct partition_row){names[i], 1, 1000 - i, 0};
    }
    return rows;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void pages_like_heapy(void **state)
{
    (void)state;
    /* 11 rows: all printed, no footer (the footer never says "1 more"). */
    struct partition_row *rows = many_rows(12);
    struct partition p = make(rows, 11);
    char *s = render(&p, HEAPY_ROWS_PER_PAGE);
    assert_int_equal(count_lines(s), 2 + 11);
    assert_null(strstr(s, "more rows"));
    free(s);
    /* 12 rows: 10 and the footer. */
    p = make(rows, 12);
    s = render(&p, HEAPY_ROWS_PER_PAGE);
    assert_int_equal(count_lines(s), 2 + 10 + 1);
    assert_non_null(strstr(s, "<2 more rows. Type e.g. '_.more' to view.>\n"));
    free(s);
    /* --all */
    s = render(&p, 0);
    assert_int_equal(count_lines(s), 2 + 12);
    free(s);
    free(rows);
}

/* Long kinds wrap as textwrap.wrap(stats + kind, 100) wraps them, the
 * continuation lines indented to the stats (expected text made by Python's
 * textwrap); an empty kind (Via with no referrers) ends the row with the
 * numbers. */
static void wraps_long_kinds_like_textwrap(void **state)
{
    (void)state;
    struct partition_row rows[] = {
        {"\"['key_number_0_long']\", \"['key_number_10_long']\", \"['key_number_11_long']\", "
         "\"['key_number_1_long']\", \"['key_number_2_long']\", \"['key_number_3_long']\", "
         "\"['key_number_4_long']\", \"['key_number_5_long']\", \"['key_number_6_long']\", "
         "\"['key_number_7_long']\", \"['key_number_8_long']\", \"['key_number_9_long']\"",
         1, 64, 0},
        {"", 1, 0, 0},
    };
    struct partition p = make(rows, 2);
    p.kind_header = "Referred Via:";
    char *s = render(&p, HEAPY_ROWS_PER_PAGE);
    assert_string_equal(s,
        "Partition of a set of 2 objects. Total size = 64 bytes.\n"
        " Index  Count   %     Size   % Cumulative  % Referred Via:\n"
        "     0      1  50       64 100        64 100 \"['key_number_0_long']\", \"['key_number_10_long']\",\n"
        "                                             \"['key_number_11_long']\", \"['key_number_1_long']\",\n"
        "                                             \"['key_number_2_long']\", \"['key_number_3_long']\",\n"
        "                                             \"['key_number_4_long']\", \"['key_number_5_long']\",\n"
        "                                             \"['key_number_6_long']\", \"['key_number_7_long']\",\n"
        "                                             \"['key_number_8_long']\", \"['key_number_9_long']\"\n"
        "     1      1  50        0   0        64 100\n");
    free(s);
}

/* An empty set: heapy's row header is empty, so only the label is left. */
static void prints_only_the_label_of_nothing(void **state)
{
    (void)state;
    struct partition p = make(NULL, 0);
    char *s = render(&p, HEAPY_ROWS_PER_PAGE);
    assert_string_equal(s, "Partition of a set of 0 objects. Total size = 0 bytes.\n");
    free(s);
}

static void widens_columns_for_big_numbers(void **state)
{
    (void)state;
    struct partition_row rows[] = {{"int", 10000763, 280021364, 0}};
    struct partition p = make(rows, 1);
    char *s = render(&p, 0);
    assert_non_null(strstr(s, "     0 10000763 100 280021364 100 280021364 100 int\n"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prints_label_header_and_rows),
        cmocka_unit_test(says_object_for_one),
        cmocka_unit_test(rounds_percentages_half_to_even),
        cmocka_unit_test(pages_like_heapy),
        cmocka_unit_test(widens_columns_for_big_numbers),
        cmocka_unit_test(wraps_long_kinds_like_textwrap),
        cmocka_unit_test(prints_only_the_label_of_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
