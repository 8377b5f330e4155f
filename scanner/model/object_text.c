#include "model/object_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "model/pyobj.h"
#include "model/pyrepr.h"
#include "model/utf8.h"

/* A heap type's or static type's __name__ and __module__ as heapy joins
 * them: the type table knows that rendering. */
static bool type_text(struct target *t, struct heap *h, uint64_t obj, char *out, size_t cap)
{
    uint32_t idx = type_table_intern(&h->types, t, obj);
    if (idx == UINT32_MAX)
        return false;
    snprintf(out, cap, "%s", h->types.v[idx].name);
    return true;
}

static bool str_field(struct target *t, uint64_t addr, char *out, size_t cap)
{
    uint64_t s = u64_at(t, addr);
    return s && py_str_utf8(t, s, out, cap);
}

/* The name of the code a frame object runs (<= 3.10: f_code; 3.11+ its
 * interpreter frame's executable). */
static bool frame_code_name(struct target *t, uint64_t frame, char *out, size_t cap)
{
    const struct py_layout *L = t->L;
    uint64_t code;
    if (L->frame_code >= 0) {
        code = u64_at(t, frame + (uint64_t)L->frame_code);
    } else {
        uint64_t f = u64_at(t, frame + (uint64_t)L->frame_f_frame);
        code = f ? u64_at(t, f + (uint64_t)L->iframe_code) & ~(uint64_t)3 : 0;
    }
    return code && str_field(t, code + (uint64_t)L->code_name, out, cap);
}

/* A callable's __name__: a function's, or a builtin's method name. */
static bool function_name(struct target *t, struct heap *h, uint64_t func, char *out, size_t cap)
{
    const struct py_layout *L = t->L;
    uint32_t type = type_table_intern(&h->types, t, py_type_of(t, func));
    if (type == UINT32_MAX)
        return false;
    if (strcmp(h->types.v[type].name, "function") == 0)
        return str_field(t, func + (uint64_t)L->func_name, out, cap);
    uint64_t ml = u64_at(t, func + (uint64_t)L->cfunc_ml);
    uint64_t np = ml ? u64_at(t, ml + (uint64_t)L->methoddef_ml_name) : 0;
    return np && mem_cstring(t->mem, np, out, cap);
}

/* reprlib shows a long str's last characters: how many are kept. */
#define TAIL_CHARS 14

/* Fills out with the text of obj (and tail with a long str's last
 * characters, else ""); false when its kind has none. */
