/* What only the fleet reached before: the snapshot codec (values and
 * strings round-trip, sections are framed and checked, a reader past its
 * end goes bad and stays bad) and memory.c's views (regions served in
 * place, reads across a gap refused, the fallback and its page cache, a
 * copy-only view that refuses instead of falling back). */
#include "source/memory.h"
#include "store/snapshot_codec.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_values_round_trip(void **state)
{
    (void)state;
    struct buf b = {0};
    snap_put_u8(&b, 0xAB);
    snap_put_u32(&b, 0xDEADBEEF);
    snap_put_u64(&b, 0x0123456789ABCDEFull);
    snap_put_str(&b, "dict of __main__.Node");
    snap_put_str(&b, "");
    uint32_t wide[] = {0, 7, UINT32_MAX};
    snap_put_u32s_wide(&b, wide, 3);
    assert_false(b.oom);
    /* little-endian, as the README's format says */
    assert_int_equal(b.p[1], 0xEF);
    assert_int_equal(b.p[4], 0xDE);
    struct reader r = {b.p, b.n, 0, false};
    assert_int_equal(snap_get_u8(&r), 0xAB);
    assert_int_equal(snap_get_u32(&r), 0xDEADBEEF);
    assert_true(snap_get_u64(&r) == 0x0123456789ABCDEFull);
    char *s = snap_get_str(&r);
    assert_string_equal(s, "dict of __main__.Node");
    free(s);
    s = snap_get_str(&r);
    assert_string_equal(s, "");
    free(s);
    uint32_t *back = NULL;
    assert_true(snap_fill_u32s_wide(&r, &back, 3));
    assert_memory_equal(back, wide, sizeof wide);
    free(back);
    assert_int_equal(r.at, r.n);
    assert_false(r.bad);
    /* one byte more: bad, and every read after it gives zeros and NULL */
    assert_int_equal(snap_get_u8(&r), 0);
    assert_true(r.bad);
    r.at = 0;
    assert_int_equal(snap_get_u32(&r), 0);
    assert_null(snap_get_str(&r));
    free(b.p);
}

static void test_string_longer_than_its_file(void **state)
{
    (void)state;
    struct buf b = {0};
    snap_put_u32(&b, 1000); /* a length past the end */
    snap_put(&b, "abc", 3);
    struct reader r = {b.p, b.n, 0, false};
    assert_null(snap_get_str(&r));
    assert_true(r.bad);
    free(b.p);
}

static void test_offsets_that_do_not_fit(void **state)
{
    (void)state;
    struct buf b = {0};
    snap_put_u64(&b, (uint64_t)UINT32_MAX + 1);
    struct reader r = {b.p, b.n, 0, false};
    uint32_t *back = NULL;
    assert_false(snap_fill_u32s_wide(&r, &back, 1) && !r.bad);
    assert_true(r.bad);
    free(back);
    free(b.p);
}

/* A section written to a memory file, read back: right tag and CRC only. */
static void test_sections_framed_and_checked(void **state)
{
    (void)state;
    struct buf payload = {0};
    snap_put_str(&payload, "types");
    snap_put_u64(&payload, 42);
    char *file = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&file, &len);
    snap_section(out, 7, &payload);
    snap_section(out, 8, &payload);
    fclose(out);
    assert_int_equal(len, 2 * (4 + 8 + payload.n + 4));
    struct reader f = {(unsigned char *)file, len, 0, false}, sec;
    assert_true(snap_next_section(&f, 7, &sec));
    assert_int_equal(sec.n, payload.n);
    char *s = snap_get_str(&sec);
    assert_string_equal(s, "types");
    free(s);
    assert_int_equal(snap_get_u64(&sec), 42);
    /* the next is tagged 8: asking for 9 refuses it */
    struct reader again = f;
    assert_false(snap_next_section(&again, 9, &sec));
    /* a flipped byte of the payload fails its CRC */
    file[f.at + 4 + 8 + 2] ^= 0x40;
    assert_false(snap_next_section(&f, 8, &sec));
    free(file);
    free(payload.p);
}

/* The fallback's memory: addresses at 0x100000 and up read as the low byte
 * of their address, counting each call. */
