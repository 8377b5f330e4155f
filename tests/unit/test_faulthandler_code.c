/* faulthandler's statics read out of its traverse's code (what the scanner
 * does with a stripped file up to 3.11) against the symbol table, on every
 * file of the fleet that has both: the code must name the very words the
 * symbols do (thread's file, fatal_error's file, user_signals).  The
 * stripped files themselves are checked end to end by the zoo test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/elf_file.h"
#include "model/faulthandler_code.h"
#include "fleet_files.h"

/* One fleet file up to 3.11 (faulthandler keeps its files in statics
 * there): the code's words against the symbols', where the file has both. */
static void check_file(const struct fleet_file *ff, void *ctx)
{
    int *compared = ctx;
    if (ff->minor > 11)
        return;
    char err[256];
    struct elf_file *f = elf_file_open(ff->file, err, sizeof err);
    assert_non_null(f);
    static const char *const names[] = {"thread", "fatal_error", "user_signals"};
    uint64_t at[3];
    struct faulthandler_code code;
    bool by_code = faulthandler_code_find(f, &code);
    if (elf_file_static_objects(f, "faulthandler.c", names, 3, at) == 3 && !strstr(ff->flavour, "debug")) {
        /* thread {file, ...}, fatal_error {enabled, file, ...} */
        printf("%s (%s): symbols %#lx %#lx %#lx, code %s\n", ff->file, ff->version, (unsigned long)at[0],
               (unsigned long)(at[1] + 8), (unsigned long)at[2], by_code ? "the same" : "none");
        assert_true(by_code);
        assert_int_equal(code.user_signals, at[2]);
        bool same = (code.files[0] == at[0] && code.files[1] == at[1] + 8) ||
                    (code.files[1] == at[0] && code.files[0] == at[1] + 8);
        assert_true(same);
        (*compared)++;
    } else {
        printf("%s (%s): %s\n", ff->file, ff->version,
               by_code ? "code only" : "neither (a debug build's unoptimised code; its symbols serve)");
    }
    elf_file_close(f);
}

static void code_names_the_words_the_symbols_name(void **state)
{
    (void)state;
    int compared = 0;
    if (fleet_files(check_file, &compared) < 0) {
        /* A machine without the fleet cannot run this; CI always has it. */
        if (getenv("CI"))
            fail_msg("no fleet table");
        skip();
    }
    assert_true(compared >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(code_names_the_words_the_symbols_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