static bool text_of(struct target *t, struct heap *h, uint32_t i, bool strings_too, char *out,
                    size_t cap, char *tail, size_t tail_cap, uint64_t *length, size_t *kept)
{
    const struct py_layout *L = t->L;
    const struct type_info *ti = &h->types.v[h->type[i]];
    uint64_t obj = h->addr[i];
    const char *definer = ti->sizeof_definer ? ti->sizeof_definer : "";
    *length = 0;
    tail[0] = '\0';
    /* bytes has no __sizeof__ of its own (object's is exact): by name. */
    bool bytes = strcmp(ti->name, "bytes") == 0;
    if (ti->size_kind == SIZE_STR || bytes) {
        if (!strings_too)
            return false;
        if (ti->size_kind == SIZE_STR) {
            *length = u64_at(t, obj + (uint64_t)L->str_length);
            if (!py_str_utf8(t, obj, out, cap))
                return false;
            *kept = strlen(out);
            if (utf8_count(out, *kept) < *length && *length >= TAIL_CHARS &&
                !py_str_utf8_from(t, obj, (int64_t)*length - TAIL_CHARS, tail, tail_cap))
                tail[0] = '\0';
        } else {
            *length = u64_at(t, obj + (uint64_t)L->ob_size);
            *kept = *length < cap ? (size_t)*length : cap;
            if (!mem_read(t->mem, obj + (uint64_t)L->bytes_sval, out, *kept))
                return false;
        }
        return true;
    }
    bool ok = false;
    char name[256], module[256];
    /* heapy shows exact lists, tuples and dicts as address*length. */
    bool tuple = strcmp(ti->name, "tuple") == 0;
    if (tuple || strcmp(ti->name, "list") == 0 || strcmp(ti->name, "dict") == 0) {
        uint64_t n = u64_at(t, obj + (uint64_t)(tuple || ti->size_kind == SIZE_LIST ? L->ob_size : L->dict_ma_used));
        snprintf(out, cap, "%llu", (unsigned long long)n);
        *kept = strlen(out);
        *length = *kept;
        return true;
    }
    if (strcmp(ti->name, "module") == 0) {
        uint64_t dict = u64_at(t, obj + (uint64_t)L->module_md_dict);
        uint64_t s = dict ? py_dict_get_str(t, dict, "__name__") : 0;
        ok = s && py_str_utf8(t, s, out, cap);
    } else if (strcmp(ti->name, "function") == 0) {
        uint64_t mod = u64_at(t, obj + (uint64_t)L->func_module);
        if (!mod || !py_str_utf8(t, mod, module, sizeof module))
            snprintf(module, sizeof module, "None");
        ok = str_field(t, obj + (uint64_t)L->func_name, name, sizeof name);
        /* Truncated like every kept text: the result is only shown. */
        ok = ok && snprintf(out, cap, "%s.%s", module, name) >= 0;
    } else if (ti->size_kind == SIZE_TYPE) {
        ok = type_text(t, h, obj, out, cap);
    } else if (ti->size_kind == SIZE_CODE) {
        int32_t line = 0;
        mem_read(t->mem, obj + (uint64_t)L->code_firstlineno, &line, sizeof line);
        char file[512];
        if (str_field(t, obj + (uint64_t)L->code_filename, file, sizeof file) &&
            str_field(t, obj + (uint64_t)L->code_name, name, sizeof name)) {
            const char *base = strrchr(file, '/');
            ok = snprintf(out, cap, "%s:%d:%s", base ? base + 1 : file, line, name) >= 0;
        }
    } else if (strcmp(definer, "builtin_function_or_method") == 0) {
        uint64_t ml = u64_at(t, obj + (uint64_t)L->cfunc_ml);
        uint64_t np = ml ? u64_at(t, ml + (uint64_t)L->methoddef_ml_name) : 0;
        uint64_t mod = u64_at(t, obj + (uint64_t)L->cfunc_module);
        if (np && mem_cstring(t->mem, np, name, sizeof name)) {
            if (!mod || !py_str_utf8(t, mod, module, sizeof module))
                snprintf(module, sizeof module, "None");
            if (strcmp(module, "builtins") == 0)
                ok = snprintf(out, cap, "%s", name) >= 0;
            else
                ok = snprintf(out, cap, "%s.%s", module, name) >= 0;
        }
    } else if (strcmp(ti->name, "types.TracebackType") == 0 || strcmp(ti->name, "traceback") == 0) {
        /* heapy: "<in frame <code name at 0xFRAME> at 0xTRACEBACK>" */
        uint64_t frame = u64_at(t, obj + (uint64_t)L->tb_frame);
        ok = frame && frame_code_name(t, frame, name, sizeof name) &&
             snprintf(out, cap, "<in frame <%s at %#llx> at %#llx>", name, (unsigned long long)frame,
                      (unsigned long long)obj) >= 0;
    } else if (strcmp(ti->name, "types.MethodType") == 0 || strcmp(ti->name, "method") == 0) {
        /* heapy: "<self's type at 0xSELF>.function name" */
        uint64_t self = u64_at(t, obj + (uint64_t)L->method_self);
        uint64_t func = u64_at(t, obj + (uint64_t)L->method_func);
        uint32_t self_type = self ? type_table_intern(&h->types, t, py_type_of(t, self)) : UINT32_MAX;
        ok = self_type != UINT32_MAX && func && function_name(t, h, func, name, sizeof name) &&
             snprintf(out, cap, "<%s at %#llx>.%s", h->types.v[self_type].name, (unsigned long long)self,
                      name) >= 0;
    } else if (ti->size_kind == SIZE_FRAME) {
        ok = frame_code_name(t, obj, out, cap);
    } else if (strings_too &&
               (strcmp(ti->name, "int") == 0 || strcmp(ti->name, "float") == 0 ||
                strcmp(ti->name, "bool") == 0 || strcmp(ti->name, "types.NoneType") == 0 ||
                strcmp(ti->name, "builtins.NoneType") == 0)) {
        ok = py_repr_value(t, obj, out, cap);
    }
    if (ok) {
        *kept = strlen(out);
        *length = *kept;
    }
    return ok;
}

