/* Counting characters of UTF-8 text as Python's len() counts them (the
 * widths of heapy's and pympler's columns, reprlib's limits). */
#ifndef PYHEAPSCAN_UTF8_H
#define PYHEAPSCAN_UTF8_H

#include <stddef.h>

/* The characters in the first len bytes of s. */
static inline size_t utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t k = 0; k < len; k++)
        n += ((unsigned char)s[k] & 0xC0) != 0x80;
    return n;
}

/* The bytes the first n characters of s (of len bytes) take. */
static inline size_t utf8_prefix(const char *s, size_t len, size_t n)
{
    size_t at = 0;
    for (; n && at < len; n--) {
        at++;
        while (at < len && ((unsigned char)s[at] & 0xC0) == 0x80)
            at++;
    }
    return at;
}

#endif
