#include "model/relation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"

void name_table_free(struct name_table *nt)
{
    free(nt->chars);
    free(nt->start);
    free(nt->slot);
    memset(nt, 0, sizeof *nt);
}

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static bool rehash(struct name_table *nt)
{
    size_t n = nt->nslots ? nt->nslots * 2 : 256;
    uint32_t *slot = calloc(n, sizeof *slot);
    if (!slot)
        return false;
    for (uint32_t id = 0; id < nt->count; id++) {
        size_t j = hash_str(nt->chars + nt->start[id]) & (n - 1);
        while (slot[j])
            j = (j + 1) & (n - 1);
        slot[j] = id + 1;
    }
    free(nt->slot);
    nt->slot = slot;
    nt->nslots = n;
    return true;
}

uint32_t name_table_intern(struct name_table *nt, const char *s)
{
    if ((nt->count + 1) * 2 > nt->nslots && !rehash(nt))
        return UINT32_MAX;
    size_t mask = nt->nslots - 1, j = hash_str(s) & mask;
    for (; nt->slot[j]; j = (j + 1) & mask)
        if (strcmp(nt->chars + nt->start[nt->slot[j] - 1], s) == 0)
            return nt->slot[j] - 1;
    size_t len = strlen(s) + 1;
    if (!GROW(nt->chars, nt->cap, nt->len + len, 4096) || !GROW(nt->start, nt->start_cap, nt->count + 1, 256))
        return UINT32_MAX;
    memcpy(nt->chars + nt->len, s, len);
    nt->start[nt->count] = (uint32_t)nt->len;
    nt->len += len;
    nt->slot[j] = (uint32_t)nt->count + 1;
    return (uint32_t)nt->count++;
}

/* The length of the UTF-8 sequence starting with c, 0 when c cannot start one. */
static size_t utf8_length(unsigned char c)
{
    return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
}

size_t py_repr_str(const char *s, size_t len, char *out, size_t cap)
{
    /* Python quotes with ' unless the text has ' and no ". */
    bool single = memchr(s, '\'', len) != NULL, dbl = memchr(s, '"', len) != NULL;
    char quote = single && !dbl ? '"' : '\'';
    size_t n = 0;
    char piece[8];
#define PUT(str, k)                                   \
    do {                                              \
        if (n + (k) + 2 > cap)                        \
            goto done;                                \
        memcpy(out + n, (str), (k));                  \
        n += (k);                                     \
    } while (0)
    PUT(&quote, 1);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = utf8_length(c);
        if (c == '\\' || c == (unsigned char)quote) {
            piece[0] = '\\';
            piece[1] = (char)c;
            PUT(piece, 2);
        } else if (c == '\n' || c == '\r' || c == '\t') {
            piece[0] = '\\';
            piece[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
            PUT(piece, 2);
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(piece, sizeof piece, "\\x%02x", c);
            PUT(piece, 4);
        } else if (k > 1 && i + k <= len) {
            /* Non-ASCII: Python prints the printable ones as they are; the
             * C1 controls (U+0080..U+009F) are escaped. */
            if (k == 2 && c == 0xC2 && (unsigned char)s[i + 1] < 0xA0) {
                snprintf(piece, sizeof piece, "\\x%02x", (unsigned char)s[i + 1]);
                PUT(piece, 4);
            } else {
                PUT(s + i, k);
            }
            i += k;
            continue;
        } else {
            PUT(s + i, 1);
        }
        i++;
    }
    out[n++] = quote;
done:
    out[n] = '\0';
    return n;
#undef PUT
}

size_t relation_render(const struct name_table *names, uint32_t label, bool heapy_set_index,
                       char *out, size_t cap)
{
    uint32_t arg = REL_LABEL_ARG(label);
    const char *name = name_table_get(names, arg);
    char quoted[600];
    int n = 0;
    switch (REL_LABEL_KIND(label)) {
    case REL_NONE:
        n = snprintf(out, cap, ".??");
        break;
    case REL_INDEX:
        n = snprintf(out, cap, "[%u]", arg);
        break;
    case REL_KEY:
    case REL_KEY_UNSEEN:
        n = snprintf(out, cap, ".keys()[%u]", arg);
        break;
    case REL_VALUE:
        n = snprintf(out, cap, "[%s]", name);
        break;
    case REL_ATTR:
    case REL_ROOT:
        n = snprintf(out, cap, ".%s", name);
        break;
    case REL_INTERATTR:
        n = snprintf(out, cap, "->%s", name);
        break;
    case REL_LOCAL:
    case REL_CELL:
        py_repr_str(name, strlen(name), quoted, sizeof quoted);
        n = snprintf(out, cap, REL_LABEL_KIND(label) == REL_LOCAL ? ".f_locals[%s]" : ".f_locals [%s]",
                     quoted);
        break;
    case REL_STACK:
        n = snprintf(out, cap, "->f_valuestack[%u]", arg);
        break;
    case REL_INSET:
        n = snprintf(out, cap, "list(_)[%u]", heapy_set_index ? 0 : arg);
        break;
    }
    if (n < 0)
        n = 0;
    return (size_t)n < cap ? (size_t)n : cap ? cap - 1 : 0;
}
