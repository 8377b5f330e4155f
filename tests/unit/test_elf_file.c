/* ELF symbol and section lookup, checked against this very test binary:
 * the address the file gives plus the load bias must be where the loader
 * really put the object. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "symbols/elf_data.h"
#include "symbols/elf_file.h"
#include "symbols/proc_maps.h"

/* Exported: in .dynsym (the test links with -rdynamic) and .symtab. */
const char pyheapscan_test_marker[] = "pyheapscan marker string";
/* File-local: only in .symtab. */
static int local_counter = 7;
int *pyheapscan_test_local(void);
int *pyheapscan_test_local(void)
{
    return &local_counter;
}

static struct elf_file *open_self(void)
{
    char err[256];
    struct elf_file *f = elf_file_open("/proc/self/exe", err, sizeof err);
    assert_non_null(f);
    return f;
}

static uint64_t load_bias(struct elf_file *f)
{
    if (!elf_file_is_dyn(f))
        return 0;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    struct proc_maps m;
    assert_true(proc_maps_read(getpid(), &m));
    uint64_t base = 0;
    for (size_t i = 0; i < m.count; i++)
        if (strcmp(m.entries[i].path, exe) == 0 && m.entries[i].offset == 0) {
            base = m.entries[i].start;
            break;
        }
    proc_maps_free(&m);
    assert_true(base != 0);
    return base - elf_file_first_load_vaddr(f);
}

static void finds_an_exported_symbol_where_it_is_loaded(void **state)
{
    (void)state;
    struct elf_file *f = open_self();
    struct elf_symbol s;
    assert_true(elf_file_symbol(f, "pyheapscan_test_marker", &s));
    assert_int_equal(s.size, sizeof pyheapscan_test_marker);
    assert_int_equal(s.value + load_bias(f), (uint64_t)(uintptr_t)pyheapscan_test_marker);
    /* The file's own bytes at that address are the string. */
    char buf[sizeof pyheapscan_test_marker];
    assert_true(elf_file_read(f, s.value, buf, sizeof buf));
    assert_string_equal(buf, pyheapscan_test_marker);
    elf_file_close(f);
}

static void falls_back_to_symtab_for_local_symbols(void **state)
{
    (void)state;
    struct elf_file *f = open_self();
    struct elf_symbol s;
    assert_true(elf_file_symbol(f, "local_counter", &s));
    assert_int_equal(s.size, sizeof(int));
    assert_int_equal(s.value + load_bias(f), (uint64_t)(uintptr_t)pyheapscan_test_local());
    assert_false(elf_file_symbol(f, "no_such_symbol_anywhere", &s));
    elf_file_close(f);
}

/* A file's statics, by the name of the file that defines them; the
 * pointer to the marker, found by its value (stored, or relocated in this
 * position-independent test), and read back as the loader writes it. */
const char *const pyheapscan_test_marker_ref = pyheapscan_test_marker;

static void finds_statics_by_source_file_and_pointers_by_value(void **state)
{
    (void)state;
    struct elf_file *f = open_self();
    uint64_t bias = load_bias(f);
    static const char *const names[] = {"local_counter", "no_such_static"};
    uint64_t at[2];
    assert_int_equal(elf_file_static_objects(f, "test_elf_file.c", names, 2, at), 1);
    assert_int_equal(at[0] + bias, (uint64_t)(uintptr_t)pyheapscan_test_local());
    assert_int_equal(at[1], 0);
    assert_int_equal(elf_file_static_objects(f, "another_file.c", names, 2, at), 0);

    struct elf_symbol marker, ref;
    assert_true(elf_file_symbol(f, "pyheapscan_test_marker", &marker));
    assert_true(elf_file_symbol(f, "pyheapscan_test_marker_ref", &ref));
    uint64_t strings[4], refs[4], value = 0;
    size_t n = elf_data_find_string(f, pyheapscan_test_marker, strings, 4);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        found |= strings[i] == marker.value;
    assert_true(found);
    n = elf_data_find_pointer(f, marker.value, refs, 4);
    found = false;
    for (size_t i = 0; i < n; i++)
        found |= refs[i] == ref.value;
    assert_true(found);
    assert_true(elf_data_pointer_at(f, ref.value, &value));
    assert_int_equal(value + bias, (uint64_t)(uintptr_t)pyheapscan_test_marker_ref);
    elf_file_close(f);
}

static void finds_sections_and_build_id(void **state)
{
    (void)state;
    struct elf_file *f = open_self();
    struct elf_section sec;
    assert_true(elf_file_section(f, ".text", &sec));
    uint64_t code = (uint64_t)(uintptr_t)&finds_sections_and_build_id - load_bias(f);
    assert_true(code >= sec.addr && code < sec.addr + sec.size);
    assert_true(elf_file_section(f, ".bss", &sec));
    assert_true(sec.nobits);
    assert_false(elf_file_section(f, ".PyRuntime", &sec));
    char id[128];
    assert_true(elf_file_build_id(f, id, sizeof id));
    assert_int_equal(strlen(id), 40);
    elf_file_close(f);
}

static void rejects_what_is_not_elf(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(elf_file_open("/proc/self/status", err, sizeof err));
    assert_non_null(strstr(err, "not an ELF file"));
    assert_null(elf_file_open("/nonexistent/file", err, sizeof err));
    assert_non_null(strstr(err, "No such file"));
}

static void refuses_reads_outside_the_file(void **state)
{
    (void)state;
    struct elf_file *f = open_self();
    struct elf_section bss;
    assert_true(elf_file_section(f, ".bss", &bss));
    char buf[8];
    /* .bss has no bytes in the file. */
    assert_false(elf_file_read(f, bss.addr + bss.size - 8, buf, sizeof buf));
    assert_false(elf_file_read(f, UINT64_MAX - 4, buf, sizeof buf));
    elf_file_close(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_an_exported_symbol_where_it_is_loaded),
        cmocka_unit_test(falls_back_to_symtab_for_local_symbols),
        cmocka_unit_test(finds_statics_by_source_file_and_pointers_by_value),
        cmocka_unit_test(finds_sections_and_build_id),
        cmocka_unit_test(rejects_what_is_not_elf),
        cmocka_unit_test(refuses_reads_outside_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
