/* The one walk of the main interpreter's thread list and of a thread's
 * frame chain, which roots, stacks, extra edges and discovery all take:
 * bounded (model/walk_limits.h), cut where a damaged list comes back on
 * itself, and the same for every version (frame objects linked by f_back
 * up to 3.10, interpreter frames linked by previous since). */
#ifndef PYHEAPSCAN_THREAD_WALK_H
#define PYHEAPSCAN_THREAD_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "layouts/layout.h"
#include "model/damage.h"
#include "model/target.h"
#include "model/walk_limits.h"

struct thread_walk {
    struct target *t;
    const struct py_layout *L;
    uint64_t interp, next;
    struct chain_guard guard;
    int count;
    bool note_damage; /* a cycle is counted in t->damage ("thread list at ...") */
};

/* The thread states of interp (read with layout L: discovery walks them
 * before t->L is chosen), at most PY_THREADS_MAX. */
void thread_walk_start(struct thread_walk *w, struct target *t, const struct py_layout *L, uint64_t interp,
                       bool note_damage);

/* The next thread state; 0 at the end, at the limit or where the list cycles. */
uint64_t thread_walk_next(struct thread_walk *w);

/* Thread state ts's newest frame: its frame object up to 3.10, its
 * interpreter frame since (3.11 keeps it in a CFrame on the thread's C
 * stack: *lost, when not NULL, is that CFrame's address when it cannot be
 * read, else 0). */
uint64_t thread_newest_frame(struct target *t, uint64_t ts, uint64_t *lost);

struct frame_walk {
    struct target *t;
    uint64_t next;
    struct chain_guard guard;
};

/* The frames from newest to oldest; the callers bound them (PY_FRAMES_MAX)
 * by what they keep. */
void frame_walk_start(struct frame_walk *w, struct target *t, uint64_t newest);

/* The next frame; 0 at the end or where the chain cycles (counted in
 * t->damage: "frame chain at ..."). */
uint64_t frame_walk_next(struct frame_walk *w);

#endif
