/* _pickle.Pickler (Modules/_pickle.c, 3.8 to 3.15): its traverse visits
 * six object fields and, since 3.12, the keys of its memo, a C hash table;
 * its __sizeof__ adds the memo table and the output buffer (a bytes
 * object, by its sys.getsizeof).  PicklerObject {memo, pers_func,
 * pers_func_self, dispatch_table, reducer_override, write, output_buffer,
 * output_len, max_output_len, three ints, frame_start, buf_size, three
 * ints, fast_memo, buffer_callback}: 152 bytes (3.12.5's source; the
 * same size on every fleet minor); 3.13.0 had persistent_id in place of
 * the pair pers_func/pers_func_self (3.13.0t's source): 144 bytes, every
 * field after it 8 lower.  The definer's basicsize tells the two apart. */
#include "family.h"

#include "pyobj.h"

enum { PICKLER_PAIR = 152, PICKLER_ONE = 144 };

/* The offset of a 152-byte layout's field in this one (0: none). */
static int64_t at(int64_t size, int64_t off)
{
    if (size == PICKLER_PAIR)
        return off;
    if (size == PICKLER_ONE)
        return off <= 24 ? off : off - 8;
    return 0;
}

/* PyMemoTable {mt_mask, mt_used, mt_allocated, mt_table}; PyMemoEntry
 * {me_key, me_value}. */
enum { MEMO_TABLE_SIZE = 32, MEMO_ENTRY_SIZE = 16 };

static bool pickler_traverse(struct target *t, const struct type_info *ti, uint64_t obj, family_visit_fn visit,
                             void *ctx)
{
    int64_t size = ti->family_basicsize;
    if (!at(size, 24))
        return false;
    /* write, pers_func, dispatch_table, fast_memo, reducer_override,
     * buffer_callback. */
    static const int64_t fields[] = {56, 24, 40, 136, 48, 144};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        uint64_t p = u64_at(t, obj + (uint64_t)at(size, fields[i]));
        if (p)
            visit(ctx, p);
    }
    uint64_t memo = u64_at(t, obj + 16);
    if (t->minor < 12 || !memo)
        return true;
    uint64_t n = u64_at(t, memo + 16), table = u64_at(t, memo + 24);
    if (!table)
        return true;
    if (!target_items(t, table, n, MEMO_ENTRY_SIZE, "pickler memo", obj))
        return false;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t key = u64_at(t, table + i * MEMO_ENTRY_SIZE);
        if (key)
            visit(ctx, key);
    }
    return true;
}

static uint64_t pickler_size(struct target *t, const struct type_info *ti, uint64_t obj)
{
    const struct py_layout *L = t->L;
    uint64_t size = (uint64_t)ti->basicsize;
    int64_t off = at(ti->family_basicsize, 64);
    uint64_t memo = u64_at(t, obj + 16), buffer = off ? u64_at(t, obj + (uint64_t)off) : 0;
    if (memo)
        size += MEMO_TABLE_SIZE + u64_at(t, memo + 16) * MEMO_ENTRY_SIZE;
    if (buffer)
        size += (uint64_t)L->bytes_basicsize + u64_at(t, buffer + (uint64_t)L->ob_size);
    return size;
}

static const struct family_entry entries[] = {
    {"_pickle.Pickler", 8, 99, NULL, false, false, false, pickler_traverse, pickler_size},
};

const struct family family_pickle = {"pickle", entries, sizeof entries / sizeof entries[0]};
