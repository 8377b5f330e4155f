/* The two checks that keep a scan of damaged memory bounded: a count must
 * claim no more than the readable memory it lies in (mem_span, mem_array),
 * and a linked list that comes back on itself is noticed (chain_guard). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/damage.h"
#include "source/memory.h"

static unsigned char buffer_a[4096], buffer_b[4096], buffer_c[4096];

/* Three regions: two adjacent ([0x10000, 0x12000)), one after a gap. */
static void three_regions(struct memory *m)
{
    memory_init(m);
    m->borrowed = true;
    assert_true(memory_add_region(m, 0x10000, 0x11000, buffer_a));
    assert_true(memory_add_region(m, 0x11000, 0x12000, buffer_b));
    assert_true(memory_add_region(m, 0x20000, 0x21000, buffer_c));
}

static void spans_inside_and_across_adjacent_regions(void **state)
{
    (void)state;
    struct memory m;
    three_regions(&m);
    assert_true(mem_span(&m, 0x10000, 0x1000));
    assert_true(mem_span(&m, 0x10ff8, 16));          /* across the seam */
    assert_true(mem_span(&m, 0x10000, 0x2000));       /* both regions whole */
    assert_false(mem_span(&m, 0x10000, 0x2001));      /* one byte past */
    assert_false(mem_span(&m, 0x11ff8, 0x10000));     /* into the gap */
    assert_false(mem_span(&m, 0x12000, 8));           /* in the gap */
    assert_true(mem_span(&m, 0x20ff8, 8));
    assert_false(mem_span(&m, 0x20ff8, 9));
    assert_true(mem_span(&m, 0x30000, 0));            /* nothing to read */
    memory_free(&m);
}

static void counts_that_overflow_or_overrun_are_refused(void **state)
{
    (void)state;
    struct memory m;
    three_regions(&m);
    assert_true(mem_array(&m, 0x10000, 0x400, 8));
    assert_false(mem_array(&m, 0x10000, 0x401 * 2, 8));
    /* 3,858,759,682 items: the tuple the issue saw; and counts whose byte
     * size wraps around 64 bits. */
    assert_false(mem_array(&m, 0x10000, 3858759682ULL, 8));
    assert_false(mem_array(&m, 0x10000, UINT64_MAX / 8 + 1, 8));
    assert_false(mem_span(&m, 0x10008, UINT64_MAX - 4));
    memory_free(&m);
}

/* A list 0 -> 1 -> ... -> n-1 -> back to node `back`: how many steps the
 * guard takes to notice, or 0 when it never does within limit steps. */
static uint64_t steps_to_notice(uint64_t n, uint64_t back, uint64_t limit)
{
    struct chain_guard g;
    uint64_t node = 0;
    chain_guard_init(&g, node);
    for (uint64_t step = 1; step <= limit; step++) {
        node = node + 1 < n ? node + 1 : back;
        if (!chain_guard_step(&g, node)) {
            assert_int_equal(chain_guard_cycle(&g), n - back);
            return step;
        }
    }
    return 0;
}

static void cycles_are_noticed_within_a_few_lengths(void **state)
{
    (void)state;
    for (uint64_t n = 1; n < 300; n++)
        for (uint64_t back = 0; back < n; back++) {
            uint64_t steps = steps_to_notice(n, back, 10 * n + 10);
            assert_true(steps > 0);
            assert_true(steps <= 3 * n + 2);
        }
}

static void lists_without_a_cycle_pass(void **state)
{
    (void)state;
    struct chain_guard g;
    chain_guard_init(&g, 0x1000);
    for (uint64_t node = 0x1010; node < 0x1000 + 16 * 100000; node += 16)
        assert_true(chain_guard_step(&g, node));
}

static void damage_keeps_the_first_place(void **state)
{
    (void)state;
    struct damage d = {0};
    damage_note(&d, false, "tuple at 0x%x claims %d items", 0x10, 5);
    damage_note(&d, true, "gc list at 0x%x", 0x20);
    assert_int_equal(d.lengths, 1);
    assert_int_equal(d.cycles, 1);
    assert_string_equal(d.first, "tuple at 0x10 claims 5 items");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spans_inside_and_across_adjacent_regions),
        cmocka_unit_test(counts_that_overflow_or_overrun_are_refused),
        cmocka_unit_test(cycles_are_noticed_within_a_few_lengths),
        cmocka_unit_test(lists_without_a_cycle_pass),
        cmocka_unit_test(damage_keeps_the_first_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
