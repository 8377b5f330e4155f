/* Finding what a patch release moves, over synthetic memory images.
 *
 * Each image is one 3.12 interpreter laid out by the committed
 * 3.12-release layout (generated from 3.12.1): a _PyRuntime with the main
 * interpreter embedded in it, one thread state, sys/modules/builtins dicts
 * and the gc state's list heads.  The image is then rebuilt with the runtime
 * grown or shrunk after the fields the scanner uses (as 3.12.1 -> 3.12.5
 * grew it by 48 bytes, moving the embedded interpreter) and must be found
 * the same; a drift into a field the scanner uses must be refused with that
 * field's name.  The locating logic is what is tested here: real patch
 * releases are scanned by tests/e2e/test_object_model.py. */
/* The scanner's headers before cmocka's, whose fail() is a macro. */
#include "model/discover.h"
#include "model/locate.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#define RUNTIME 0x10000000ULL
#define HEAP 0x20000000ULL
#define HEAP_SIZE 0x10000ULL
#define HEX_3_12_5 0x030C05F0U
#define HEX_3_12_1 0x030C01F0U
#define INTERP_AT 70000       /* the embedded main interpreter's offset in _PyRuntime, before drift */

struct image {
    const struct py_layout *L;
    struct memory mem;
    unsigned char *rt, *heap;
    uint64_t rt_size, brk;    /* heap allocation pointer */
    uint64_t interp, tstate, sysdict, gc_state;
};

/* Image-building options: how this build differs from 3.12.1's. */
struct drift {
    int64_t runtime_growth;   /* bytes added to _PyRuntime after interpreters.main */
    int64_t main_shift;       /* bytes added before interpreters.main */
    int64_t sysdict_shift;    /* the interpreter's sysdict field moved */
    int64_t generations_shift; /* the gc generation heads moved, generation0 not */
    bool thread_elsewhere;    /* the thread state points to another interpreter */
};

static void put(struct image *im, uint64_t addr, uint64_t v, size_t n)
{
    unsigned char *base = addr >= HEAP ? im->heap + (addr - HEAP) : im->rt + (addr - RUNTIME);
    assert_true(addr >= HEAP ? addr + n <= HEAP + HEAP_SIZE : addr + n <= RUNTIME + im->rt_size);
    memcpy(base, &v, n);
}

static uint64_t alloc(struct image *im, uint64_t n)
{
    uint64_t a = HEAP + im->brk;
    im->brk += (n + 15) & ~15ULL;
    assert_true(im->brk <= HEAP_SIZE);
    return a;
}

static uint64_t make_str(struct image *im, const char *s)
{
    const struct py_layout *L = im->L;
    size_t len = strlen(s);
    uint64_t o = alloc(im, (uint64_t)L->str_ascii_size + len + 1);
    put(im, o + (uint64_t)L->str_length, len, 8);
    put(im, o + (uint64_t)L->str_state,
        (1u << L->str_state_kind_shift) | (1u << L->str_state_compact_shift) |
            (1u << L->str_state_ascii_shift),
        4);
    for (size_t i = 0; i < len; i++)
        put(im, o + (uint64_t)L->str_ascii_size + i, (unsigned char)s[i], 1);
    return o;
}

static uint64_t make_int(struct image *im, uint32_t v)
{
    const struct py_layout *L = im->L;
    uint64_t o = alloc(im, (uint64_t)L->long_basicsize + 8);
    put(im, o + (uint64_t)L->long_lv_tag, 1 << 3, 8); /* one digit, positive */
    put(im, o + (uint64_t)L->long_digit, v, 4);
    return o;
}

/* A str-keyed dict of n entries (a combined table of 8 slots). */
static uint64_t make_dict(struct image *im, const char *const *keys, const uint64_t *values, int n)
{
    const struct py_layout *L = im->L;
    uint64_t index_bytes = 8;
    uint64_t k = alloc(im, (uint64_t)L->dk_indices + index_bytes +
                               (uint64_t)(n * L->dk_unicode_entry_size));
    put(im, k + (uint64_t)L->dk_log2_size, 3, 1);
    put(im, k + (uint64_t)L->dk_log2_index_bytes, 3, 1);
    put(im, k + (uint64_t)L->dk_kind, 1, 1);
    put(im, k + (uint64_t)L->dk_nentries, (uint64_t)n, 8);
    uint64_t entries = k + (uint64_t)L->dk_indices + index_bytes;
    for (int i = 0; i < n; i++) {
        put(im, entries + (uint64_t)(i * L->dk_unicode_entry_size), make_str(im, keys[i]), 8);
        put(im, entries + (uint64_t)(i * L->dk_unicode_entry_size) + 8, values[i], 8);
    }
    uint64_t d = alloc(im, (uint64_t)L->dict_size);
    put(im, d + (uint64_t)L->dict_ma_keys, k, 8);
    return d;
}

