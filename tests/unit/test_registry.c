/* The families' registry (scanner/model/families/) read as a newcomer adds
 * to it: no two entries answer the same question for the same definer on
 * the same minor (the scanner takes the first it finds, so a second would
 * be dead or, worse, depend on the order of registry.c); an entry that
 * reads the layouts answers by its functions alone (its fixed fields would
 * be ignored); every entry answers something; the kinds it records are
 * ones snapshots can hold.  And the lookup itself, on a stand-in target. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "model/families/family.h"

static int lo(const struct family_entry *e)
{
    return e->min_minor ? e->min_minor : 0;
}

static int hi(const struct family_entry *e)
{
    return e->max_minor ? e->max_minor : 1000;
}

#define EACH(f, i, e)                                                                                           \
    for (size_t f = 0; f < family_registry_count; f++)                                                         \
        for (size_t i = 0; i < family_registry[f]->n; i++)                                                     \
            for (const struct family_entry *e = &family_registry[f]->v[i]; e; e = NULL)

static void no_two_entries_answer_one_question(void **state)
{
    (void)state;
    int clashes = 0;
    EACH(f, i, a)
    EACH(g, j, b)
    {
        if ((g < f || (g == f && j <= i)) || strcmp(a->definer, b->definer) != 0 || hi(a) < lo(b) || hi(b) < lo(a))
            continue;
        if ((family_entry_traverses(a) && family_entry_traverses(b)) || (a->size && b->size)) {
            fprintf(stderr, "families %s and %s both answer for %s from 3.%d\n", family_registry[f]->name,
                    family_registry[g]->name, a->definer, lo(a) > lo(b) ? lo(a) : lo(b));
            clashes++;
        }
    }
    assert_int_equal(clashes, 0);
}

static void every_entry_is_whole(void **state)
{
    (void)state;
    int bad = 0;
    EACH(f, i, e)
    {
        const char *why = NULL;
        if (!e->definer || !*e->definer)
            why = "no definer";
        else if (!family_entry_traverses(e) && !e->size)
            why = "answers nothing";
        else if (e->by_layout && (e->fields || e->debug_fields || e->members || e->visits_dict || e->exception_fields))
            why = "reads the layouts but lists fixed fields, which it would never visit";
        else if (e->by_layout && family_entry_traverses(e) != (e->traverse != NULL))
            why = "reads the layouts without a traverse function";
        else if (e->max_minor && e->max_minor < e->min_minor)
            why = "an empty range of minors";
        else if (family_traverse_kind(e) >= TRAVERSE_KIND_COUNT || family_traverse_kind(e) <= TRAVERSE_OPAQUE)
            why = "a traverse kind snapshots cannot hold";
        else if (e->size && (family_size_kind(e) >= SIZE_KIND_COUNT || family_size_kind(e) == SIZE_UNMODELLED))
            why = "a size kind snapshots cannot hold";
        else if (e->traverse_kind == TRAVERSE_FIELDS && (!e->fields || e->traverse || e->members || e->visits_dict))
            why = "recorded as fixed fields but does more";
        if (why) {
            fprintf(stderr, "%s: %s (3.%d..): %s\n", family_registry[f]->name, e->definer, e->min_minor, why);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* A target of minor 12 without numpy is all the lookup reads. */
static void lookup_takes_minor_and_numpy_into_account(void **state)
{
    (void)state;
    struct target t;
    memset(&t, 0, sizeof t);
    t.minor = 12;
    const struct family_entry *e = family_find_traverse(&t, "list");
    assert_non_null(e);
    assert_int_equal(family_traverse_kind(e), TRAVERSE_LIST);
    assert_int_equal(family_size_kind(family_find_size(&t, "list")), SIZE_LIST);
    assert_null(family_find_size(&t, "tuple")); /* tuple's __sizeof__ is object's */
    /* operator.methodcaller: fixed fields up to 3.13, then another layout. */
    e = family_find_traverse(&t, "operator.methodcaller");
    assert_non_null(e);
    assert_int_equal(family_traverse_kind(e), TRAVERSE_FIELDS);
    t.minor = 14;
    e = family_find_traverse(&t, "operator.methodcaller");
    assert_non_null(e);
    assert_int_equal(family_traverse_kind(e), TRAVERSE_FAMILY);
    /* numpy's entries need the layout of the target's numpy. */
    assert_null(family_find_traverse(&t, "numpy.ufunc"));
    assert_null(family_find_size(&t, "numpy.ndarray"));
    /* 3.15's lazy imports exist on 3.15 alone. */
    assert_null(family_find_traverse(&t, "lazy_import"));
    t.minor = 15;
    assert_non_null(family_find_traverse(&t, "lazy_import"));
    assert_null(family_find_traverse(&t, "no.such.Type"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_two_entries_answer_one_question),
        cmocka_unit_test(every_entry_is_whole),
        cmocka_unit_test(lookup_takes_minor_and_numpy_into_account),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
