/* _pickle.Pickler and Unpickler (Modules/_pickle.c, 3.8 to 3.15).
 *
 * Pickler: its traverse visits six object fields and (visits_memo) the
 * keys of its memo, a C hash table;
 * its __sizeof__ adds the memo table and the output buffer (a bytes
 * object, by its sys.getsizeof).  PicklerObject {memo, pers_func,
 * pers_func_self, dispatch_table, reducer_override, write, output_buffer,
 * output_len, max_output_len, three ints, frame_start, buf_size, three
 * ints, fast_memo, buffer_callback}: 152 bytes (3.12.5's source; the
 * same size on every fleet minor); 3.13.0 had persistent_id in place of
 * the pair pers_func/pers_func_self (3.13.0t's source): 144 bytes, every
 * field after it 8 lower.  The definer's basicsize tells the two apart. */
#include "model/families/family.h"

#include "model/pyobj.h"

enum { PICKLER_PAIR = 152 }; /* 144 without pers_func_self */

/* Whether the traverse visits the memo: bpo-41422, in 3.13 and backported
 * to 3.12.1 and 3.11.7 (the fleet's 3.11.2 does not, its 3.11.7 does). */
static bool visits_memo(const struct target *t)
{
    return t->minor >= 13 || (t->minor == 12 && t->micro >= 1) || (t->minor == 11 && t->micro >= 7);
}

/* The offset, in the layout of the given size, of the field at off in the
 * layout with pers_func_self (pair): the same there; 8 lower past
 * pers_func (at last) in the one without it; 0 in any other. */
static int64_t layout_offset(int64_t size, int64_t pair, int64_t last, int64_t off)
{
    if (size == pair)
        return off;
    if (size == pair - 8)
        return off <= last ? off : off - 8;
    return 0;
}

static int64_t at(int64_t size, int64_t off)
{
    return layout_offset(size, PICKLER_PAIR, 24, off);
}

/* PyMemoTable {mt_mask, mt_used, mt_allocated, mt_table}; PyMemoEntry
 * {me_key, me_value}. */
enum { MEMO_TABLE_SIZE = 32, MEMO_ENTRY_SIZE = 16 };

static bool pickler_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    int64_t size = ti->family_basicsize;
    if (!at(size, 24))
        return false;
    /* write, pers_func, dispatch_table, fast_memo, reducer_override,
     * buffer_callback. */
    static const int64_t fields[] = {56, 24, 40, 136, 48, 144};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        family_visit_word(w, obj + (uint64_t)at(size, fields[i]));
    uint64_t memo = u64_at(t, obj + 16);
    if (!visits_memo(t) || !memo)
        return true;
    uint64_t table = u64_at(t, memo + 24);
    return !table ||
           family_visit_array(w, table, u64_at(t, memo + 16), MEMO_ENTRY_SIZE, "pickler memo", obj);
}

static uint64_t pickler_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    const struct py_layout *L = t->L;
    uint64_t size = (uint64_t)ti->basicsize;
    int64_t off = at(ti->family_basicsize, 64);
    if (!off)
        return 0;
    uint64_t memo = u64_at(t, obj + 16), buffer = off ? u64_at(t, obj + (uint64_t)off) : 0;
    if (memo)
        size += MEMO_TABLE_SIZE + u64_at(t, memo + 16) * MEMO_ENTRY_SIZE;
    if (buffer)
        size += (uint64_t)L->bytes_basicsize + u64_at(t, buffer + (uint64_t)L->ob_size);
    return size;
}

