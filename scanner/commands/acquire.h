/* Every command's first step: a heap from its source (a live process, a
 * core or a snapshot) read into the object graph, the threads' stacks and
 * the crash, as much of them as the command asks for. */
#ifndef PYHEAPSCAN_ACQUIRE_H
#define PYHEAPSCAN_ACQUIRE_H

#include <stdbool.h>
#include <sys/types.h>

#include "commands/options.h"
#include "base/errors.h"
#include "model/heap.h"
#include "model/target.h"
#include "stacks/crash_facts.h"
#include "stacks/native_stacks.h"
#include "stacks/thread_stacks.h"
#include "store/scan_facts.h"

/* What one acquisition fills and keeps: the heap, the target, the threads'
 * stacks, native frames and crash, and the facts pointing to them (set up
 * in place: not to be copied). */
struct acquired {
    struct heap h;
    struct target t;
    struct thread_stacks stacks;
    struct native_stacks native;
    struct crash_facts crash;
    struct triage_facts triage;
    struct scan_facts facts;
};
void acquired_init(struct acquired *a);
void acquired_free(struct acquired *a);

/* Where a heap comes from: a live process, a core, a snapshot. */
struct source {
    enum { SOURCE_LIVE, SOURCE_CORE, SOURCE_SNAPSHOT } kind;
    pid_t pid;        /* SOURCE_LIVE */
    const char *path; /* the others */
};

/* The graph (or the stacks) of s that o asks for, into h, t and facts. */
bool acquire(const struct options *o, const struct source *s, struct heap *h, struct target *t,
             struct scan_facts *facts, struct error *err);

/* A source named on the command line of `diff` and a series: "pid:N" or a
 * number is a live process; a file is a snapshot when it starts like one,
 * else a core. */
struct source source_named(const char *spec);
bool acquire_named(const struct options *o, const char *spec, struct heap *h, struct target *t,
                   struct scan_facts *facts, struct error *err);

/* The classifier the output partitions by (pympler's table: by type). */
enum classifier shown_classifier(const struct options *o);

#endif
