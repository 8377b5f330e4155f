/* The traverse code reader (model/traverse_code.c) against the
 * hand-written tables of model/families/: on every fleet interpreter whose
 * file has a symbol table (pyenv's shared libpython), the traverse
 * functions of the standard types the tables describe by fixed fields are
 * read from the file's machine code, and the fields the code visits must
 * be the table's, to the offset.  A table that disagrees with the code it
 * models, or a reader that misreads the code, fails here. */
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

#include "model/families/family.h"
#include "model/traverse_code.h"
#include "symbols/elf_file.h"

/* Traverse functions of CPython's Modules/ and Objects/ and the class each
 * serves: names found once in every fleet libpython (nm; _json's
 * scanner_traverse is not among them: _json is a module of its own there,
 * and the name in libpython is _sre's scanner's). */
static const struct {
    const char *symbol, *definer;
} functions[] = {
    {"partial_traverse", "functools.partial"},
    {"count_traverse", "itertools.count"},
    {"textiowrapper_traverse", "_io.TextIOWrapper"},
    {"methodcaller_traverse", "operator.methodcaller"},
    {"attrgetter_traverse", "operator.attrgetter"},
    {"itemgetter_traverse", "operator.itemgetter"},
    {"tuplegetter_traverse", "_collections._tuplegetter"},
    {"abc_data_traverse", "_abc._abc_data"},
    {"ga_traverse", "types.GenericAlias"},
    {"union_traverse", "types.UnionType"},
    {"pattern_traverse", "re.Pattern"},
    {"buffered_traverse", "_io.BufferedReader"},
    {"fileio_traverse", "_io.FileIO"},
    {"lock_traverse", "_thread.lock"},
    {"rlock_traverse", "_thread.RLock"},
    {"local_traverse", "_thread._local"},
};

static bool read_file(void *ctx, uint64_t addr, void *out, size_t len)
{
    return elf_file_read(ctx, addr, out, len);
}

static int compared, disagreed, unread;

static void check_file(const char *path, int minor)
{
    char err[256];
    struct elf_file *f = elf_file_open(path, err, sizeof err);
    if (!f)
        return;
    struct target t;
    memset(&t, 0, sizeof t);
    t.minor = minor;
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
        struct elf_symbol sym;
        const struct family_entry *e = family_find_traverse(&t, functions[i].definer);
        if (!e || !e->fields || e->traverse || e->members || e->visits_dict || e->exception_fields ||
            !elf_file_symbol(f, functions[i].symbol, &sym))
            continue;
        struct traverse_code code;
        traverse_code_read(read_file, f, sym.value, &code);
        if (!code.understood) {
            fprintf(stderr, "3.%d %s: not understood: %s\n", minor, functions[i].symbol, code.why);
            unread++;
            continue;
        }
        size_t n = 0;
        bool same = true;
        for (const int64_t *fl = e->fields; *fl >= 0; fl++, n++)
            same = same && n < code.nfields && code.fields[n] == *fl;
        same = same && n == code.nfields;
        compared++;
        if (!same) {
            disagreed++;
            fprintf(stderr, "3.%d %s (%s): the code visits", minor, functions[i].symbol, functions[i].definer);
            for (size_t k = 0; k < code.nfields; k++)
                fprintf(stderr, " %lld", (long long)code.fields[k]);
            fprintf(stderr, "; the table says");
            for (const int64_t *fl = e->fields; *fl >= 0; fl++)
                fprintf(stderr, " %lld", (long long)*fl);
            fprintf(stderr, "\n");
        }
    }
    elf_file_close(f);
}

static void code_visits_the_fields_the_tables_name(void **state)
{
    (void)state;
    const char *dir = getenv("PYHEAPSCAN_FLEET_DIR") ? getenv("PYHEAPSCAN_FLEET_DIR") : "/var/cache/pyheapscan-fleet";
    char path[4096];
    snprintf(path, sizeof path, "%s/fleet.tsv", dir);
    FILE *fleet = fopen(path, "r");
    assert_non_null(fleet);
    char line[8192];
    int files = 0;
    while (fgets(line, sizeof line, fleet)) {
        char version[64], flavour[128], root[2048], exe[2048];
        if (sscanf(line, "%63s %127s %2047s %2047s", version, flavour, root, exe) != 4 ||
            strcmp(version, "version") == 0 || !strstr(flavour, "shared"))
            continue;
        int major = 0, minor = 0;
        sscanf(version, "%d.%d", &major, &minor);
        char lib[8192];
        snprintf(lib, sizeof lib, "%s/../lib/libpython%d.%d.so.1.0", dirname(exe), major, minor);
        if (access(lib, R_OK) != 0)
            continue;
        files++;
        check_file(lib, minor);
    }
    fclose(fleet);
    fprintf(stderr, "%d files, %d traverse functions compared with the tables, %d disagree, %d not understood\n",
            files, compared, disagreed, unread);
    assert_true(files > 0);
    assert_true(compared > 0);
    assert_int_equal(disagreed, 0);
    assert_int_equal(unread, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(code_visits_the_fields_the_tables_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
