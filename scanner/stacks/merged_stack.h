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

/* The thread that matters in a triage: the one the signal hit (crash may
 * be NULL), else the one holding the GIL (a hang), else the first; why
 * says which. */
const struct thread_stack *thread_that_matters(int crash_tid, const struct thread_stacks *s, const char **why);

/* The native frames of Python thread t, NULL when none were unwound. */
const struct native_thread *native_of(const struct native_stacks *native, const struct thread_stack *t);

/* Fills out (room for n->nframes + t->nframes) and returns the count; 0
 * when no eval loop call is known among the native frames (a build
 * without the symbols to name it): the stacks are then shown apart. */
size_t merge_stack(const struct native_thread *n, const struct thread_stack *t, struct merged_frame *out);

/* What tells one bug from another: the thread's newest native frames that
 * are not shared by every crash of their kind (glibc's string and memory
 * functions and its abort path, libffi and ctypes' call into it, the
 * interpreter's own calls between Python frames),
 * at most SIGNATURE_NATIVE of them — the newest frame stands when all are
 * such — then its newest Python frames, at most SIGNATURE_PYTHON, as
 * "function (file)"; an unsymbolized native frame named by its module and
 * its offset in it ("_cffi_backend.so+0x1a2b0", stable across ASLR); and
 * their FNV-1a hash.  No line, address or absolute path enters it, so the
 * same bug gives the same signature across runs and hosts. */
#define SIGNATURE_NATIVE 3
#define SIGNATURE_PYTHON 3
#define SIGNATURE_FRAMES (SIGNATURE_NATIVE + SIGNATURE_PYTHON)
struct crash_signature {
    uint64_t hash;
    char names[SIGNATURE_FRAMES][256];
    size_t count;
};
void crash_signature_of(const struct native_thread *n, const struct thread_stack *t,
                        struct crash_signature *out);

#endif
