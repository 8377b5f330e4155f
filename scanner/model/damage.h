/* What a damaged image (a corrupt core, a torn heap) made the scanner cut
 * short.  A count larger than the memory it claims, or a linked list that
 * comes back on itself, is skipped or cut where it is found, counted here,
 * and reported once, so that a scan of any image ends in bounded time and
 * says what it could not trust. */
#ifndef PYHEAPSCAN_DAMAGE_H
#define PYHEAPSCAN_DAMAGE_H

#include <stdbool.h>
#include <stdint.h>

struct damage {
    uint64_t lengths;  /* counts, sizes and lengths beyond their memory */
    uint64_t cycles;   /* linked lists cut where they came back on themselves */
    char first[160];   /* the first place found, for the warning */
};

__attribute__((format(printf, 3, 4))) void damage_note(struct damage *d, bool cycle,
                                                        const char *fmt, ...);

/* One warning line on stderr when anything was cut; nothing otherwise. */
void damage_report(const struct damage *d);

/* Brent's cycle detection for a list read from memory: O(1) space, one
 * comparison a step, and a cycle is found within a few times its length. */
struct chain_guard {
    uint64_t saved;
    uint64_t power, steps;
};

static inline void chain_guard_init(struct chain_guard *g, uint64_t first)
{
    g->saved = first;
    g->power = 1;
    g->steps = 0;
}

/* False when node is one the walk has already passed: the list cycles. */
static inline bool chain_guard_step(struct chain_guard *g, uint64_t node)
{
    if (node == g->saved)
        return false;
    if (++g->steps == g->power) {
        g->saved = node;
        g->power *= 2;
        g->steps = 0;
    }
    return true;
}

/* After chain_guard_step returned false: the length of the cycle. */
static inline uint64_t chain_guard_cycle(const struct chain_guard *g)
{
    return g->steps + 1;
}

#endif
