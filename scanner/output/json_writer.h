/* The one JSON writer of every format: values streamed to a FILE as they
 * come, with the separators (", " and ": ") and the nesting kept here, so
 * that a writer of a format says what it writes, not where the commas go.
 * Streamed rather than built as a tree (jansson, json-c): a `--by id --all`
 * of ten million objects is ten million rows, which a tree would hold
 * whole in memory beside the heap's graph.  Strings are escaped as JSON
 * wants and made valid UTF-8 (a byte that starts no valid sequence becomes
 * U+FFFD): what the target's memory holds is not always text. */
#ifndef PYHEAPSCAN_JSON_WRITER_H
#define PYHEAPSCAN_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 64

struct json_writer {
    FILE *out;
    unsigned depth;
    bool after_key;
    bool has_items[JSON_MAX_DEPTH + 1]; /* an item written at this depth: the next needs ", " */
};

void json_begin(struct json_writer *j, FILE *out);

void json_object_open(struct json_writer *j);
void json_object_close(struct json_writer *j);
void json_array_open(struct json_writer *j);
void json_array_close(struct json_writer *j);

/* A member's name; its value follows. */
void json_key(struct json_writer *j, const char *key);

void json_str(struct json_writer *j, const char *s);
void json_str_or_null(struct json_writer *j, const char *s); /* null for NULL or "" */
void json_u64(struct json_writer *j, uint64_t v);
void json_i64(struct json_writer *j, int64_t v);
void json_bool(struct json_writer *j, bool v);
void json_null(struct json_writer *j);
void json_hex(struct json_writer *j, uint64_t v);               /* "0x7f..." ("0" for 0), as a string */
void json_fixed(struct json_writer *j, double v, int decimals); /* 0.123456 */
void json_raw(struct json_writer *j, const char *json);         /* a value already written as JSON */

/* "timing": {"stopped_seconds", "total_seconds"}, in microseconds, as
 * every command that stops a target reports it. */
void json_kv_timing(struct json_writer *j, double stopped_seconds, double total_seconds);

/* Members in one call. */
void json_kv_str(struct json_writer *j, const char *key, const char *s);
void json_kv_str_or_null(struct json_writer *j, const char *key, const char *s);
void json_kv_u64(struct json_writer *j, const char *key, uint64_t v);
void json_kv_i64(struct json_writer *j, const char *key, int64_t v);
void json_kv_bool(struct json_writer *j, const char *key, bool v);
void json_kv_null(struct json_writer *j, const char *key);
void json_kv_hex(struct json_writer *j, const char *key, uint64_t v);

#endif
