/* _io (Modules/_io/, 3.8 to 3.15) beside what traverse_describe.c's field lists
 * hold: the classes whose traverse visits the instance dict (found by
 * tp_dictoffset) and a few object fields. */
#include "model/families/family.h"
#include "model/pyobj.h"

static const int64_t none[] = {-1};
/* bytesio (bytesio.c) {buf, pos, string_size, dict, ...}: 3.12+ visit buf;
 * rwpair (bufferedio.c) {reader, writer, dict, ...}: 3.12+ visit both. */
static const int64_t first[] = {16, -1};
static const int64_t rwpair[] = {16, 24, -1};
/* nldecoder_object (textio.c) {decoder, errors, ...}; bytesiobuf
 * (bytesio.c) {source}. */
static const int64_t nldecoder[] = {16, 24, -1};
static const int64_t bytesiobuf[] = {16, -1};

/* stringio (stringio.c): 3.12+ visit decoder, readnl and writenl, the
 * three fields before its dict (whose offset the type gives), then the
 * dict. */
static bool stringio312(struct target *t, const struct type_info *ti, uint64_t obj, family_visit_fn visit,
                        void *ctx)
{
    /* The type's dictoffset counts from the object's real head, which is
     * longer than the one obj is given with in a free-threaded build. */
    uint64_t head = obj - (uint64_t)py_head_shift(t);
    if (ti->dictoffset < 40 || ti->dictoffset + 8 > ti->basicsize)
        return false;
    for (int64_t off = ti->dictoffset - 24; off < ti->dictoffset; off += 8) {
        uint64_t p = u64_at(t, head + (uint64_t)off);
        if (p)
            visit(ctx, p);
    }
    return true;
}

static const struct family_entry entries[] = {
    {"_io._IOBase", 8, 99, none, false, true, false, NULL, NULL},
    {"_io.BytesIO", 8, 11, none, false, true, false, NULL, NULL},
    {"_io.BytesIO", 12, 99, first, false, true, false, NULL, NULL},
    {"_io.StringIO", 8, 11, none, false, true, false, NULL, NULL},
    {"_io.StringIO", 12, 99, none, false, true, false, stringio312, NULL},
    {"_io.BufferedRWPair", 8, 11, none, false, true, false, NULL, NULL},
    {"_io.BufferedRWPair", 12, 99, rwpair, false, true, false, NULL, NULL},
    {"_io.IncrementalNewlineDecoder", 8, 99, nldecoder, false, false, false, NULL, NULL},
    {"_io._BytesIOBuffer", 8, 99, bytesiobuf, false, false, false, NULL, NULL},
};

const struct family family_io = {"io", entries, sizeof entries / sizeof entries[0]};
