#include "output/json_writer.h"

#include <inttypes.h>

void json_begin(struct json_writer *j, FILE *out)
{
    j->out = out;
    j->depth = 0;
    j->after_key = false;
    j->has_items[0] = false;
}

/* Before a value: ", " after a sibling, nothing after a key. */
static void value_starts(struct json_writer *j)
{
    if (j->after_key)
        j->after_key = false;
    else if (j->has_items[j->depth])
        fputs(", ", j->out);
    j->has_items[j->depth] = true;
}

static void opens(struct json_writer *j, char c)
{
    value_starts(j);
    fputc(c, j->out);
    if (j->depth < JSON_MAX_DEPTH)
        j->depth++;
    j->has_items[j->depth] = false;
}

static void closes(struct json_writer *j, char c)
{
    fputc(c, j->out);
    if (j->depth)
        j->depth--;
}

void json_object_open(struct json_writer *j)
{
    opens(j, '{');
}

void json_object_close(struct json_writer *j)
{
    closes(j, '}');
}

void json_array_open(struct json_writer *j)
{
    opens(j, '[');
}

void json_array_close(struct json_writer *j)
{
    closes(j, ']');
}

/* The length of the valid UTF-8 sequence at s (1 to 4), or 0. */
static int utf8_sequence(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
    for (int k = 1; k < n; k++)
        if ((s[k] & 0xc0) != 0x80)
            return 0;
    /* overlong three- and four-byte forms, surrogates, beyond U+10FFFF */
    if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
        (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return n;
}

static void string_body(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c;) {
        int n = utf8_sequence(c);
        if (n == 0) {
            fputs("\xef\xbf\xbd", out); /* U+FFFD */
            c++;
            continue;
        }
        if (n > 1) {
            fwrite(c, 1, (size_t)n, out);
            c += n;
            continue;
        }
        switch (*c) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*c < 0x20)
                fprintf(out, "\\u%04x", *c);
            else
                fputc(*c, out);
        }
        c++;
    }
    fputc('"', out);
}

void json_key(struct json_writer *j, const char *key)
{
    if (j->has_items[j->depth])
        fputs(", ", j->out);
    j->has_items[j->depth] = true;
    string_body(j->out, key);
    fputs(": ", j->out);
    j->after_key = true;
}

void json_str(struct json_writer *j, const char *s)
{
    value_starts(j);
    string_body(j->out, s ? s : "");
}

void json_str_or_null(struct json_writer *j, const char *s)
{
    if (s && s[0])
        json_str(j, s);
    else
        json_null(j);
}

void json_u64(struct json_writer *j, uint64_t v)
{
    value_starts(j);
    fprintf(j->out, "%" PRIu64, v);
}

void json_i64(struct json_writer *j, int64_t v)
{
    value_starts(j);
    fprintf(j->out, "%" PRId64, v);
}

void json_bool(struct json_writer *j, bool v)
{
    value_starts(j);
    fputs(v ? "true" : "false", j->out);
}

void json_null(struct json_writer *j)
{
    value_starts(j);
    fputs("null", j->out);
}

void json_hex(struct json_writer *j, uint64_t v)
{
    value_starts(j);
    fprintf(j->out, "\"%#" PRIx64 "\"", v);
}

void json_fixed(struct json_writer *j, double v, int decimals)
{
    value_starts(j);
    fprintf(j->out, "%.*f", decimals, v);
}

void json_raw(struct json_writer *j, const char *json)
{
    value_starts(j);
    fputs(json, j->out);
}

void json_kv_timing(struct json_writer *j, double stopped_seconds, double total_seconds)
{
    json_key(j, "timing");
    json_object_open(j);
    json_key(j, "stopped_seconds");
    json_fixed(j, stopped_seconds, 6);
    json_key(j, "total_seconds");
    json_fixed(j, total_seconds, 6);
    json_object_close(j);
}

void json_kv_str(struct json_writer *j, const char *key, const char *s)
{
    json_key(j, key);
    json_str(j, s);
}

void json_kv_str_or_null(struct json_writer *j, const char *key, const char *s)
{
    json_key(j, key);
    json_str_or_null(j, s);
}

void json_kv_u64(struct json_writer *j, const char *key, uint64_t v)
{
    json_key(j, key);
    json_u64(j, v);
}

void json_kv_i64(struct json_writer *j, const char *key, int64_t v)
{
    json_key(j, key);
    json_i64(j, v);
}

void json_kv_bool(struct json_writer *j, const char *key, bool v)
{
    json_key(j, key);
    json_bool(j, v);
}

void json_kv_null(struct json_writer *j, const char *key)
{
    json_key(j, key);
    json_null(j);
}

void json_kv_hex(struct json_writer *j, const char *key, uint64_t v)
{
    json_key(j, key);
    json_hex(j, v);
}
