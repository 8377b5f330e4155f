#include "stacks/line_table.h"

#include <stdlib.h>

/* 3.8, 3.9: pairs (address increment, signed line increment); the line is
 * the one in force at the last pair starting at or before addr. */
int64_t lnotab_line(const uint8_t *table, size_t n, int64_t first, int64_t addr)
{
    int64_t line = first, at = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        at += table[i];
        if (at > addr)
            break;
        line += (int8_t)table[i + 1];
    }
    return line;
}

/* 3.10: pairs (length in bytes, signed line delta, -128: no line) covering
 * consecutive ranges; ranges of length 0 only move the line. */
int64_t linetable310_line(const uint8_t *table, size_t n, int64_t first, int64_t addr)
{
    int64_t line = first, start, end = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        start = end;
        end += table[i];
        int8_t delta = (int8_t)table[i + 1];
        if (delta != -128)
            line += delta;
        if (addr >= start && addr < end)
            return delta == -128 ? -1 : line;
    }
    return -1;
}

/* 3.11+ varints: six bits a byte, bit 6 says another byte follows. */
static uint64_t varint(const uint8_t *table, size_t n, size_t *i)
{
    uint64_t value = 0;
    for (unsigned shift = 0; *i < n && shift < 64; shift += 6) {
        uint8_t b = table[(*i)++];
        value |= (uint64_t)(b & 63) << shift;
        if (!(b & 64))
            break;
    }
    return value;
}

static int64_t svarint(const uint8_t *table, size_t n, size_t *i)
{
    uint64_t u = varint(table, n, i);
    return (u & 1) ? -(int64_t)(u >> 1) : (int64_t)(u >> 1);
}

/* 3.11+: entries of a first byte 1cccclll (code c, length l + 1 code units)
 * and the code's data: 15 no location, 14 long form (line delta, end line,
 * columns), 13 line delta only, 10-12 a line delta of c - 10 and two column
 * bytes, 0-9 the same line and one column byte. */
int64_t locations_line(const uint8_t *table, size_t n, int64_t first, int64_t addr)
{
    int64_t line = first, at = 0;
    size_t i = 0;
    while (i < n) {
        uint8_t head = table[i++];
        if (!(head & 0x80))
            return -1; /* not at an entry's first byte: a damaged table */
        unsigned code = (head >> 3) & 15;
        int64_t end = at + 2 * ((head & 7) + 1);
        bool none = code == 15;
        size_t data = i;
        if (code == 13 || code == 14)
            line += svarint(table, n, &data);
        else if (code >= 10 && code <= 12)
            line += code - 10;
        /* The entry's other data (columns, end line) is not needed: the
         * next entry is the next byte with its top bit set. */
        while (i < n && !(table[i] & 0x80))
            i++;
        if (addr >= at && addr < end)
            return none ? -1 : line;
        at = end;
    }
    return -1;
}

int64_t line_for_offset(struct target *t, uint64_t code, int64_t addr)
{
    const struct py_layout *L = t->L;
    int32_t first = 0;
    if (!mem_read(t->mem, code + (uint64_t)L->code_firstlineno, &first, sizeof first))
        return -1;
    if (addr < 0)
        return first;
    uint64_t table = u64_at(t, code + (uint64_t)L->code_linetable);
    int64_t n = table ? (int64_t)u64_at(t, table + (uint64_t)L->ob_size) : -1;
    /* A line table is a bytes object; its length must be in memory. */
    if (n < 0 || !target_items(t, table + (uint64_t)L->bytes_sval, (uint64_t)n, 1, "line table", code))
        return -1;
    uint8_t *bytes = malloc(n ? (size_t)n : 1);
    if (!bytes || !mem_read(t->mem, table + (uint64_t)L->bytes_sval, bytes, (size_t)n)) {
        free(bytes);
        return -1;
    }
    int64_t line = t->minor >= 11   ? locations_line(bytes, (size_t)n, first, addr)
                   : t->minor == 10 ? linetable310_line(bytes, (size_t)n, first, addr)
                                    : lnotab_line(bytes, (size_t)n, first, addr);
    free(bytes);
    return line;
}