static bool keep_texts(struct target *t, struct heap *h, bool strings_too, const uint8_t *wanted_type,
                       struct error *err)
{
    for (size_t i = 0; i < h->ncontents; i++)
        free(h->contents[i].data);
    h->ncontents = 0;
    free(h->content_of);
    h->content_of = NULL;
    /* The few texts of some types are found by their objects: an array of
     * every object's (tens of MB at 10M objects, each page faulted in)
     * would cost more than their search. */
    if (!wanted_type) {
        h->content_of = malloc((h->count ? h->count : 1) * sizeof *h->content_of);
        if (!h->content_of)
            return fail(err, EXIT_INTERNAL, "out of memory");
    }
    size_t count = h->count;
    for (size_t i = 0; i < count; i++) {
        if (h->content_of)
            h->content_of[i] = UINT32_MAX;
        char buf[HEAP_CONTENT_KEEP], tail_buf[TAIL_CHARS * 4 + 1];
        uint64_t length;
        size_t kept;
        if (wanted_type && !wanted_type[h->type[i]])
            continue;
        if (!text_of(t, h, (uint32_t)i, strings_too, buf, sizeof buf, tail_buf, sizeof tail_buf, &length,
                     &kept))
            continue;
        size_t tail = strlen(tail_buf);
        if (!GROW(h->contents, h->contents_cap, h->ncontents + 1, 1024))
            return fail(err, EXIT_INTERNAL, "out of memory");
        char *data = malloc(kept + 1 + (tail ? tail + 1 : 0));
        if (!data)
            return fail(err, EXIT_INTERNAL, "out of memory");
        memcpy(data, buf, kept);
        data[kept] = '\0';
        if (tail)
            memcpy(data + kept + 1, tail_buf, tail + 1);
        h->contents[h->ncontents] = (struct heap_content){length, (uint32_t)kept, (uint32_t)tail, (uint32_t)i, data};
        if (h->content_of)
            h->content_of[i] = (uint32_t)h->ncontents;
        h->ncontents++;
    }
    return true;
}

bool heap_keep_texts(struct target *t, struct heap *h, bool strings_too,
                     bool (*wanted)(const struct type_info *ti), struct error *err)
{
    /* asked once a type, not once an object (millions of them) */
    uint8_t *wanted_type = NULL;
    if (wanted) {
        wanted_type = malloc(h->types.count ? h->types.count : 1);
        if (!wanted_type)
            return fail(err, EXIT_INTERNAL, "out of memory");
        for (size_t k = 0; k < h->types.count; k++)
            wanted_type[k] = wanted(&h->types.v[k]);
    }
    bool ok = keep_texts(t, h, strings_too, wanted_type, err);
    free(wanted_type);
    return ok;
}

/* Object i's kept text, NULL when none. */
static const struct heap_content *content_of(const struct heap *h, uint32_t i)
{
    if (h->content_of)
        return h->content_of[i] == UINT32_MAX ? NULL : &h->contents[h->content_of[i]];
    size_t lo = 0, hi = h->ncontents;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->contents[mid].object < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < h->ncontents && h->contents[lo].object == i ? &h->contents[lo] : NULL;
}

const char *heap_text_tail(const struct heap *h, uint32_t i)
{
    const struct heap_content *c = content_of(h, i);
    return c && c->tail ? c->data + c->kept + 1 : NULL;
}

const char *heap_text(const struct heap *h, uint32_t i, uint64_t *length, uint32_t *kept)
{
    const struct heap_content *c = content_of(h, i);
    if (!c)
        return NULL;
    if (length)
        *length = c->length;
    if (kept)
        *kept = c->kept;
    return c->data;
}
