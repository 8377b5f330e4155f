/* The dominators' own cost on a saved heap: the bytes they hold at their
 * peak beyond the graph (every allocation counted through --wrap), and
 * their time against the time of building the referrers index they read.
 * usage: dominators_memory SNAPSHOT */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/dominators.h"
#include "output/format.h"
#include "analysis/paths.h"
#include "analysis/referrers.h"
#include "store/snapshot.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);

static size_t live, peak;

static void *counted(void *p)
{
    if (p) {
        live += malloc_usable_size(p);
        if (live > peak)
            peak = live;
    }
    return p;
}

void *__wrap_malloc(size_t n) { return counted(__real_malloc(n)); }
void *__wrap_calloc(size_t n, size_t m) { return counted(__real_calloc(n, m)); }
void *__wrap_realloc(void *p, size_t n)
{
    if (p)
        live -= malloc_usable_size(p);
    return counted(__real_realloc(p, n));
}
void __wrap_free(void *p)
{
    if (p)
        live -= malloc_usable_size(p);
    __real_free(p);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: dominators_memory SNAPSHOT\n");
        return 2;
    }
    struct heap h;
    heap_init(&h);
    struct target t;
    memset(&t, 0, sizeof t);
    struct scan_facts facts = {0};
    struct error err = {0};
    if (!snapshot_load(argv[1], &h, &t, &facts, &err) || !h.reach) {
        fprintf(stderr, "cannot load %s with its roots: %s\n", argv[1], err.message);
        return 1;
    }
    double t0 = now();
    struct referrers r;
    if (!referrers_build(&h, &r))
        return 1;
    double t1 = now();
    size_t before = live;
    peak = live;
    struct dominators d;
    if (!dominators_compute(&h, &r, &d))
        return 1;
    double t2 = now();
    size_t dom_peak = peak - before, dom_kept = live - before;
    peak = live;
    uint32_t *dist = NULL;
    if (!paths_distances(&h, &dist))
        return 1;
    double t3 = now();
    size_t dist_peak = peak - before;
    double per = (double)d.nreachable;
    printf("%zu objects, %zu reachable\n", h.count, d.nreachable);
    printf("  referrers index:  %.3f s\n", t1 - t0);
    printf("  dominators:       %.3f s (%.2fx the referrers index), peak %.1f bytes per reachable object "
           "beyond the graph, %.1f kept (idom, retained)\n",
           t2 - t1, (t2 - t1) / (t1 - t0), (double)dom_peak / per, (double)dom_kept / per);
    printf("  distances:        %.3f s, peak with the dominators kept %.1f bytes per reachable object\n",
           t3 - t2, (double)dist_peak / per);
    free(dist);
    dominators_free(&d);
    referrers_free(&r);
    heap_free(&h);
    return 0;
}
