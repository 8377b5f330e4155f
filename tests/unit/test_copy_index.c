/* The live copy's buffers made before the stop (copy_buffers: taken by a
 * mapping's start, whatever its length became meanwhile) and the address
 * index over the copied regions (heap_find through the regions' groups,
 * the hash for what lies outside them or off the 16-byte grid). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
/* before cmocka.h, whose fail() macro would rewrite errors.h's fail */
#include "source/live.h"
#include <cmocka.h>

#include "source/copy_buffers.h"
#include "model/heap.h"
#include "source/memory.h"
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
    copy_buffers_prepare(&b, &maps, NULL);
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

/* Pages of buf (len bytes) the kernel backs now. */
static size_t resident_pages(unsigned char *buf, size_t len)
{
    size_t pages = len / 4096, n = 0;
    unsigned char *vec = malloc(pages);
    assert_non_null(vec);
    assert_int_equal(mincore(buf, len, vec), 0);
    for (size_t i = 0; i < pages; i++)
        n += vec[i] & 1;
    free(vec);
    return n;
}

/* A reservation (an anonymous mapping over 256 MiB, as mimalloc's): its
 * buffer is made before the stop with the pages pagemap says are in use
 * faulted in, and no more than their huge pages; here the reservation is
 * this process's own. */
static void reservation_faults_in_its_pages_in_use(void **state)
{
    (void)state;
    const size_t len = (size_t)512 << 20;
    unsigned char *reserved = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                                   -1, 0);
    assert_true(reserved != MAP_FAILED);
    const size_t used[] = {0, 1, 77 << 8, (len / 4096) - 1}; /* page numbers */
    for (size_t i = 0; i < sizeof used / sizeof *used; i++)
        reserved[used[i] * 4096] = 1;
    struct map_entry e = entry((uint64_t)(uintptr_t)reserved, (uint64_t)(uintptr_t)reserved + len, true);
    struct proc_maps maps = {&e, 1};
    struct live_reader r;
    live_reader_init(&r, getpid());
    struct copy_buffers b;
    copy_buffers_prepare(&b, &maps, &r.pagemap);
    live_reader_close(&r);
    unsigned char *buf = copy_buffers_take(&b, e.start, len);
    assert_non_null(buf);
    size_t resident = resident_pages(buf, len);
    size_t at_most = sizeof used / sizeof *used * 512; /* a huge page each */
    assert_true(resident >= 3 && resident <= at_most); /* pages 0 and 1 may share one */
    for (size_t i = 0; i < sizeof used / sizeof *used; i++) {
        unsigned char v;
        assert_int_equal(mincore(buf + used[i] * 4096, 4096, &v), 0);
        assert_true(v & 1);
    }
    copy_buffers_free(&b);
    mem_free_buffer(buf, len);
    munmap(reserved, len);
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

/* Regions found by the 2 MiB chunks they cover: one across three chunks,
 * two sharing a chunk with a gap between them, and addresses in chunks no
 * region covers, in the gap, before, between and after them. */
static void regions_found_by_chunk(void **state)
{
    (void)state;
    static unsigned char wide[0x220000], low[0x1000], high[0x1000];
    struct memory m;
    memory_init(&m);
    m.borrowed = true;
    const uint64_t wide_at = 0x11F0000, low_at = 0x1410000, high_at = 0x1430000;
    assert_true(memory_add_region(&m, wide_at, wide_at + sizeof wide, wide));
    assert_true(memory_add_region(&m, low_at, low_at + sizeof low, low));
    assert_true(memory_add_region(&m, high_at, high_at + sizeof high, high));
    struct region_index ri;
    assert_true(region_index_build(&ri, &m));
    assert_non_null(ri.chunks);
    const struct {
        uint64_t addr;
        int region; /* -1: none */
    } probes[] = {{wide_at, 0}, {wide_at + 0x10000, 0}, {0x1300000, 0}, {wide_at + sizeof wide - 16, 0},
                  {low_at, 1}, {low_at + 0xff0, 1}, {low_at + 0x1000, -1}, {high_at - 16, -1},
                  {high_at, 2}, {high_at + 0xff0, 2}, {high_at + 0x1000, -1}, {wide_at - 16, -1},
                  {0x1000000, -1}, {0x5000000, -1}, {0x10, -1}};
    for (size_t i = 0; i < sizeof probes / sizeof *probes; i++) {
        region_index_last = NULL; /* by the chunks, not the last region found */
        const struct region_groups *r = region_index_region(&ri, probes[i].addr);
        if (probes[i].region < 0)
            assert_null(r);
        else
            assert_ptr_equal(r, &ri.v[probes[i].region]);
    }
    region_index_free(&ri);
    memory_free(&m);
}

/* Many objects in random order, interleaved with lookups: every group's
 * slab grows through each size (full groups of 64 objects beside sparse
 * ones), slabs given up are taken again by other groups, and every lookup
 * equals a plain table of granules.  The seed is printed;
 * PYHEAPSCAN_TEST_SEED=N replays one. */
#define DENSE_GRANULES 4096
static unsigned char region_c[DENSE_GRANULES * 16], region_d[DENSE_GRANULES * 16];

static uint64_t rng_state;

/* Knuth's MMIX multiplier: a few thousand draws need no better. */
static uint32_t rnd(uint32_t below)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rng_state >> 33) % below);
}

static const uint64_t dense_base[2] = {0x100000, 0x300000};

/* The random draws seeded (printed, with what it is for), and m holding
 * the two dense regions at dense_base. */
