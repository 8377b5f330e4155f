/* The snapshot file's building blocks, shared by the sections that write
 * and read it (snapshot.c, snapshot_stacks.c): a growing buffer of
 * little-endian integers and strings (u32 length + bytes), sections framed
 * as u32 tag, u64 length, payload, u32 CRC-32 of the payload, and a
 * bounds-checked reader of them. */
#ifndef PYHEAPSCAN_SNAPSHOT_CODEC_H
#define PYHEAPSCAN_SNAPSHOT_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct buf {
    unsigned char *p;
    size_t n, cap;
    bool oom;
};

void snap_put(struct buf *b, const void *data, size_t n);
void snap_put_u8(struct buf *b, uint8_t v);
void snap_put_u32(struct buf *b, uint32_t v);
void snap_put_u64(struct buf *b, uint64_t v);
void snap_put_str(struct buf *b, const char *s);
/* n offsets held in 4 bytes, written as the file's 8-byte ones (the format
 * predates the narrower arrays). */
void snap_put_u32s_wide(struct buf *b, const uint32_t *v, size_t n);
/* Writes b as a section tagged tag. */
void snap_section(FILE *out, uint32_t tag, const struct buf *b);

/* A reader goes bad at the first read past its end; from then on every
 * read gives zeros and NULL. */
struct reader {
    const unsigned char *p;
    size_t n, at;
    bool bad;
};

bool snap_take(struct reader *r, void *out, size_t n);
uint8_t snap_get_u8(struct reader *r);
uint32_t snap_get_u32(struct reader *r);
uint64_t snap_get_u64(struct reader *r);
/* A string the caller frees; NULL when the reader went bad. */
char *snap_get_str(struct reader *r);
/* The payload of the next section of file, which must be tagged want and
 * carry a right CRC. */
bool snap_next_section(struct reader *file, uint32_t want, struct reader *out);
/* count elements of elem bytes into a new array at *dst. */
bool snap_fill_array(struct reader *r, void **dst, size_t count, size_t elem);
/* count 8-byte offsets into a new array of 4-byte ones; an offset that does
 * not fit makes the reader bad. */
bool snap_fill_u32s_wide(struct reader *r, uint32_t **dst, size_t count);

#endif
