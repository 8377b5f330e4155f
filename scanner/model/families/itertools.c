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
static bool tee_data(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    (void)ti;
    uint64_t it = u64_at(t, obj + 16);
    if (it)
        emit(w, it, rel_none);
    int32_t numread = 0;
    mem_read(t->mem, obj + 24, &numread, sizeof numread);
    if (numread < 0 || numread > 57)
        return false;
    for (int32_t i = 0; i < numread; i++) {
        uint64_t v = u64_at(t, obj + 40 + (uint64_t)i * 8);
        if (v)
            emit(w, v, rel_none);
    }
    uint64_t next = u64_at(t, obj + 32);
    if (next)
        emit(w, next, rel_none);
    return true;
}

static uint64_t tuple_len(struct target *t, uint64_t tuple)
{
    return tuple ? u64_at(t, tuple + (uint64_t)t->L->ob_size) : 0;
}

static uint64_t product_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    return (uint64_t)ti->basicsize + tuple_len(t, u64_at(t, obj + 16)) * 8;
}

static uint64_t combinations_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    return (uint64_t)ti->basicsize + u64_at(t, obj + 40) * 8;
}

static uint64_t permutations_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    return (uint64_t)ti->basicsize + (tuple_len(t, u64_at(t, obj + 16)) + u64_at(t, obj + 48)) * 8;
}

/* pairwise's result: a field of the releases whose struct has it (3.13.0
 * and later on the fleet; 3.12.5's has not). */
static bool pairwise_result(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    if (ti->family_basicsize >= 40)
        family_visit_word(w, obj + 32);
    return true;
}

/* countobject {head, cnt, long_cnt, long_step} */
static const int64_t count_fields[] = {24, 32, -1};

static const struct family_entry entries[] = {
    {.definer = "itertools.count", .fields = count_fields, .traverse_kind = TRAVERSE_FIELDS},
    {.definer = "itertools.chain", .fields = pair},
    {.definer = "itertools.compress", .fields = pair},
    {.definer = "itertools.dropwhile", .fields = pair},
    {.definer = "itertools.takewhile", .fields = pair},
    {.definer = "itertools._takewhile", .fields = pair},
    {.definer = "itertools.filterfalse", .fields = pair},
    {.definer = "itertools.starmap", .fields = pair},
    {.definer = "itertools._grouper", .fields = pair},
    {.definer = "itertools.cycle", .fields = pair},
    {.definer = "itertools.pairwise", .min_minor = 10, .fields = pair, .traverse = pairwise_result},
    {.definer = "itertools.islice", .fields = first},
    {.definer = "itertools.repeat", .fields = first},
    {.definer = "itertools._tee", .fields = first},
    {.definer = "itertools.batched", .min_minor = 12, .fields = first},
    {.definer = "itertools.groupby", .fields = groupby},
    {.definer = "itertools.accumulate", .fields = accumulate},
    {.definer = "itertools.zip_longest", .fields = zip_longest},
    {.definer = "itertools.product", .fields = pool_result, .size = product_size},
    {.definer = "itertools.combinations", .fields = pool_result, .size = combinations_size},
    {.definer = "itertools.combinations_with_replacement", .fields = pool_result, .size = combinations_size},
    {.definer = "itertools.permutations", .fields = permutations, .size = permutations_size},
    {.definer = "itertools._tee_dataobject", .traverse = tee_data},
};

const struct family family_itertools = FAMILY("itertools", entries);
