/* A thread's merged stack, newest first, as pystack merges one: its native
 * frames, each call of the eval loop standing for the Python frames that
 * call runs (up to the one marked as its oldest); calls of the eval loop
 * beyond the Python frames known stay native.  And the crash signature
 * CI systems group crashes by. */
#ifndef PYHEAPSCAN_MERGED_STACK_H
#define PYHEAPSCAN_MERGED_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stacks/native_stacks.h"
#include "stacks/thread_stacks.h"

struct merged_frame {
    bool python;
    size_t index;            /* into the thread's Python or native frames */
};

/* The native frames of Python thread t, NULL when none were unwound. */
const struct native_thread *native_of(const struct native_stacks *native, const struct thread_stack *t);

/* Fills out (room for n->nframes + t->nframes) and returns the count; 0
 * when no eval loop call is known among the native frames (a build
 * without the symbols to name it): the stacks are then shown apart. */
size_t merge_stack(const struct native_thread *n, const struct thread_stack *t, struct merged_frame *out);

/* The function names of the thread's newest frames (the merged stack's,
 * else the Python ones'), at most SIGNATURE_FRAMES, and their FNV-1a hash:
 * no address, offset or line enters it, so it is the same for the same
 * crash across runs, builds' load addresses and ASLR. */
#define SIGNATURE_FRAMES 5
struct crash_signature {
    uint64_t hash;
    char names[SIGNATURE_FRAMES][256];
    size_t count;
};
void crash_signature_of(const struct native_thread *n, const struct thread_stack *t,
                        struct crash_signature *out);

#endif
