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
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symbols/elf_file.h"
#include "model/faulthandler_code.h"

/* The file holding the interpreter: a shared build's libpython beside its
 * executable, else the executable. */
static void interpreter_file(const char *root, const char *exe, const char *version, char *out, size_t cap)
{
    static char dir[8192], lib[16384];
    snprintf(dir, sizeof dir, "%s%s", strcmp(root, "/") == 0 ? "" : root, exe);
    snprintf(out, cap, "%s", dir);
    int major = 0, minor = 0;
    sscanf(version, "%d.%d", &major, &minor);
    snprintf(lib, sizeof lib, "%s/../lib/libpython%d.%d.so.1.0", dirname(dir), major, minor);
    if (access(lib, R_OK) == 0 && strlen(lib) < cap)
        memcpy(out, lib, strlen(lib) + 1);
}

static void code_names_the_words_the_symbols_name(void **state)
{
    (void)state;
    const char *dir = getenv("PYHEAPSCAN_FLEET_DIR") ? getenv("PYHEAPSCAN_FLEET_DIR") : "/var/cache/pyheapscan-fleet";
    char path[4096];
    snprintf(path, sizeof path, "%s/fleet.tsv", dir);
    FILE *fleet = fopen(path, "r");
    if (!fleet) {
        /* A machine without the fleet cannot run this; CI always has it. */
        if (getenv("CI"))
            fail_msg("no fleet table at %s", path);
        skip();
    }
    char line[16384];
    int compared = 0;
    while (fgets(line, sizeof line, fleet)) {
        char version[64], flavour[256], root[4096], exe[4096];
        if (sscanf(line, "%63[^\t]\t%255[^\t]\t%4095[^\t]\t%4095[^\t]", version, flavour, root, exe) != 4 ||
            strcmp(version, "version") == 0)
            continue;
        int major = 0, minor = 0;
        if (sscanf(version, "%d.%d", &major, &minor) != 2 || major != 3 || minor > 11)
            continue;
        char file[16384];
        interpreter_file(root, exe, version, file, sizeof file);
        char err[256];
        struct elf_file *f = elf_file_open(file, err, sizeof err);
        assert_non_null(f);
        static const char *const names[] = {"thread", "fatal_error", "user_signals"};
        uint64_t at[3];
        struct faulthandler_code code;
        bool by_code = faulthandler_code_find(f, &code);
        if (elf_file_static_objects(f, "faulthandler.c", names, 3, at) == 3 && !strstr(flavour, "debug")) {
            /* thread {file, ...}, fatal_error {enabled, file, ...} */
            printf("%s (%s): symbols %#lx %#lx %#lx, code %s\n", file, version, (unsigned long)at[0],
                   (unsigned long)(at[1] + 8), (unsigned long)at[2], by_code ? "the same" : "none");
            assert_true(by_code);
            assert_int_equal(code.user_signals, at[2]);
            bool same = (code.files[0] == at[0] && code.files[1] == at[1] + 8) ||
                        (code.files[1] == at[0] && code.files[0] == at[1] + 8);
            assert_true(same);
            compared++;
        } else {
            printf("%s (%s): %s\n", file, version,
                   by_code ? "code only" : "neither (a debug build's unoptimised code; its symbols serve)");
        }
        elf_file_close(f);
    }
    fclose(fleet);
    assert_true(compared >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(code_names_the_words_the_symbols_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
