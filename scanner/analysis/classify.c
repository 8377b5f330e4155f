#include "analysis/classify.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "model/object_text.h"
#include "model/utf8.h"

void text_add(struct text *t, const char *s, size_t n)
{
    if (t->oom)
        return;
    if (!GROW(t->s, t->cap, t->len + n + 1, 256)) {
        t->oom = true;
        return;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

void text_adds(struct text *t, const char *s)
{
    text_add(t, s, strlen(s));
}

void text_clear(struct text *t)
{
    t->len = 0;
    if (t->s)
        t->s[0] = '\0';
}

void text_free(struct text *t)
{
    free(t->s);
    memset(t, 0, sizeof *t);
}

static void text_printf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_printf(struct text *t, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        text_add(t, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static const char *type_name(const struct heap *h, uint32_t i)
{
    return h->types.v[h->type[i]].name;
}

static bool is_exact_dict(const struct heap *h, uint32_t i)
{
    return h->types.v[h->type[i]].exact_dict;
}

void classify_clodo(const struct heap *h, uint32_t i, struct text *out)
{
    if (h->dict_owned_by && is_exact_dict(h, i)) {
        if (heap_dict_owner(h, i) == UINT32_MAX) {
            text_adds(out, "dict (no owner)");
            return;
        }
        text_adds(out, "dict of ");
        text_adds(out, type_name(h, heap_dict_owner(h, i)));
        return;
    }
    text_adds(out, type_name(h, i));
}

/* heapy's ModuleType test is exact: its type name is the short "module". */
static bool is_module(const struct heap *h, uint32_t i)
{
    return strcmp(type_name(h, i), "module") == 0;
}

void classify_module(const struct heap *h, uint32_t i, struct text *out)
{
    text_clear(out);
    const char *name = is_module(h, i) ? heap_text(h, i, NULL, NULL) : NULL;
    text_adds(out, name ? name : is_module(h, i) ? "?" : "~module");
}

/* ---- Via and Rcs: the referrers ------------------------------------- */

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the strings, drops repeats, joins them with ", ". */
static void join_sorted(char **items, size_t n, struct text *out)
{
    if (!n)
        return;
    qsort(items, n, sizeof *items, by_string);
    for (size_t k = 0; k < n; k++) {
        if (k && strcmp(items[k], items[k - 1]) == 0)
            continue;
        if (out->len)
            text_adds(out, ", ");
        text_adds(out, items[k]);
    }
}

struct string_list {
    char **v;
    size_t n, cap;
    bool oom;
};

static void list_add(struct string_list *l, const char *s, size_t n)
{
    if (l->oom)
        return;
    if (!GROW(l->v, l->cap, l->n + 1, 16)) {
        l->oom = true;
        return;
    }
    char *copy = malloc(n + 1);
    if (!copy) {
        l->oom = true;
        return;
    }
    memcpy(copy, s, n);
    copy[n] = '\0';
    l->v[l->n++] = copy;
}

static void list_free(struct string_list *l)
{
    for (size_t k = 0; k < l->n; k++)
        free(l->v[k]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* A relation as Via lists it: repr() of its text, one per name of a field
 * with several. */
static void add_via_names(struct string_list *l, const struct heap *h, uint32_t label)
{
    char rendered[1024], quoted[2100];
    const char *name = REL_LABEL_KIND(label) == REL_ATTR ? name_table_get(&h->names, REL_LABEL_ARG(label)) : "";
    if (!strchr(name, REL_NAME_SEPARATOR)) {
        size_t n = relation_render(&h->names, label, true, rendered, sizeof rendered);
        list_add(l, quoted, py_repr_str(rendered, n, quoted, sizeof quoted));
        return;
    }
    /* A field with several member names: each is a relation of its own. */
    const char separator[] = {REL_NAME_SEPARATOR, '\0'};
    for (const char *p = name;; p++) {
        size_t len = strcspn(p, separator);
        int n = snprintf(rendered, sizeof rendered, ".%.*s", (int)len, p);
        if (n > 0)
            list_add(l, quoted, py_repr_str(rendered, (size_t)n < sizeof rendered ? (size_t)n : sizeof rendered - 1,
                                            quoted, sizeof quoted));
        p += len;
        if (!*p)
            break;
    }
}

void classify_via(const struct heap *h, const struct referrers *r, uint32_t i, struct text *out)
{
    text_clear(out);
    if (!r->label)
        return;
    struct string_list l = {0};
    for (uint64_t e = r->start[i]; e < r->start[i + 1]; e++) {
        uint32_t label = r->label[e];
        /* heapy's relate functions leave these out: nothing to name. */
        if (REL_LABEL_QUIET(label) || REL_LABEL_KIND(label) == REL_NONE)
            continue;
        add_via_names(&l, h, label);
    }
    join_sorted(l.v, l.n, out);
    if (l.oom)
        out->oom = true;
    list_free(&l);
}

/* The type heapy's frames have, as this heap names it. */
static const char *frame_type_name(const struct heap *h)
{
    for (size_t k = 0; k < h->types.count; k++)
        if (h->types.v[k].size_kind == SIZE_FRAME)
            return h->types.v[k].name;
    return "types.FrameType";
}

/* The kind rcs gives a referrer: its clodo, or heapy's root or frame type. */
static void referrer_kind(const struct heap *h, uint32_t from, struct text *out)
{
    if (from == REFERRER_ROOT)
        text_adds(out, "guppy.heapy.heapyc.RootStateType");
    else if (from == REFERRER_FRAME)
        text_adds(out, frame_type_name(h));
    else
        classify_clodo(h, from, out);
}

void classify_rcs(const struct heap *h, const struct referrers *r, uint32_t i, struct text *out)
{
    text_clear(out);
    if (r->start[i + 1] - r->start[i] == 1) {
        /* most objects have one referrer: nothing to copy, sort or join */
        referrer_kind(h, r->from[r->start[i]], out);
        return;
    }
    struct string_list l = {0};
    struct text kind = {0};
    for (uint64_t e = r->start[i]; e < r->start[i + 1]; e++) {
        text_clear(&kind);
        referrer_kind(h, r->from[e], &kind);
        if (kind.s)
            list_add(&l, kind.s, kind.len);
    }
    join_sorted(l.v, l.n, out);
    if (!l.n)
        text_adds(out, "<Nothing>");
    if (l.oom || kind.oom)
        out->oom = true;
    text_free(&kind);
    list_free(&l);
}

/* ---- per-object renderings (IdFormat, idset) ------------------------- */

/* reprlib.repr of a str (maxstring 30): repr(x[:30]) when that is at most
 * 30 characters, else repr(x[:13] + x[-14:]) cut to its first 13 and last
 * 14 characters around "...".  A long str's beginning and its last 14
 * characters are kept (a snapshot keeps only the beginning: "?" then). */
static void render_str(const char *s, size_t len, const char *tail, uint64_t full_length,
                       struct text *out)
{
    char quoted[2048];
    size_t q = py_repr_str(s, utf8_prefix(s, len, 30), quoted, sizeof quoted);
    if (utf8_count(quoted, q) <= 30) {
        text_add(out, quoted, q);
        return;
    }
    size_t n = utf8_count(s, len);
    char part[1024];
    size_t head = utf8_prefix(s, len, 13), plen = head;
    memcpy(part, s, head);
    if (full_length == n) {
        size_t tail_at = utf8_prefix(s, len, n - 14);
        tail = s + tail_at;
    }
    if (tail) {
        size_t tlen = strlen(tail);
        if (tlen > sizeof part - plen)
            tlen = sizeof part - plen;
        memcpy(part + plen, tail, tlen);
        plen += tlen;
    }
    q = py_repr_str(part, plen, quoted, sizeof quoted);
    size_t qn = utf8_count(quoted, q);
    text_add(out, quoted, utf8_prefix(quoted, q, 13));
    text_adds(out, "...");
    if (tail) {
        size_t at = utf8_prefix(quoted, q, qn - 14);
        text_add(out, quoted + at, q - at);
    } else {
        text_adds(out, "?");
    }
}

/* repr of bytes, limited as reprlib limits other objects (30). */
static void render_bytes(const char *s, size_t len, uint64_t full_length, struct text *out)
{
    struct text r = {0};
    bool single = memchr(s, '\'', len) != NULL, dbl = memchr(s, '"', len) != NULL;
    char quote = single && !dbl ? '"' : '\'';
    text_add(&r, "b", 1);
    text_add(&r, &quote, 1);
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        char piece[8];
        if (c == '\\' || c == (unsigned char)quote)
            snprintf(piece, sizeof piece, "\\%c", c);
        else if (c == '\n')
            snprintf(piece, sizeof piece, "\\n");
        else if (c == '\r')
            snprintf(piece, sizeof piece, "\\r");
        else if (c == '\t')
            snprintf(piece, sizeof piece, "\\t");
        else if (c < 0x20 || c >= 0x7F)
            snprintf(piece, sizeof piece, "\\x%02x", c);
        else
            snprintf(piece, sizeof piece, "%c", c);
        text_adds(&r, piece);
    }
    text_add(&r, &quote, 1);
    if (r.s && r.len <= 30 && full_length == len)
        text_add(out, r.s, r.len);
    else if (r.s) {
        text_add(out, r.s, 13);
        text_adds(out, "...");
        if (full_length == len)
            text_add(out, r.s + r.len - 14, 14);
        else
            text_adds(out, "?");
    }
    text_free(&r);
}

enum render_kind { RENDER_ADDRESS, RENDER_REPR, RENDER_ADDRESS_LENGTH, RENDER_VALUE, RENDER_NAME,
                   RENDER_CODE, RENDER_FRAME, RENDER_TEXT_TRACEBACK, RENDER_TEXT_METHOD,
                   RENDER_OWNED_DICT };

static enum render_kind render_kind_of(const struct heap *h, uint32_t i)
{
    const struct type_info *ti = &h->types.v[h->type[i]];
    const char *name = ti->name;
    if (ti->exact_dict && h->dict_owned_by && heap_dict_owner(h, i) != UINT32_MAX)
        return RENDER_OWNED_DICT;
    if (!heap_text(h, i, NULL, NULL))
        return RENDER_ADDRESS;
    if (strcmp(name, "str") == 0 || strcmp(name, "bytes") == 0)
        return RENDER_REPR;
    if (strcmp(name, "list") == 0 || strcmp(name, "tuple") == 0 || ti->exact_dict)
        return RENDER_ADDRESS_LENGTH;
    if (strcmp(name, "int") == 0 || strcmp(name, "float") == 0 || strcmp(name, "bool") == 0 ||
        strcmp(name, "types.NoneType") == 0 || strcmp(name, "builtins.NoneType") == 0)
        return RENDER_VALUE;
    if (ti->size_kind == SIZE_CODE)
        return RENDER_CODE;
    if (ti->size_kind == SIZE_FRAME)
        return RENDER_FRAME;
    if (strcmp(name, "types.TracebackType") == 0)
        return RENDER_TEXT_TRACEBACK;
    if (strcmp(name, "types.MethodType") == 0)
        return RENDER_TEXT_METHOD;
    if (ti->size_kind == SIZE_TYPE || strcmp(name, "function") == 0 || strcmp(name, "module") == 0 ||
        strcmp(name, "types.BuiltinMethodType") == 0 || strcmp(name, "builtin_function_or_method") == 0)
        return RENDER_NAME;
    return RENDER_ADDRESS;
}

enum id_order classify_id_order(const struct heap *h, uint32_t i)
{
    switch (render_kind_of(h, i)) {
    case RENDER_VALUE:
        return ID_BY_VALUE;
    case RENDER_ADDRESS:
    case RENDER_ADDRESS_LENGTH:
        return ID_BY_ADDRESS;
    default:
        return ID_BY_TEXT;
    }
}

const char *classify_render_header(const struct heap *h, uint32_t i)
{
    switch (render_kind_of(h, i)) {
    case RENDER_REPR:
        return "Representation (limited)";
    case RENDER_ADDRESS_LENGTH:
        return "Address*Length";
    case RENDER_VALUE:
        return "Value";
    case RENDER_NAME:
        return "Name";
    case RENDER_CODE:
        return "File:Line:Name";
    case RENDER_FRAME:
        return "Name at Address";
    case RENDER_TEXT_TRACEBACK:
        return "Frame at Address";
    case RENDER_TEXT_METHOD:
        return "Type/<Type at address> . method";
    case RENDER_OWNED_DICT: {
        uint32_t owner = heap_dict_owner(h, i);
        enum render_kind k = render_kind_of(h, owner);
        return k == RENDER_NAME ? "Owner Name" : "Owner Address";
    }
    case RENDER_ADDRESS:
        break;
    }
    return "Address";
}

static void render(const struct heap *h, uint32_t i, bool shorten_owner, struct text *out)
{
    uint64_t length = 0;
    uint32_t kept = 0;
    const char *s = heap_text(h, i, &length, &kept);
    switch (render_kind_of(h, i)) {
    case RENDER_REPR:
        if (strcmp(type_name(h, i), "str") == 0)
            render_str(s, kept, heap_text_tail(h, i), length, out);
        else
            render_bytes(s, kept, length, out);
        return;
    case RENDER_ADDRESS_LENGTH:
        text_printf(out, "%#" PRIx64 "*%s", h->addr[i], s);
        return;
    case RENDER_VALUE:
    case RENDER_NAME:
    case RENDER_CODE:
    case RENDER_TEXT_TRACEBACK:
    case RENDER_TEXT_METHOD:
        text_add(out, s, kept);
        return;
    case RENDER_FRAME:
        text_printf(out, "<%s at %#" PRIx64 ">", s, h->addr[i]);
        return;
    case RENDER_OWNED_DICT: {
        struct text owner = {0};
        render(h, heap_dict_owner(h, i), false, &owner);
        const char *shown = owner.s ? owner.s : "?";
        const char *dot = strrchr(shown, '.');
        if (shorten_owner && dot) {
            text_adds(out, "..");
            text_adds(out, dot + 1);
        } else {
            text_adds(out, shown);
        }
        text_free(&owner);
        return;
    }
    case RENDER_ADDRESS:
        break;
    }
    text_printf(out, "%#" PRIx64, h->addr[i]);
}

void classify_render(const struct heap *h, uint32_t i, bool mixed, struct text *out)
{
    text_clear(out);
    if (mixed) {
        classify_clodo(h, i, out);
        text_adds(out, ": ");
    }
    render(h, i, mixed, out);
}

void classify_idset(const struct heap *h, uint32_t i, struct text *out)
{
    text_clear(out);
    text_adds(out, "<1 ");
    classify_clodo(h, i, out);
    text_adds(out, ": ");
    render(h, i, true, out);
    text_adds(out, ">");
    /* heapy's briefs stop at 80 characters. */
    if (out->s && utf8_count(out->s, out->len) > 80) {
        out->len = utf8_prefix(out->s, out->len, 76);
        out->s[out->len] = '\0';
        text_adds(out, "...>");
    }
}