static void seeded_regions(const char *what, unsigned salt, struct memory *m)
{
    const char *env = getenv("PYHEAPSCAN_TEST_SEED");
    unsigned long long seed = env ? strtoull(env, NULL, 10) : (unsigned long long)time(NULL);
    printf("%s: seed %llu (PYHEAPSCAN_TEST_SEED=%llu replays it)\n", what, seed, seed);
    rng_state = seed * 0x9E3779B97F4A7C15ull + salt;
    memory_init(m);
    m->borrowed = true;
    assert_true(memory_add_region(m, dense_base[0], dense_base[0] + sizeof region_c, region_c));
    assert_true(memory_add_region(m, dense_base[1], dense_base[1] + sizeof region_d, region_d));
}

/* Granules of the two regions where objects start, in no order (as objects
 * are found): each group of 64 gets its own density, from empty to full.
 * Returns how many; want[] is set to UINT32_MAX for every granule. */
static size_t dense_order(uint32_t *order, uint32_t *want)
{
    size_t n = 0;
    for (size_t g = 0; g < 2 * DENSE_GRANULES; g += 64) {
        uint32_t density = rnd(5) == 0 ? 64 : rnd(65);
        for (size_t k = g; k < g + 64; k++)
            if (rnd(64) < density)
                order[n++] = (uint32_t)k;
    }
    for (size_t i = n; i > 1; i--) {
        size_t j = rnd((uint32_t)i);
        uint32_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (size_t k = 0; k < 2 * DENSE_GRANULES; k++)
        want[k] = UINT32_MAX;
    return n;
}

static uint64_t granule_addr(uint32_t k)
{
    return dense_base[k / DENSE_GRANULES] + (uint64_t)(k % DENSE_GRANULES) * 16;
}

static void index_groups_match_a_plain_table(void **state)
{
    (void)state;
    struct memory m;
    seeded_regions("index groups", 3, &m);
    struct heap h;
    heap_init(&h);
    assert_true(heap_index_regions(&h, &m));
    assert_true(heap_index_all(&h, 0));
    /* The table: the index of the object at each granule, UINT32_MAX none. */
    static uint32_t want[2 * DENSE_GRANULES];
    static uint32_t order[2 * DENSE_GRANULES];
    size_t n = dense_order(order, want);
    for (size_t i = 0; i < n; i++) {
        uint32_t k = order[i];
        uint64_t addr = granule_addr(k);
        assert_true(heap_index_add(&h, addr, (uint32_t)i));
        want[k] = (uint32_t)i;
        if (rnd(8) == 0) /* listed again (a torn heap): the first index stays */
            assert_true(heap_index_add(&h, addr, (uint32_t)(i + n)));
        if (i % 997 == 0 || i + 1 == n)
            for (size_t q = 0; q < 2 * DENSE_GRANULES; q++) {
                uint64_t at = granule_addr(q);
                assert_int_equal(heap_find(&h, at), want[q]);
                assert_int_equal(heap_find(&h, at + 8), UINT32_MAX); /* off the grid, not hashed */
            }
    }
    heap_free(&h);
    memory_free(&m);
}

/* The gc objects taken at once (heap_index_all on an empty index), in no
 * order and some listed twice, then objects added one at a time to the
 * groups whose slabs that sized: every lookup equals a plain table.  The
 * seed is printed; PYHEAPSCAN_TEST_SEED=N replays one. */
static void index_at_once_then_one_by_one(void **state)
{
    (void)state;
    struct memory m;
    seeded_regions("index at once", 5, &m);
    static uint32_t want[2 * DENSE_GRANULES], order[2 * DENSE_GRANULES];
    size_t n = dense_order(order, want);
    /* the first part at once, with repeats and addresses outside */
    size_t at_once = n / 2;
    struct heap h;
    heap_init(&h);
    assert_true(heap_reserve(&h, 2 * n + 2));
    for (size_t i = 0; i < at_once; i++) {
        uint32_t k = order[i];
        uint64_t addr = granule_addr(k);
        if (want[k] == UINT32_MAX)
            want[k] = (uint32_t)h.count;
        heap_push(&h, addr, 0, ORIGIN_GC_GENERATION);
        if (rnd(8) == 0) /* listed again (a torn heap): the first index stays */
            heap_push(&h, addr, 0, ORIGIN_GC_GENERATION);
    }
    uint32_t outside = (uint32_t)h.count;
    heap_push(&h, 0x900000, 0, ORIGIN_GC_GENERATION);
    assert_true(heap_index_regions(&h, &m));
    assert_true(heap_index_all(&h, 0));
    assert_int_equal(heap_find(&h, 0x900000), outside);
    for (size_t i = at_once; i < n; i++) {
        uint32_t k = order[i];
        uint64_t addr = granule_addr(k);
        assert_true(heap_index_add(&h, addr, (uint32_t)(outside + 1 + i)));
        want[k] = (uint32_t)(outside + 1 + i);
        if (i % 997 == 0 || i + 1 == n || i == at_once)
            for (size_t q = 0; q < 2 * DENSE_GRANULES; q++) {
                uint64_t a = granule_addr(q);
                assert_int_equal(heap_find(&h, a), want[q]);
            }
    }
    heap_free(&h);
    memory_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buffers_follow_their_mapping),
        cmocka_unit_test(reservation_faults_in_its_pages_in_use),
        cmocka_unit_test(index_through_regions_and_hash),
        cmocka_unit_test(regions_found_by_chunk),
        cmocka_unit_test(index_groups_match_a_plain_table),
        cmocka_unit_test(index_at_once_then_one_by_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
