/* The module states of the standard library whose m_traverse visits more
 * than, or less than, every object word of the state (modules.c visits
 * those states word by word): per module and minor, the state's size its
 * PyModuleDef says (m_size, read from memory: a state of another size is a
 * layout no entry knows, and stays flagged), the object fields its
 * m_traverse visits, and the C structures it walks besides.  Each layout
 * was read in the module's C source of the versions named, and checked on
 * every fleet interpreter by comparing the state's words with
 * gc.get_referents of the module. */
#include "model/families/family.h"

#include <string.h>

#include "model/pyobj.h"

struct module_state {
    const char *name;          /* md_name */
    int min_minor, max_minor;  /* max_minor 0: to the newest */
    int64_t size;              /* m_size */
    int leading;               /* the first so many words are objects, all visited */
    const int64_t *fields;     /* more visited object fields (-1 ends), or NULL */
    bool visits_type;          /* visits the module's type */
    /* the C structures the traverse walks; false when memory is not what
     * the source describes */
    bool (*walk)(struct walker *w, uint64_t state);
};

/* Modules/atexitmodule.c (3.8, 3.9; 3.10 keeps its callbacks in the
 * interpreter's state): atexitmodule_state {atexit_callbacks (a C array of
 * pointers to atexit_callback {func, args, kwargs}), int ncallbacks, int
 * callback_len}; the traverse visits the three objects of each callback
 * below ncallbacks. */
static bool atexit_callbacks(struct walker *w, uint64_t state)
{
    struct target *t = w->t;
    int32_t n = 0, allocated = 0;
    if (!mem_read(t->mem, state + 8, &n, sizeof n) || !mem_read(t->mem, state + 12, &allocated, sizeof allocated))
        return false;
    uint64_t callbacks = u64_at(t, state);
    if (n < 0 || n > allocated || (n && !target_items(t, callbacks, (uint64_t)n, 8, "atexit callbacks", state)))
        return false;
    for (int32_t i = 0; i < n; i++) {
        uint64_t cb = u64_at(t, callbacks + (uint64_t)i * 8);
        if (cb && !family_visit_array(w, cb, 3, 8, "atexit callback", state))
            return false;
    }
    return true;
}

/* Modules/_asynciomodule.c 3.12 (3.12.5's source): asyncio_state {19
 * objects, cached_running_loop (borrowed, not visited), its thread id,
 * task_name_counter, fi_freelist (176), fi_freelist_len (184)}: the
 * traverse visits the future iterators of the free list too, chained
 * through their future field (futureiterobject {PyObject_HEAD, future}),
 * at most FI_FREELIST_MAXLEN (255) of them. */
enum { FI_FREELIST = 176, FI_FREELIST_LEN = 184, FI_NEXT = 16, FI_FREELIST_MAXLEN = 255 };

static bool asyncio_freelist(struct walker *w, uint64_t state)
{
    struct target *t = w->t;
    uint64_t n = u64_at(t, state + FI_FREELIST_LEN), node = u64_at(t, state + FI_FREELIST);
    if (n > FI_FREELIST_MAXLEN)
        return false;
    for (uint64_t i = 0; node; i++) {
        if (i >= n) /* longer than its count: a damaged (or cycling) chain */
            return false;
        emit(w, node, rel_none);
        node = u64_at(t, node + FI_NEXT);
    }
    return true;
}

/* Modules/_zoneinfo.c 3.12+ (3.12.5's and 3.14.7's sources): zoneinfo_state
 * {ZoneInfoType, io_open, _tzpath_find_tzfile, _common_mod,
 * TIMEDELTA_CACHE, ZONEINFO_WEAK_CACHE, ZONEINFO_STRONG_CACHE (48: a C list
 * of StrongCacheNode {next, prev, key, zone}), NO_TTINFO {utcoff, dstoff,
 * tzname (56, 64, 72), utcoff_seconds}}: the traverse visits each node's
 * key and zone.  The cache holds ZONEINFO_STRONG_CACHE_MAX_SIZE (8) zones;
 * a longer chain is damage. */
static const int64_t zoneinfo_ttinfo[] = {56, 64, 72, -1};
enum { ZONEINFO_STRONG_CACHE = 48, STRONG_CACHE_BOUND = 1024 };

static bool zoneinfo_strong_cache(struct walker *w, uint64_t state)
{
    struct target *t = w->t;
    uint64_t node = u64_at(t, state + ZONEINFO_STRONG_CACHE);
    for (int i = 0; node; i++) {
        if (i >= STRONG_CACHE_BOUND)
            return false;
        family_visit_word(w, node + 16);
        family_visit_word(w, node + 24);
        node = u64_at(t, node);
    }
    return true;
}

/* Modules/_decimal/_decimal.c 3.13+ (3.13.0t's and 3.14.7's sources; the
 * contextvar build every fleet interpreter is): decimal_state {six types,
 * DecimalException, current_context_var, three context templates (64..80),
 * round_map (eight str, not visited), Rational (152), PyDecimal (not
 * visited), SignalTuple (168), signal_map (176), cond_map (184), six C
 * functions}: the traverse visits the exception of each DecCondMap {name,
 * fqname, flag, ex} of signal_map, and of cond_map from its second entry,
 * up to the entry without a name. */
