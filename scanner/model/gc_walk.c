#include "model/gc_walk.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/mimalloc_walk.h"
#include "base/progress.h"
#include "model/referents_ahead.h"
#include "model/sizes.h"

/* A list that came back to one of its own nodes: keep each object once.
 * The walk pushed nodes 0 .. n-1 from start and then met node n again, a
 * cycle of the given length; the first node to repeat is the first that
 * equals the node a cycle further on. */
static void cut_cycle(struct heap *h, size_t start, uint64_t again, uint64_t cycle,
                      uint64_t gc_head_size)
{
    size_t n = h->count - start;
    for (size_t k = 0; k + cycle <= n; k++) {
        uint64_t later = k + cycle < n ? h->addr[start + k + cycle] : again + gc_head_size;
        if (later == h->addr[start + k]) {
            h->count = start + k + cycle;
            return;
        }
    }
}

static bool walk_list(struct target *t, struct heap *h, uint64_t head, uint8_t origin,
                      struct ahead **ahead, struct error *err)
{
    const struct py_layout *L = t->L;
    uint64_t node;
    if (!mem_u64(t->mem, head, &node))
        return fail(err, EXIT_BAD_HEAP, "gc list head at 0x%" PRIx64 " is unreadable", head);
    node &= ~(uint64_t)3;
    size_t start = h->count;
    struct chain_guard guard;
    chain_guard_init(&guard, node);
    while (node != head) {
        if (node == 0)
            return fail(err, EXIT_BAD_HEAP, "gc list at 0x%" PRIx64 " is broken at 0x%" PRIx64, head,
                        node);
        uint64_t obj = node + (uint64_t)L->gc_head_size;
        uint64_t type, next;
        /* A node is 16-aligned; anything else is a corrupt list. */
        if (node & 7)
            return fail(err, EXIT_BAD_HEAP, "gc list at 0x%" PRIx64 " is broken at 0x%" PRIx64, head,
                        node);
        const unsigned char *words = mem_view(t->mem, node, (size_t)L->gc_head_size + (size_t)L->ob_type + 8);
        if (words) {
            memcpy(&next, words, 8);
            memcpy(&type, words + L->gc_head_size + L->ob_type, 8);
        } else if (!mem_u64(t->mem, node, &next) ||
                   !mem_u64(t->mem, obj + (uint64_t)L->ob_type, &type)) {
            return fail(err, EXIT_BAD_HEAP, "gc object at 0x%" PRIx64 " is unreadable", obj);
        }
        uint32_t ti = type_table_intern(&h->types, t, type);
        if (ti == UINT32_MAX)
            return fail(err, EXIT_BAD_HEAP,
                        "object at 0x%" PRIx64 " has an unreadable type at 0x%" PRIx64, obj, type);
        if (!ahead_heap_reserve(*ahead, h, 1))
            return fail(err, EXIT_INTERNAL, "out of memory");
        heap_push(h, obj, ti, origin);
        if (h->count % AHEAD_BLOCK == 0)
            ahead_publish(*ahead, h);
        progress_note("gc lists", h->count);
        node = next & ~(uint64_t)3;
        if (!chain_guard_step(&guard, node)) {
            damage_note(&t->damage, true, "gc list at 0x%" PRIx64 " after %zu objects", head,
                        h->count - start);
            /* objects handed to the worker may go: it starts again after the
             * walk (a test has it read every block it was handed first, the
             * blocks a worker left running would give the main thread) */
            const char *pause = getenv("PYHEAPSCAN_TEST_PAUSE");
            if (pause && strcmp(pause, "cycle") == 0)
                ahead_wait_published(*ahead);
            ahead_end(*ahead);
            *ahead = NULL;
            cut_cycle(h, start, node, chain_guard_cycle(&guard), (uint64_t)L->gc_head_size);
            break;
        }
    }
    return true;
}

bool gc_walk(struct target *t, struct heap *h, bool *collecting, bool sizes, struct ahead **ahead,
             struct error *err)
{
    const struct py_layout *L = t->L;
    int32_t coll = 0;
    mem_read(t->mem, t->gc_state + (uint64_t)L->gc_collecting, &coll, sizeof coll);
    *collecting = coll != 0;
    if (!type_table_load_aliases(&h->types, t))
        return fail(err, EXIT_INTERNAL, "out of memory");
    if (L->py_gil_disabled) {
        /* No lists to walk: the tracked objects are found in mimalloc's heaps. */
        if (!mimalloc_walk(t, h, err))
            return false;
    } else {
        for (int64_t g = 0; g < L->gc_num_generations; g++) {
            uint64_t head = t->gc_state + (uint64_t)(L->gc_generations + g * L->gc_generation_size);
            if (!walk_list(t, h, head, (uint8_t)(ORIGIN_GC_GENERATION + g), ahead, err))
                return false;
        }
        if (!walk_list(t, h, t->gc_state + (uint64_t)L->gc_permanent_generation,
                       ORIGIN_GC_PERMANENT, ahead, err))
            return false;
    }
    h->gc_count = h->count;
    h->collecting = *collecting;
    *ahead = ahead_walked(*ahead, h);
    progress_phase_done("gc lists");
    for (size_t i = 0; sizes && i < h->count; i++) {
        progress_note("sizes", i);
        bool exact;
        h->size[i] = object_getsizeof(t, &h->types.v[h->type[i]], h->addr[i], &exact);
        if (!exact)
            h->origin[i] |= OBJECT_INEXACT_SIZE;
    }
    return true;
}
