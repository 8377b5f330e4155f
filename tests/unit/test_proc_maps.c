/* /proc/PID/maps parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <unistd.h>

#include "symbols/proc_maps.h"

static const char sample[] =
    "00400000-00420000 r--p 00000000 fe:00 1115090                            /usr/bin/python3.11\n"
    "00420000-00740000 r-xp 00020000 fe:00 1115090                            /usr/bin/python3.11\n"
    "00a3f000-00a80000 rw-p 0063e000 fe:00 1115090                            /usr/bin/python3.11\n"
    "01e5c000-01f9b000 rw-p 00000000 00:00 0                                  [heap]\n"
    "7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n"
    "7f1000000000-7f1000001000 r--s 00001000 08:01 42   /tmp/a file with spaces (deleted)\n"
    "7ffd1c5f1000-7ffd1c5f5000 r--p 00000000 00:00 0                          [vvar]\n"
    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

static void parses_every_field(void **state)
{
    (void)state;
    struct proc_maps m;
    assert_true(proc_maps_parse(sample, &m, NULL));
    assert_int_equal(m.count, 8);
    assert_int_equal(m.entries[0].start, 0x400000);
    assert_int_equal(m.entries[0].end, 0x420000);
    assert_true(m.entries[0].readable);
    assert_false(m.entries[0].writable);
    assert_false(m.entries[0].executable);
    assert_string_equal(m.entries[0].path, "/usr/bin/python3.11");
    assert_int_equal(m.entries[1].offset, 0x20000);
    assert_true(m.entries[1].executable);
    assert_int_equal(m.entries[1].inode, 1115090);
    assert_true(m.entries[2].writable);
    assert_string_equal(m.entries[3].path, "[heap]");
    assert_string_equal(m.entries[4].path, "");
    assert_int_equal(m.entries[4].inode, 0);
    assert_true(m.entries[5].shared);
    assert_string_equal(m.entries[5].path, "/tmp/a file with spaces (deleted)");
    assert_int_equal(m.entries[7].start, 0xffffffffff600000ULL);
    proc_maps_free(&m);
}

static void finds_the_containing_entry(void **state)
{
    (void)state;
    struct proc_maps m;
    assert_true(proc_maps_parse(sample, &m, NULL));
    assert_ptr_equal(proc_maps_find(&m, 0x400000), &m.entries[0]);
    assert_ptr_equal(proc_maps_find(&m, 0x41ffff), &m.entries[0]);
    assert_ptr_equal(proc_maps_find(&m, 0x420000), &m.entries[1]);
    assert_null(proc_maps_find(&m, 0x3fffff));
    assert_null(proc_maps_find(&m, 0xa80000));
    assert_ptr_equal(proc_maps_find(&m, 0x7f0000020fff), &m.entries[4]);
    proc_maps_free(&m);
}

static void knows_the_special_mappings(void **state)
{
    (void)state;
    struct proc_maps m;
    assert_true(proc_maps_parse(sample, &m, NULL));
    assert_false(map_entry_is_special(&m.entries[3]));
    assert_true(map_entry_is_special(&m.entries[6]));
    assert_true(map_entry_is_special(&m.entries[7]));
    proc_maps_free(&m);
}

static void rejects_malformed_lines(void **state)
{
    (void)state;
    struct proc_maps m;
    size_t bad = 0;
    assert_false(proc_maps_parse("00400000-00420000 r--p 00000000 fe:00 1 /a\nnot a map line\n", &m, &bad));
    assert_int_equal(bad, 2);
    assert_null(m.entries);
    assert_false(proc_maps_parse("00420000-00400000 r--p 00000000 fe:00 1 /end-before-start\n", &m, &bad));
    assert_int_equal(bad, 1);
    assert_false(proc_maps_parse("00400000-00420000 rw 00000000 fe:00 1 /short-perms\n", &m, &bad));
}

static void reads_its_own_maps(void **state)
{
    (void)state;
    struct proc_maps m;
    assert_true(proc_maps_read(getpid(), &m));
    assert_true(m.count > 3);
    /* This function's code is in an executable mapping. */
    const struct map_entry *e = proc_maps_find(&m, (uint64_t)(uintptr_t)&reads_its_own_maps);
    assert_non_null(e);
    assert_true(e->executable);
    for (size_t i = 1; i < m.count; i++)
        assert_true(m.entries[i - 1].end <= m.entries[i].start);
    proc_maps_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_every_field),
        cmocka_unit_test(finds_the_containing_entry),
        cmocka_unit_test(knows_the_special_mappings),
        cmocka_unit_test(rejects_malformed_lines),
        cmocka_unit_test(reads_its_own_maps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