static void empty_list(struct image *im, uint64_t head)
{
    put(im, head, head, 8);
    put(im, head + 8, head, 8);
}

static void build(struct image *im, const struct drift *d)
{
    memset(im, 0, sizeof *im);
    im->L = py_layout_find(12, 1, 0, 0);
    assert_non_null(im->L);
    assert_string_equal(im->L->key, "3.12-release");
    const struct py_layout *L = im->L;
    im->rt_size = (uint64_t)(L->runtime_size + d->runtime_growth);
    memory_init(&im->mem);
    im->rt = mem_alloc_buffer(im->rt_size);
    im->heap = mem_alloc_buffer(HEAP_SIZE);
    assert_true(memory_add_region(&im->mem, RUNTIME, RUNTIME + im->rt_size, im->rt));
    assert_true(memory_add_region(&im->mem, HEAP, HEAP + HEAP_SIZE, im->heap));

    /* The embedded main interpreter, after the runtime's growth. */
    im->interp = RUNTIME + INTERP_AT + (uint64_t)d->runtime_growth;
    assert_true(im->interp + (uint64_t)L->interp_size <= RUNTIME + im->rt_size);
    uint64_t main_at = RUNTIME + (uint64_t)(L->runtime_interpreters_main + d->main_shift);
    put(im, main_at - 8, im->interp, 8); /* interpreters.head */
    put(im, main_at, im->interp, 8);     /* interpreters.main */

    im->tstate = alloc(im, 512);
    put(im, im->interp + (uint64_t)L->interp_threads_head, im->tstate, 8);
    put(im, im->tstate + (uint64_t)L->ts_interp, d->thread_elsewhere ? HEAP : im->interp, 8);

    /* The GIL (3.12: the interpreter points to it), held by the thread. */
    uint64_t gil = alloc(im, 256);
    put(im, im->interp + (uint64_t)L->interp_gil, gil, 8);
    put(im, gil + (uint64_t)L->gil_last_holder, im->tstate, 8);
    put(im, gil + (uint64_t)L->gil_locked, 1, 4);

    const char *sys_keys[] = {"hexversion", "abiflags"};
    uint64_t sys_values[] = {make_int(im, HEX_3_12_5 - (d->runtime_growth ? 0 : 0x400)),
                             make_str(im, "")};
    im->sysdict = make_dict(im, sys_keys, sys_values, 2);
    put(im, im->interp + (uint64_t)(L->interp_sysdict + d->sysdict_shift), im->sysdict, 8);
    const char *mod_keys[] = {"builtins", "sys"};
    uint64_t mod_values[] = {make_str(im, "<module builtins>"), make_str(im, "<module sys>")};
    put(im, im->interp + (uint64_t)L->interp_modules, make_dict(im, mod_keys, mod_values, 2), 8);
    const char *bi_keys[] = {"len"};
    uint64_t bi_values[] = {make_str(im, "<built-in function len>")};
    put(im, im->interp + (uint64_t)L->interp_builtins, make_dict(im, bi_keys, bi_values, 1), 8);

    /* The gc state: the youngest generation holds one object, the others
     * and the permanent generation are empty. */
    im->gc_state = im->interp + (uint64_t)L->interp_gc;
    uint64_t gens = im->gc_state + (uint64_t)(L->gc_generations + d->generations_shift);
    for (int64_t g = 0; g < L->gc_num_generations; g++)
        empty_list(im, gens + (uint64_t)(g * L->gc_generation_size));
    uint64_t node = alloc(im, 64);
    put(im, gens, node, 8);
    put(im, gens + 8, node, 8);
    put(im, node, gens, 8);
    put(im, node + 8, gens, 8);
    put(im, im->gc_state + (uint64_t)L->gc_generation0,
        im->gc_state + (uint64_t)L->gc_generations, 8);
    empty_list(im, im->gc_state + (uint64_t)L->gc_permanent_generation);
}

static void release(struct image *im)
{
    memory_free(&im->mem);
}

/* Discovers the image as the scanner discovers a process. */
static bool discover(struct image *im, const struct drift *d, struct target *t, struct error *err)
{
    memset(t, 0, sizeof *t);
    memset(err, 0, sizeof *err);
    t->mem = &im->mem;
    struct runtime_hint hint = {0};
    hint.runtime = RUNTIME;
    hint.runtime_size = im->rt_size;
    hint.py_version = d->runtime_growth ? HEX_3_12_5 : HEX_3_12_1;
    snprintf(hint.binary, sizeof hint.binary, "synthetic");
    return discover_interpreter(&hint, t, err);
}