static const int64_t decimal_fields[] = {152, 168, -1};
enum { DEC_SIGNAL_MAP = 176, DEC_COND_MAP = 184, DEC_COND_MAP_SIZE = 32, DEC_COND_MAP_EX = 24, DEC_MAPS_BOUND = 64 };

static bool decimal_cond_maps(struct walker *w, uint64_t state)
{
    struct target *t = w->t;
    const uint64_t maps[] = {u64_at(t, state + DEC_SIGNAL_MAP), u64_at(t, state + DEC_COND_MAP)};
    for (size_t m = 0; m < 2; m++) {
        if (!maps[m])
            continue;
        for (uint64_t i = m; ; i++) { /* cond_map's first entry is skipped */
            uint64_t entry = maps[m] + i * DEC_COND_MAP_SIZE, name = 0;
            if (i >= DEC_MAPS_BOUND || !mem_read(t->mem, entry, &name, sizeof name))
                return false;
            if (!name)
                break;
            family_visit_word(w, entry + DEC_COND_MAP_EX);
        }
    }
    return true;
}

/* Modules/hmacmodule.c 3.14+ (3.14.7's source): hmacmodule_state
 * {hinfo_table (a C hash table, not visited), unknown_hash_error,
 * hmac_type, str_lower, two bools}; the traverse visits the module's type
 * first. */
static const int64_t hmac_fields[] = {8, 16, 24, -1};

static const int64_t signal_fields[] = {16, 24, -1};

static const struct module_state states[] = {
    {.name = "atexit", .min_minor = 8, .max_minor = 9, .size = 16, .walk = atexit_callbacks},
    /* _asynciomodule.c: 19 objects first (3.12, 3.13: 3.12.5's and
     * 3.13.0t's sources; 3.13 keeps the free list, 176 bytes, but no longer
     * visits it; the free-threaded build has none, 160), 18 from 3.14
     * (3.14.7's source: current_tasks left the state). */
    {.name = "_asyncio", .min_minor = 12, .max_minor = 12, .size = 192, .leading = 19, .walk = asyncio_freelist},
    {.name = "_asyncio", .min_minor = 13, .max_minor = 13, .size = 176, .leading = 19},
    {.name = "_asyncio", .min_minor = 13, .max_minor = 13, .size = 160, .leading = 19},
    {.name = "_asyncio", .min_minor = 14, .size = 160, .leading = 18},
    {.name = "_zoneinfo", .min_minor = 12, .size = 88, .leading = 6, .fields = zoneinfo_ttinfo, .walk = zoneinfo_strong_cache},
    /* _datetimemodule.c 3.13+: datetime_state {isocalendar_date_type, seven
     * int constants, epoch}: only the type is visited. */
    {.name = "_datetime", .min_minor = 13, .size = 72, .leading = 1},
    {.name = "_decimal", .min_minor = 13, .size = 240, .leading = 11, .fields = decimal_fields, .walk = decimal_cond_maps},
    /* _dbmmodule.c, _gdbmmodule.c (3.11+): {type, error}, both visited. */
    {.name = "_dbm", .min_minor = 8, .size = 16, .leading = 2},
    {.name = "_gdbm", .min_minor = 8, .size = 16, .leading = 2},
    {.name = "_hmac", .min_minor = 14, .size = 40, .fields = hmac_fields, .visits_type = true},
    /* _randommodule.c (3.9+): _randomstate {Random_Type, Long___abs__}:
     * int.__abs__, kept for a call, is not visited. */
    {.name = "_random", .min_minor = 9, .size = 16, .leading = 1},
    /* signalmodule.c: _signal_module_state {default_handler,
     * ignore_handler (SIG_DFL and SIG_IGN as ints, not visited),
     * itimer_error, and from 3.11 siginfo_type}. */
    {.name = "_signal", .min_minor = 10, .max_minor = 10, .size = 24, .fields = signal_fields},
    {.name = "_signal", .min_minor = 11, .size = 32, .fields = signal_fields},
};

int family_module_state(struct walker *w, const char *name, uint64_t module, uint64_t state, int64_t size)
{
    struct target *t = w->t;
    bool known = false;
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        const struct module_state *s = &states[i];
        if (strcmp(s->name, name) != 0 || t->minor < s->min_minor || (s->max_minor && t->minor > s->max_minor))
            continue;
        known = true;
        if (s->size != size || !state || (int64_t)s->leading * 8 > size)
            continue;
        if (s->visits_type)
            emit(w, py_type_of(t, module), rel_none);
        if (!family_visit_array(w, state, (uint64_t)s->leading, 8, "module state", module))
            return 0;
        for (const int64_t *f = s->fields; f && *f >= 0; f++)
            if (*f + 8 <= size)
                family_visit_word(w, state + (uint64_t)*f);
        return !s->walk || s->walk(w, state) ? 1 : 0;
    }
    return known ? 0 : -1;
}
