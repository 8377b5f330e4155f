/* What a scan learns beside the object graph: where the heap came from,
 * how long the target stood, its threads' stacks, a crash.  A snapshot
 * keeps them with the graph (store/), and every format shows them. */
#ifndef PYHEAPSCAN_SCAN_FACTS_H
#define PYHEAPSCAN_SCAN_FACTS_H

#include <stdbool.h>
#include <stdint.h>

struct target;
struct thread_stacks;
struct crash_facts;

/* What triage learns beside the stacks. */
struct triage_facts {
    char heap_error[1100]; /* why the heap could not be read, "" when it was */
};
struct native_stacks;

struct scan_facts {
    const char *source;          /* "live" or "core" */
    const char *core_path;
    int core_signal;
    const struct target *t;
    const char *set;
    double stopped_seconds, total_seconds;
    int threads;
    bool collecting;
    uint64_t inexact_sizes;
    uint64_t opaque_objects;
    struct thread_stacks *stacks; /* `stacks`: filled instead of the heap; --save and --load: too */
    char stacks_missing[256];     /* why they are not there (a save could not read them) */
    struct crash_facts *crash;    /* `stacks` of a core that a signal killed: filled, else NULL */
    struct crash_facts *crash_store;
    struct native_stacks *native;  /* stacks --native */
    struct triage_facts *triage;   /* triage */
};

#endif