static void same_fit_as_base(struct image *im, const struct target *t)
{
    assert_int_equal(t->interp, im->interp);
    assert_int_equal(t->gc_state, im->gc_state);
    assert_string_equal(t->layout_key, "3.12-release");
    const struct py_layout *L = im->L;
    /* Nothing the scan reads past _PyRuntime moved. */
    assert_int_equal(t->layout.interp_sysdict, L->interp_sysdict);
    assert_int_equal(t->layout.interp_threads_head, L->interp_threads_head);
    assert_int_equal(t->layout.gc_generations, L->gc_generations);
    assert_int_equal(t->layout.gc_permanent_generation, L->gc_permanent_generation);
    assert_int_equal(t->layout.ob_type, L->ob_type);
}

static void the_tested_patch_level_uses_its_layout_as_is(void **state)
{
    (void)state;
    struct image im;
    struct drift d = {0};
    build(&im, &d);
    struct target t;
    struct error err;
    assert_true(discover(&im, &d, &t, &err));
    same_fit_as_base(&im, &t);
    assert_true(t.layout_tested);
    assert_string_equal(t.layout_note, "");
    assert_int_equal(t.layout.runtime_size, im.L->runtime_size);
    release(&im);
}

static void a_runtime_grown_or_shrunk_after_its_fields_is_found_alike(void **state)
{
    (void)state;
    static const int64_t growths[] = {48, -48, 4096, -8};
    for (size_t i = 0; i < sizeof growths / sizeof growths[0]; i++) {
        struct image im;
        struct drift d = {.runtime_growth = growths[i]};
        build(&im, &d);
        struct target t;
        struct error err;
        if (!discover(&im, &d, &t, &err))
            fail_msg("growth %lld: %s", (long long)growths[i], err.message);
        same_fit_as_base(&im, &t);
        assert_false(t.layout_tested);
        assert_string_equal(t.version_text, "3.12.5");
        assert_int_equal(t.layout.runtime_size, im.L->runtime_size + growths[i]);
        assert_int_equal(t.layout.runtime_interpreters_main, im.L->runtime_interpreters_main);
        release(&im);
    }
}

static void a_moved_interpreters_pointer_is_found_by_what_it_points_to(void **state)
{
    (void)state;
    struct image im;
    struct drift d = {.runtime_growth = 48, .main_shift = 48};
    build(&im, &d);
    struct target t;
    struct error err;
    if (!discover(&im, &d, &t, &err))
        fail_msg("%s", err.message);
    same_fit_as_base(&im, &t);
    assert_int_equal(t.layout.runtime_interpreters_main, im.L->runtime_interpreters_main + 48);
    assert_non_null(strstr(t.layout_note, "runtime_interpreters_main at +96 (layout +48)"));
    assert_non_null(strstr(t.layout_note, "runtime_size 459992 (layout 459944"));
    release(&im);
}

static void expect_refusal(const struct drift *d, const char *field)
{
    struct image im;
    build(&im, d);
    struct target t;
    struct error err;
    assert_false(discover(&im, d, &t, &err));
    assert_int_equal(err.code, EXIT_UNSUPPORTED);
    char want[96];
    snprintf(want, sizeof want, "field %s of the 3.12-release layout", field);
    if (!strstr(err.message, want))
        fail_msg("expected \"%s\" in: %s", want, err.message);
    print_message("refused: %s\n", err.message);
    release(&im);
}

static void a_drift_into_a_used_field_is_refused_with_its_name(void **state)
{
    (void)state;
    /* The sysdict moved inside the interpreter state. */
    struct drift sys = {.runtime_growth = 48, .sysdict_shift = 8};
    expect_refusal(&sys, "interp_sysdict");
    /* The gc generation heads moved, the state's pointer to the youngest
     * did not: the heads found do not agree with it. */
    struct drift gens = {.runtime_growth = 48, .generations_shift = 8};
    expect_refusal(&gens, "gc_generations");
    /* The thread state belongs to another interpreter: no pointer in
     * _PyRuntime leads to a valid interpreter. */
    struct drift threads = {.runtime_growth = 48, .thread_elsewhere = true};
    expect_refusal(&threads, "runtime_interpreters_main");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_tested_patch_level_uses_its_layout_as_is),
        cmocka_unit_test(a_runtime_grown_or_shrunk_after_its_fields_is_found_alike),
        cmocka_unit_test(a_moved_interpreters_pointer_is_found_by_what_it_points_to),
        cmocka_unit_test(a_drift_into_a_used_field_is_refused_with_its_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
