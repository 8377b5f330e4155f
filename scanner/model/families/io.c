/* _io (Modules/_io/, 3.8 to 3.15): object fields, the instance dict
 * (found by tp_dictoffset) and the buffers __sizeof__ counts. */
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
static bool stringio312(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    /* The type's dictoffset counts from the object's real head, which is
     * longer than the one obj is given with in a free-threaded build. */
    uint64_t head = obj - (uint64_t)py_head_shift(t);
    if (ti->dictoffset < 40 || ti->dictoffset + 8 > ti->basicsize)
        return false;
    for (int64_t off = ti->dictoffset - 24; off < ti->dictoffset; off += 8) {
        uint64_t p = u64_at(t, head + (uint64_t)off);
        if (p)
            emit(w, p, rel_none);
    }
    return true;
}

/* textio {head, ok, detached, chunk_size, buffer, encoding, encoder,
 * decoder, readnl, errors, writenl, 9 flags, encodefunc,
 * encoding_start_of_stream, decoded_chars, used, pending_bytes, count,
 * snapshot, b2cratio, raw, weakreflist, dict}; fileio keeps its dict after
 * fd, flags, blksize and weakreflist; buffered its raw first and its dict
 * after buffer_size and buffer_mask. */
static const int64_t textio_fields[] = {32, 40, 48, 56, 64, 72, 120, 136, 152, 168, 184, -1};
static const int64_t fileio_fields[] = {40, -1};
static const int64_t buffered_fields[] = {16, 136, -1};

/* buffered's __sizeof__: the buffer when it has one (from the layouts). */
static uint64_t buffered_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    const struct py_layout *L = t->L;
    uint64_t size = (uint64_t)ti->basicsize;
    if (u64_at(t, obj + (uint64_t)L->buffered_buffer))
        size += u64_at(t, obj + (uint64_t)L->buffered_buffer_size);
    return size;
}

/* BytesIO's: the buffer counts when the BytesIO holds the only reference. */
static uint64_t bytesio_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    const struct py_layout *L = t->L;
    uint64_t size = (uint64_t)ti->basicsize;
    uint64_t buf = u64_at(t, obj + (uint64_t)L->bytesio_buf);
    if (buf && py_refcount(t, buf) == 1)
        size += (uint64_t)L->bytes_basicsize + u64_at(t, buf + (uint64_t)L->ob_size);
    return size;
}

#define BUFFERED(name)                                                                                         \
    {.definer = (name), .fields = buffered_fields, .traverse_kind = TRAVERSE_FIELDS},                       \
    {.definer = (name), .by_layout = true, .size = buffered_size, .size_kind = SIZE_BUFFERED}

static const struct family_entry entries[] = {
    {.definer = "_io.TextIOWrapper", .fields = textio_fields, .traverse_kind = TRAVERSE_FIELDS},
    {.definer = "_io.FileIO", .fields = fileio_fields, .traverse_kind = TRAVERSE_FIELDS},
    BUFFERED("_io.BufferedReader"),
    BUFFERED("_io.BufferedWriter"),
    BUFFERED("_io.BufferedRandom"),
    {.definer = "_io.BytesIO", .by_layout = true, .size = bytesio_size, .size_kind = SIZE_BYTESIO},
    {.definer = "_io._IOBase", .fields = none, .visits_dict = true},
    {.definer = "_io.BytesIO", .max_minor = 11, .fields = none, .visits_dict = true},
    {.definer = "_io.BytesIO", .min_minor = 12, .fields = first, .visits_dict = true},
    {.definer = "_io.StringIO", .max_minor = 11, .fields = none, .visits_dict = true},
    {.definer = "_io.StringIO", .min_minor = 12, .fields = none, .visits_dict = true, .traverse = stringio312},
    {.definer = "_io.BufferedRWPair", .max_minor = 11, .fields = none, .visits_dict = true},
    {.definer = "_io.BufferedRWPair", .min_minor = 12, .fields = rwpair, .visits_dict = true},
    {.definer = "_io.IncrementalNewlineDecoder", .fields = nldecoder},
    {.definer = "_io._BytesIOBuffer", .fields = bytesiobuf},
};

const struct family family_io = FAMILY("io", entries);
