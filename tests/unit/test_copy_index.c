/* The live copy's buffers made before the stop (copy_buffers: taken by a
 * mapping's start, whatever its length became meanwhile) and the address
 * index over the copied regions (heap_find through region slots, the hash
 * for what lies outside them or off the 16-byte grid). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "copy_buffers.h"
#include "heap.h"
#include "memory.h"
#include "symbols/proc_maps.h"

static struct map_entry entry(uint64_t start, uint64_t end, bool writable)
{
    return (struct map_entry){.start = start, .end = end, .readable = true, .writable = writable, .path = ""};
}

static void buffers_follow_their_mapping(void **state)
{
    (void)state;
    struct map_entry e[] = {entry(0x100000, 0x103000, true), entry(0x200000, 0x201000, false),
                            entry(0x300000, 0x302000, true), entry(0x400000, 0x402000, true)};
    struct proc_maps maps = {e, 4};
    struct copy_buffers b;
    copy_buffers_prepare(&b, &maps);
    unsigned char *same = copy_buffers_take(&b, 0x100000, 0x3000);
    assert_non_null(same);
    memset(same, 0xAB, 0x3000); /* every byte of it is ours */
    assert_null(copy_buffers_take(&b, 0x100000, 0x3000)); /* taken once */
    assert_null(copy_buffers_take(&b, 0x200000, 0x1000)); /* read-only: never copied */
    assert_null(copy_buffers_take(&b, 0x500000, 0x1000)); /* mapped after the maps were read */
    unsigned char *grown = copy_buffers_take(&b, 0x300000, 0x5000);
    assert_non_null(grown);
    memset(grown, 0xCD, 0x5000);
    unsigned char *shrunk = copy_buffers_take(&b, 0x400000, 0x1000);
    assert_non_null(shrunk);
    memset(shrunk, 0xEF, 0x1000);
    copy_buffers_free(&b);
    assert_int_equal(same[0x2fff], 0xAB); /* taken buffers outlive the rest */
    mem_free_buffer(same, 0x3000);
    mem_free_buffer(grown, 0x5000);
    mem_free_buffer(shrunk, 0x1000);
}

static unsigned char region_a[0x1000], region_b[0x2000];

static void index_through_regions_and_hash(void **state)
{
    (void)state;
    struct memory m;
    memory_init(&m);
    m.borrowed = true;
    assert_true(memory_add_region(&m, 0x10000, 0x11000, region_a));
    assert_true(memory_add_region(&m, 0x40000, 0x42000, region_b));
    struct heap h;
    heap_init(&h);
    const uint64_t addrs[] = {0x10000, 0x10ff0, 0x41ff0, 0x40008 /* off the grid */,
                              0x90000 /* outside */, 0x10010, 0x10ff0 /* listed twice */};
    const size_t n = sizeof addrs / sizeof *addrs;
    assert_true(heap_reserve(&h, n));
    for (size_t i = 0; i < n; i++)
        heap_push(&h, addrs[i], 0, ORIGIN_GC_GENERATION);
    assert_true(heap_index_regions(&h, &m));
    assert_true(heap_index_all(&h, n));
    for (size_t i = 0; i + 1 < n; i++)
        assert_int_equal(heap_find(&h, addrs[i]), (uint32_t)i);
    assert_int_equal(heap_find(&h, 0x10ff0), 1);      /* the first of the two, as the hash gives */
    assert_int_equal(heap_find(&h, 0x10020), UINT32_MAX); /* a slot without an object */
    assert_int_equal(heap_find(&h, 0x10018), UINT32_MAX); /* off the grid, not hashed */
    assert_int_equal(heap_find(&h, 0x20000), UINT32_MAX); /* between the regions */
    assert_int_equal(heap_find(&h, 0x42000), UINT32_MAX); /* one past the last */
    assert_true(heap_index_add(&h, 0x41000, 7));
    assert_true(heap_index_add(&h, 0x90010, 8));
    assert_int_equal(heap_find(&h, 0x41000), 7);
    assert_int_equal(heap_find(&h, 0x90010), 8);
    heap_free(&h);
    memory_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buffers_follow_their_mapping),
        cmocka_unit_test(index_through_regions_and_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
