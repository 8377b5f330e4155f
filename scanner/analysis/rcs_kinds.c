#include "analysis/rcs_kinds.h"

#include <stdlib.h>
#include <string.h>

#include "base/grow.h"

bool rcs_kinds_init(struct rcs_kinds *k, const struct heap *h, const struct referrers *r)
{
    memset(k, 0, sizeof *k);
    k->h = h;
    k->r = r;
    /* the types, "dict of" each type, "dict (no owner)", the root, a frame */
    k->nkeys = 2 * h->types.count + 3;
    k->single = malloc(k->nkeys * sizeof *k->single);
    k->stamp = calloc(k->nkeys, sizeof *k->stamp);
    /* an object's referrers have at most every kind */
    k->keys = malloc(k->nkeys * sizeof *k->keys);
    k->reps = malloc(k->nkeys * sizeof *k->reps);
    k->code = malloc(k->nkeys * 6 + 1);
    if (!k->single || !k->stamp || !k->keys || !k->reps || !k->code)
        return false;
    for (size_t key = 0; key < k->nkeys; key++)
        k->single[key] = UINT32_MAX;
    return true;
}

void rcs_kinds_free(struct rcs_kinds *k)
{
    free(k->single);
    free(k->stamp);
    free(k->reps);
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

/* The name of a set as classify_rcs writes it, interned in names: from one
 * referrer of each kind in it (an object with millions of referrers has its
 * name made of a few). */
static uint32_t render(struct rcs_kinds *k, size_t m, struct name_table *names)
{
    uint64_t start[2] = {0, m};
    struct referrers reps = {start, k->reps, NULL};
    classify_rcs(k->h, &reps, 0, &k->name);
    return k->name.oom ? UINT32_MAX : name_table_intern(names, k->name.s ? k->name.s : "");
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

/* Object i's referrers' kinds, each once with a referrer of it, sorted by
 * number; returns how many.  A stamp per kind tells the ones met already:
 * no sort of an object's millions of referrers. */
static size_t unique_kinds(struct rcs_kinds *k, uint32_t i)
{
    const struct referrers *r = k->r;
    uint64_t first = r->start[i], n = r->start[i + 1] - first;
    uint32_t stamp = ++k->stamp_now;
    if (!stamp) { /* wrapped: no kind may carry the new stamp */
        memset(k->stamp, 0, k->nkeys * sizeof *k->stamp);
        stamp = k->stamp_now = 1;
    }
    size_t m = 0;
    for (uint64_t e = 0; e < n; e++) {
        uint32_t from = r->from[first + e], key = referrer_key(k, from);
        if (k->stamp[key] == stamp)
            continue;
        k->stamp[key] = stamp;
        /* insertion: an object's kinds are few */
        size_t at = m++;
        for (; at && k->keys[at - 1] > key; at--) {
            k->keys[at] = k->keys[at - 1];
            k->reps[at] = k->reps[at - 1];
        }
        k->keys[at] = key;
        k->reps[at] = from;
    }
    return m;
}

uint32_t rcs_kind(struct rcs_kinds *k, uint32_t i, struct name_table *names)
{
    size_t m = unique_kinds(k, i);
    if (m == 1) {
        /* one kind, however many referrers: that kind's name */
        uint32_t *id = &k->single[k->keys[0]];
        if (*id == UINT32_MAX)
            *id = render(k, 1, names);
        return *id;
    }
    encode(k->keys, m, k->code);
    size_t known = k->sets.count;
    uint32_t set = name_table_intern(&k->sets, k->code);
    if (set == UINT32_MAX)
        return UINT32_MAX;
    if (set < known)
        return k->set_name[set];
    if (!GROW(k->set_name, k->set_cap, (size_t)set + 1, 256))
        return UINT32_MAX;
    return k->set_name[set] = render(k, m, names);
}
