/* Every thread of the main interpreter and its Python frames, newest
 * first, read from the memory the scanner holds (a live copy or a core):
 * what py-spy dump and pystack show, from the same model the heap uses. */
#ifndef PYHEAPSCAN_THREAD_STACKS_H
#define PYHEAPSCAN_THREAD_STACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/errors.h"
#include "model/target.h"
#include "model/types.h"

enum frame_kind { FRAME_FUNCTION, FRAME_GENERATOR, FRAME_COROUTINE, FRAME_ASYNC_GENERATOR };

/* A frame's argument or local variable (a cell variable's contents). */
struct py_local {
    char name[64];
    uint64_t value;
    char rendering[128];     /* repr of a number, str, bool or None; else <type at 0x..> */
};

struct py_frame {
    uint64_t frame;          /* the frame object (<= 3.10) or interpreter frame (3.11+) */
    uint64_t code;
    char function[128];      /* co_name */
    char qualname[256];      /* co_qualname (3.11+), else co_name */
    char file[512];          /* co_filename */
    int64_t line;            /* -1: the line table has none */
    enum frame_kind kind;
    bool entry;              /* the oldest frame of its eval loop call (each frame up to 3.10) */
    struct py_local *locals; /* with locals asked for */
    size_t nlocals;
};

struct thread_stack {
    uint64_t tstate;
    uint64_t thread_id;      /* threading.get_ident() */
    int64_t native_id;       /* the kernel's tid, -1 unknown */
    char name[128];          /* threading.Thread's name, "" unknown */
    bool holds_gil, in_gc;
    uint64_t handling;       /* the exception an except block of it handles, 0 none */
    char handling_type[128]; /* its type's name */
    char handling_message[256]; /* its first argument when that is a str */
    uint64_t cut_at;         /* a frame whose code could not be read ended the walk there, 0 none */
    char cut_note[256];      /* what the memory says of it, "" nothing */
    struct py_frame *frames;
    size_t nframes, frames_cap;
};

struct thread_stacks {
    struct thread_stack *threads;
    size_t count, cap;
};

/* Reads every thread state's stack, and each frame's locals when asked.
 * types: a table for reading the threading module's Thread objects (names,
 * native ids). */
bool thread_stacks_read(struct target *t, struct type_table *types, bool locals,
                        struct thread_stacks *out, struct error *err);
void thread_stacks_free(struct thread_stacks *s);

#endif