static int fallback_calls;
static bool fallback(void *ctx, uint64_t addr, void *out, size_t len)
{
    (void)ctx;
    fallback_calls++;
    if (addr < 0x100000)
        return false;
    for (size_t i = 0; i < len; i++)
        ((unsigned char *)out)[i] = (unsigned char)(addr + i);
    return true;
}

static void two_regions(struct memory *m)
{
    memory_init(m);
    /* [0x1000, 0x3000) and [0x3000, 0x4000) touch; [0x8000, 0x9000) after a gap */
    const uint64_t spans[][2] = {{0x1000, 0x3000}, {0x3000, 0x4000}, {0x8000, 0x9000}};
    for (size_t k = 0; k < 3; k++) {
        size_t n = spans[k][1] - spans[k][0];
        unsigned char *data = mem_alloc_buffer(n);
        assert_non_null(data);
        for (size_t i = 0; i < n; i++)
            data[i] = (unsigned char)((spans[k][0] + i) >> 8);
        assert_true(memory_add_region(m, spans[k][0], spans[k][1], data));
    }
}

static void test_views_and_spans(void **state)
{
    (void)state;
    struct memory m;
    two_regions(&m);
    const unsigned char *p = mem_view(&m, 0x2ff0, 16);
    assert_non_null(p);
    assert_int_equal(p[0], 0x2f);
    /* a view never spans two regions, even touching ones ... */
    assert_null(mem_view(&m, 0x2ff8, 16));
    /* ... but a read does, and a span check sees them as one */
    unsigned char buf[16];
    assert_true(mem_read(&m, 0x2ff8, buf, 16));
    assert_int_equal(buf[0], 0x2f);
    assert_int_equal(buf[8], 0x30);
    assert_true(mem_span(&m, 0x1000, 0x3000));
    /* the gap: no span, no read, and no fallback was set */
    assert_false(mem_span(&m, 0x3ff0, 0x20));
    assert_false(mem_read(&m, 0x3ff8, buf, 16));
    assert_false(mem_array(&m, 0x1000, UINT64_MAX / 2, 4)); /* n * size overflows */
    uint64_t v;
    assert_true(mem_u64(&m, 0x8008, &v));
    assert_true(v == 0x8080808080808080ull);
    memory_free(&m);
}

static void test_fallback_and_page_cache(void **state)
{
    (void)state;
    struct memory m;
    two_regions(&m);
    m.fallback = fallback;
    fallback_calls = 0;
    unsigned char buf[8];
    assert_true(mem_read(&m, 0x200010, buf, 8));
    assert_int_equal(buf[0], 0x10);
    assert_false(mem_read(&m, 0x10, buf, 8)); /* the fallback refuses it */
    /* a page's 512 words: a call each, or one call for the page cached */
    for (int cached = 0; cached < 2; cached++) {
        m.page_cache = cached;
        fallback_calls = 0;
        uint64_t page = 0x300000 + (uint64_t)cached * 0x1000;
        for (uint64_t a = page; a < page + 4096; a += 8) {
            uint64_t v;
            assert_true(mem_u64(&m, a, &v));
            assert_int_equal(v & 0xff, a & 0xff);
        }
        assert_int_equal(fallback_calls, cached ? 1 : 512);
    }
    memory_free(&m);
}

static void test_copy_only_view_refuses(void **state)
{
    (void)state;
    struct memory m;
    two_regions(&m);
    m.fallback = fallback;
    struct memory view;
    bool refused = false;
    memory_view_copy(&view, &m, &refused);
    uint64_t v;
    assert_true(mem_u64(&view, 0x1008, &v));
    assert_false(refused);
    fallback_calls = 0;
    assert_false(mem_u64(&view, 0x200000, &v));
    assert_true(refused);
    assert_int_equal(fallback_calls, 0);
    /* the view borrows m's regions, and is dropped, not freed */
    memory_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_round_trip),
        cmocka_unit_test(test_string_longer_than_its_file),
        cmocka_unit_test(test_offsets_that_do_not_fit),
        cmocka_unit_test(test_sections_framed_and_checked),
        cmocka_unit_test(test_views_and_spans),
        cmocka_unit_test(test_fallback_and_page_cache),
        cmocka_unit_test(test_copy_only_view_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