/* Unpickler: its traverse visits readline, readinto, read, peek, the stack
 * (a Pdata object), the persistent_load method, the persistent_load
 * instance attribute (where there is one), buffers and (visits_memo) the
 * memo, a C array of memo_size objects; its __sizeof__ adds the memo, the
 * mark stack and three C strings (input_line, encoding, errors).
 * UnpicklerObject {stack, memo, memo_size, memo_len, persistent load
 * fields, buffer (a Py_buffer, 80 bytes), input_buffer, input_line,
 * input_len, next_read_idx, prefetched_idx, 3.13.18+: frame_end and
 * saved_input_len, read, readinto, readline, peek, buffers, encoding,
 * errors, marks, num_marks, marks_size, proto, fix_imports, 3.13.18+:
 * running}.  Four layouts, told apart by the definer's basicsize:
 * - 272 (3.12.5's source; 3.8 to 3.13.5 on the fleet but 3.13.0): the
 *   persistent load fields are pers_func (visited) and pers_func_self;
 * - 264 (3.13.0t's source): pers_func alone;
 * - 296 (3.14.7's source; 3.13.18 and 3.14.10 on the fleet, whose words
 *   hold the same objects at the same places): persistent_load (set while
 *   load() runs) and persistent_load_attr, both visited;
 * - 304 (3.15, no source at hand): inferred from memory: a word more
 *   after memo_len (zero in every state the fleet showed, taken for no
 *   object), then persistent_load (56) and persistent_load_attr (64),
 *   everything after 8 higher than in 296; persistent_load's place seen
 *   while load() runs, each other object field by gc.get_referents.
 * Any other size stays flagged. */
struct unpickler_layout {
    int64_t size;
    int64_t persistent[2]; /* the persistent load objects visited; 0: none */
    int64_t input_line, read, readinto, readline, peek, buffers, encoding, errors, marks, marks_size;
};

static const struct unpickler_layout unpickler_layouts[] = {
    {272, {48, 0}, 152, 184, 192, 200, 208, 216, 224, 232, 240, 256},
    {264, {48, 0}, 144, 176, 184, 192, 200, 208, 216, 224, 232, 248},
    {296, {48, 56}, 152, 200, 208, 216, 224, 232, 240, 248, 256, 272},
    {304, {56, 64}, 160, 208, 216, 224, 232, 240, 248, 256, 264, 280},
};

/* UnpicklerObject's first fields, the same in every layout. */
enum { UNPICKLER_STACK = 16, UNPICKLER_MEMO = 24, UNPICKLER_MEMO_SIZE = 32 };

static const struct unpickler_layout *unpickler_layout(const struct type_info *ti)
{
    for (size_t i = 0; i < sizeof unpickler_layouts / sizeof unpickler_layouts[0]; i++)
        if (unpickler_layouts[i].size == ti->family_basicsize)
            return &unpickler_layouts[i];
    return NULL;
}

static bool unpickler_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    const struct unpickler_layout *u = unpickler_layout(ti);
    if (!u)
        return false;
    const int64_t fields[] = {u->readline, u->readinto, u->read, u->peek, UNPICKLER_STACK,
                              u->persistent[0], u->persistent[1], u->buffers};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i])
            family_visit_word(w, obj + (uint64_t)fields[i]);
    uint64_t memo = u64_at(t, obj + UNPICKLER_MEMO);
    return !visits_memo(t) || !memo ||
           family_visit_array(w, memo, u64_at(t, obj + UNPICKLER_MEMO_SIZE), 8, "unpickler memo", obj);
}

static uint64_t unpickler_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    const struct unpickler_layout *u = unpickler_layout(ti);
    uint64_t size = (uint64_t)ti->basicsize;
    if (!u)
        return 0;
    if (u64_at(t, obj + UNPICKLER_MEMO))
        size += u64_at(t, obj + UNPICKLER_MEMO_SIZE) * 8;
    if (u64_at(t, obj + (uint64_t)u->marks))
        size += u64_at(t, obj + (uint64_t)u->marks_size) * 8;
    const int64_t strings[] = {u->input_line, u->encoding, u->errors};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        size += family_c_string_size(t, u64_at(t, obj + (uint64_t)strings[i]));
    return size;
}

static const struct family_entry entries[] = {
    {.definer = "_pickle.Pickler", .traverse = pickler_traverse, .size = pickler_size},
    {.definer = "_pickle.Unpickler", .traverse = unpickler_traverse, .size = unpickler_size},
};

const struct family family_pickle = FAMILY("pickle", entries);
