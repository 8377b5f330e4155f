#include "store/snapshot_codec.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/grow.h"

void snap_put(struct buf *b, const void *data, size_t n)
{
    /* Nothing to put (an empty or absent string: data may be NULL, which
     * memcpy may not be given even for no bytes). */
    if (b->oom || n == 0)
        return;
    if (!GROW(b->p, b->cap, b->n + n, (size_t)1 << 16)) {
        b->oom = true;
        return;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
}

void snap_put_u8(struct buf *b, uint8_t v) { snap_put(b, &v, 1); }
void snap_put_u32(struct buf *b, uint32_t v) { snap_put(b, &v, 4); }
void snap_put_u64(struct buf *b, uint64_t v) { snap_put(b, &v, 8); }
void snap_put_str(struct buf *b, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : 0;
    snap_put_u32(b, n);
    snap_put(b, s, n);
}

void snap_put_u32s_wide(struct buf *b, const uint32_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        snap_put_u64(b, v[i]);
}

void snap_section(FILE *out, uint32_t tag, const struct buf *b)
{
    uint64_t len = b->n;
    uint32_t crc = (uint32_t)crc32(0L, b->p, (uInt)b->n);
    fwrite(&tag, 4, 1, out);
    fwrite(&len, 8, 1, out);
    if (b->n)
        fwrite(b->p, 1, b->n, out);
    fwrite(&crc, 4, 1, out);
}


bool snap_take(struct reader *r, void *out, size_t n)
{
    if (r->bad || n > r->n - r->at) {
        r->bad = true;
        if (out)
            memset(out, 0, n);
        return false;
    }
    if (out)
        memcpy(out, r->p + r->at, n);
    r->at += n;
    return true;
}

uint8_t snap_get_u8(struct reader *r) { uint8_t v; snap_take(r, &v, 1); return v; }
uint32_t snap_get_u32(struct reader *r) { uint32_t v; snap_take(r, &v, 4); return v; }
uint64_t snap_get_u64(struct reader *r) { uint64_t v; snap_take(r, &v, 8); return v; }

char *snap_get_str(struct reader *r)
{
    uint32_t n = snap_get_u32(r);
    if (r->bad || n > r->n - r->at) {
        r->bad = true;
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) {
        r->bad = true;
        return NULL;
    }
    snap_take(r, s, n);
    s[n] = '\0';
    return s;
}

/* The payload of the next section, checked. */
bool snap_next_section(struct reader *file, uint32_t want, struct reader *out)
{
    uint32_t tag = snap_get_u32(file);
    uint64_t len = snap_get_u64(file);
    if (file->bad || tag != want || len > file->n - file->at || file->n - file->at - len < 4)
        return false;
    const unsigned char *payload = file->p + file->at;
    file->at += len;
    uint32_t crc = snap_get_u32(file);
    if (crc != (uint32_t)crc32(0L, payload, (uInt)len))
        return false;
    *out = (struct reader){payload, (size_t)len, 0, false};
    return true;
}

bool snap_fill_array(struct reader *r, void **dst, size_t count, size_t elem)
{
    if (count > (r->n - r->at) / (elem ? elem : 1)) {
        r->bad = true;
        return false;
    }
    *dst = malloc(count ? count * elem : 1);
    return *dst && snap_take(r, *dst, count * elem);
}

bool snap_fill_u32s_wide(struct reader *r, uint32_t **dst, size_t count)
{
    if (count > (r->n - r->at) / 8) {
        r->bad = true;
        return false;
    }
    *dst = malloc(count ? count * sizeof **dst : 1);
    if (!*dst)
        return false;
    for (size_t i = 0; i < count; i++) {
        uint64_t v = snap_get_u64(r);
        if (r->bad || v > UINT32_MAX) {
            r->bad = true;
            return false;
        }
        (*dst)[i] = (uint32_t)v;
    }
    return true;
}
