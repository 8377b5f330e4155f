/* itertools (Modules/itertoolsmodule.c, 3.8 to 3.15): the object fields of
 * each iterator's struct, after PyObject_HEAD; a field is read only when
 * the definer's basicsize holds it (pairwise's result, 3.13+).  The
 * combinatoric iterators' __sizeof__ counts their index arrays. */
#include "model/families/family.h"

#include "model/pyobj.h"

/* chain {source, active}; compress {data, selectors}; dropwhile, takewhile
 * {func, it, start}; filterfalse, starmap {func, it}; _grouper {parent,
 * tgtkey}; cycle {it, saved, index, firstpass}; pairwise {it, old, result}. */
static const int64_t pair[] = {16, 24, -1};
/* islice {it, ...}; repeat {element, cnt}; _tee {dataobj, index, ...};
 * batched {it, n}. */
static const int64_t first[] = {16, -1};
/* groupby {it, keyfunc, tgtkey, currkey, currvalue, currgrouper (weak)}. */
static const int64_t groupby[] = {16, 24, 32, 40, 48, -1};
/* accumulate {total, it, binop, initial}. */
static const int64_t accumulate[] = {16, 24, 32, 40, -1};
/* zip_longest {tuplesize, numactive, ittuple, result, fillvalue}. */
static const int64_t zip_longest[] = {32, 40, 48, -1};
/* product {pools, indices, result, stopped}; combinations and
 * combinations_with_replacement {pool, indices, result, r, stopped}. */
static const int64_t pool_result[] = {16, 32, -1};
/* permutations {pool, indices, cycles, result, r, stopped}. */
static const int64_t permutations[] = {16, 40, -1};

/* teedataobject {it, int numread, int running, nextlink, values[57]}: the
 * values read so far. */
static bool tee_data(struct target *t, const struct type_info *ti, uint64_t obj, family_visit_fn visit,
                     void *ctx)
{
    (void)ti;
    uint64_t it = u64_at(t, obj + 16);
    if (it)
        visit(ctx, it);
    int32_t numread = 0;
    mem_read(t->mem, obj + 24, &numread, sizeof numread);
    if (numread < 0 || numread > 57)
        return false;
    for (int32_t i = 0; i < numread; i++) {
        uint64_t v = u64_at(t, obj + 40 + (uint64_t)i * 8);
        if (v)
            visit(ctx, v);
    }
    uint64_t next = u64_at(t, obj + 32);
    if (next)
        visit(ctx, next);
    return true;
}

static uint64_t tuple_len(struct target *t, uint64_t tuple)
{
    return tuple ? u64_at(t, tuple + (uint64_t)t->L->ob_size) : 0;
}

static uint64_t product_size(struct target *t, const struct type_info *ti, uint64_t obj)
{
    return (uint64_t)ti->basicsize + tuple_len(t, u64_at(t, obj + 16)) * 8;
}

static uint64_t combinations_size(struct target *t, const struct type_info *ti, uint64_t obj)
{
    return (uint64_t)ti->basicsize + u64_at(t, obj + 40) * 8;
}

static uint64_t permutations_size(struct target *t, const struct type_info *ti, uint64_t obj)
{
    return (uint64_t)ti->basicsize + (tuple_len(t, u64_at(t, obj + 16)) + u64_at(t, obj + 48)) * 8;
}

/* pairwise's result: a field of the releases whose struct has it (3.13.0
 * and later on the fleet; 3.12.5's has not). */
static bool pairwise_result(struct target *t, const struct type_info *ti, uint64_t obj, family_visit_fn visit,
                            void *ctx)
{
    if (ti->family_basicsize >= 40)
        family_visit_word(t, obj + 32, visit, ctx);
    return true;
}

static const struct family_entry entries[] = {
    {"itertools.chain", 8, 99, pair, false, false, false, NULL, NULL},
    {"itertools.compress", 8, 99, pair, false, false, false, NULL, NULL},
    {"itertools.dropwhile", 8, 99, pair, false, false, false, NULL, NULL},
    {"itertools.takewhile", 8, 99, pair, false, false, false, NULL, NULL},
    {"itertools._takewhile", 8, 99, pair, false, false, false, NULL, NULL},
    {"itertools.filterfalse", 8, 99, pair, false, false, false, NULL, NULL},
    {"itertools.starmap", 8, 99, pair, false, false, false, NULL, NULL},
    {"itertools._grouper", 8, 99, pair, false, false, false, NULL, NULL},
    {"itertools.cycle", 8, 99, pair, false, false, false, NULL, NULL},
    {"itertools.pairwise", 10, 99, pair, false, false, false, pairwise_result, NULL},
    {"itertools.islice", 8, 99, first, false, false, false, NULL, NULL},
    {"itertools.repeat", 8, 99, first, false, false, false, NULL, NULL},
    {"itertools._tee", 8, 99, first, false, false, false, NULL, NULL},
    {"itertools.batched", 12, 99, first, false, false, false, NULL, NULL},
    {"itertools.groupby", 8, 99, groupby, false, false, false, NULL, NULL},
    {"itertools.accumulate", 8, 99, accumulate, false, false, false, NULL, NULL},
    {"itertools.zip_longest", 8, 99, zip_longest, false, false, false, NULL, NULL},
    {"itertools.product", 8, 99, pool_result, false, false, false, NULL, product_size},
    {"itertools.combinations", 8, 99, pool_result, false, false, false, NULL, combinations_size},
    {"itertools.combinations_with_replacement", 8, 99, pool_result, false, false, false, NULL,
     combinations_size},
    {"itertools.permutations", 8, 99, permutations, false, false, false, NULL, permutations_size},
    {"itertools._tee_dataobject", 8, 99, NULL, false, false, false, tee_data, NULL},
};

const struct family family_itertools = {"itertools", entries, sizeof entries / sizeof entries[0]};
