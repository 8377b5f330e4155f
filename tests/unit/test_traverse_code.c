/* The traverse code reader (model/traverse_code.c) against the
 * hand-written tables of model/families/: on every fleet interpreter whose
 * file has a symbol table (pyenv's shared libpython), the traverse
 * functions of the standard types the tables describe by fixed fields are
 * read from the file's machine code, and the fields the code visits must
 * be the table's, to the offset.  Release builds' files are stripped:
 * pyenv's libpython and Debian's debug builds have the symbols.  A table that disagrees with the code it
 * models, or a reader that misreads the code, fails here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/families/family.h"
#include "model/traverse_code.h"
#include "symbols/elf_file.h"
#include "fleet_files.h"

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

static int compared, disagreed, unread, files;

/* Every row of the fleet whose file has a symbol table naming the
 * functions: pyenv's libpython and Debian's debug builds (their -O0 code
 * keeps everything in stack slots). */
static void check_file(const struct fleet_file *ff, void *ctx)
{
    (void)ctx;
    char err[256];
    struct elf_file *f = elf_file_open(ff->file, err, sizeof err);
    if (!f)
        return;
    struct target t;
    memset(&t, 0, sizeof t);
    t.minor = ff->minor;
    int here = 0;
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
        struct elf_symbol sym;
        const struct family_entry *e = family_find_traverse(&t, functions[i].definer);
        if (!e || !e->fields || e->traverse || e->members || e->visits_dict || e->exception_fields ||
            !elf_file_symbol(f, functions[i].symbol, &sym))
            continue;
        here++;
        struct traverse_code code;
        traverse_code_read(read_file, f, sym.value, NULL, &code);
        if (!code.understood) {
            fprintf(stderr, "%s %s: not understood: %s\n", ff->version, functions[i].symbol, code.why);
            unread++;
            continue;
        }
        /* The table's fields, and a debug build's own (both ascending). */
        int64_t want[TRAVERSE_CODE_FIELDS];
        size_t nwant = 0;
        for (const int64_t *fl = e->fields; *fl >= 0 && nwant < TRAVERSE_CODE_FIELDS; fl++)
            want[nwant++] = *fl;
        for (const int64_t *fl = e->debug_fields; strstr(ff->flavour, "debug") && fl && *fl >= 0 &&
                                                  nwant < TRAVERSE_CODE_FIELDS; fl++)
            want[nwant++] = *fl;
        bool same = nwant == code.nfields;
        for (size_t n = 0; same && n < nwant; n++)
            same = code.fields[n] == want[n];
        compared++;
        if (!same) {
            disagreed++;
            fprintf(stderr, "%s %s %s (%s): the code visits", ff->version, ff->flavour, functions[i].symbol,
                    functions[i].definer);
            for (size_t k = 0; k < code.nfields; k++)
                fprintf(stderr, " %lld", (long long)code.fields[k]);
            fprintf(stderr, "; the table says");
            for (size_t n = 0; n < nwant; n++)
                fprintf(stderr, " %lld", (long long)want[n]);
            fprintf(stderr, "\n");
        }
    }
    if (here) {
        files++;
        printf("%s (%s, %s): %d traverse functions\n", ff->file, ff->version, ff->flavour, here);
    }
    elf_file_close(f);
}

static void code_visits_the_fields_the_tables_name(void **state)
{
    (void)state;
    if (fleet_files(check_file, NULL) < 0) {
        /* A machine without the fleet cannot run this; CI always has it. */
        if (getenv("CI"))
            fail_msg("no fleet table");
        skip();
    }
    printf("%d files, %d traverse functions compared with the tables, %d disagree, %d not understood\n", files,
           compared, disagreed, unread);
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
