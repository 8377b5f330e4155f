#include "rcs_kinds.h"

#include <stdlib.h>
#include <string.h>

bool rcs_kinds_init(struct rcs_kinds *k, const struct heap *h, const struct referrers *r)
{
    memset(k, 0, sizeof *k);
    k->h = h;
    k->r = r;
    /* the types, "dict of" each type, "dict (no owner)", the root, a frame */
    k->nkeys = 2 * h->types.count + 3;
    k->single = malloc(k->nkeys * sizeof *k->single);
    if (!k->single)
        return false;
    for (size_t key = 0; key < k->nkeys; key++)
        k->single[key] = UINT32_MAX;
    return true;
}

void rcs_kinds_free(struct rcs_kinds *k)
{
    free(k->single);
    name_table_free(&k->sets);
    free(k->set_name);
    free(k->keys);
    free(k->code);
    text_free(&k->name);
    memset(k, 0, sizeof *k);
}

/* The number of a referrer's kind: classify_clodo's name is a function of
 * it, as are heapy's root and frame types. */
static uint32_t referrer_key(const struct rcs_kinds *k, uint32_t from)
{
    const struct heap *h = k->h;
    uint32_t ntypes = (uint32_t)h->types.count;
    if (from == REFERRER_ROOT)
        return 2 * ntypes + 1;
    if (from == REFERRER_FRAME)
        return 2 * ntypes + 2;
    if (h->dict_owned_by && h->types.v[h->type[from]].exact_dict) {
        uint32_t owner = heap_dict_owner(h, from);
        return owner == UINT32_MAX ? 2 * ntypes : ntypes + h->type[owner];
    }
    return h->type[from];
}

/* Object i's name as classify_rcs writes it, interned in names. */
static uint32_t render(struct rcs_kinds *k, uint32_t i, struct name_table *names)
{
    classify_rcs(k->h, k->r, i, &k->name);
    return k->name.oom ? UINT32_MAX : name_table_intern(names, k->name.s ? k->name.s : "");
}

static int by_number(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts n numbers (most sets are a few: insertion), drops repeats;
 * returns how many are left. */
static size_t sort_unique(uint32_t *v, size_t n)
{
    if (n > 16) {
        qsort(v, n, sizeof *v, by_number);
    } else {
        for (size_t a = 1; a < n; a++) {
            uint32_t x = v[a];
            size_t b = a;
            for (; b && v[b - 1] > x; b--)
                v[b] = v[b - 1];
            v[b] = x;
        }
    }
    size_t m = 0;
    for (size_t a = 0; a < n; a++)
        if (!m || v[a] != v[m - 1])
            v[m++] = v[a];
    return m;
}

/* The numbers as a string with no NUL: 6 bits a byte, most significant
 * first, 0x80 | bits but for the last byte of each, 0x40 | bits. */
static void encode(const uint32_t *v, size_t n, char *out)
{
    size_t at = 0;
    for (size_t a = 0; a < n; a++) {
        int shift = 30;
        while (shift && !(v[a] >> shift))
            shift -= 6;
        for (; shift; shift -= 6)
            out[at++] = (char)(0x80 | ((v[a] >> shift) & 0x3F));
        out[at++] = (char)(0x40 | (v[a] & 0x3F));
    }
    out[at] = '\0';
}

static bool reserve(struct rcs_kinds *k, size_t n)
{
    if (n <= k->keys_cap)
        return true;
    size_t cap = n < 64 ? 64 : n;
    uint32_t *keys = realloc(k->keys, cap * sizeof *keys);
    if (!keys)
        return false;
    k->keys = keys;
    char *code = realloc(k->code, cap * 6 + 1);
    if (!code)
        return false;
    k->code = code;
    k->keys_cap = cap;
    return true;
}

uint32_t rcs_kind(struct rcs_kinds *k, uint32_t i, struct name_table *names)
{
    const struct referrers *r = k->r;
    uint64_t first = r->start[i], n = r->start[i + 1] - first;
    if (!reserve(k, n ? n : 1))
        return UINT32_MAX;
    for (uint64_t e = 0; e < n; e++)
        k->keys[e] = referrer_key(k, r->from[first + e]);
    size_t m = sort_unique(k->keys, n);
    if (m == 1) {
        /* one kind, however many referrers: that kind's name */
        uint32_t *id = &k->single[k->keys[0]];
        if (*id == UINT32_MAX)
            *id = render(k, i, names);
        return *id;
    }
    encode(k->keys, m, k->code);
    size_t known = k->sets.count;
    uint32_t set = name_table_intern(&k->sets, k->code);
    if (set == UINT32_MAX)
        return UINT32_MAX;
    if (set < known)
        return k->set_name[set];
    if (set >= k->set_cap) {
        size_t cap = k->set_cap ? k->set_cap * 2 : 256;
        uint32_t *grown = realloc(k->set_name, cap * sizeof *grown);
        if (!grown)
            return UINT32_MAX;
        k->set_name = grown;
        k->set_cap = cap;
    }
    return k->set_name[set] = render(k, i, names);
}
