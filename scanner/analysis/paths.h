/* Shortest paths from heapy's roots to an object, as heapy's shpaths finds
 * them: breadth first over the edges the reachable set follows, then back
 * along the referrers whose distance is one less.  Weak references are no
 * edges of the graph (tp_traverse does not report a weakref's referent), so
 * no path goes through one.  Reads the graph alone. */
#ifndef PYHEAPSCAN_PATHS_H
#define PYHEAPSCAN_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/heap.h"
#include "analysis/referrers.h"

#define PATH_UNREACHED UINT32_MAX

/* dist[i]: the number of edges from the virtual root above the roots to
 * object i (a root's object: 1), PATH_UNREACHED when no root reaches it.
 * False when out of memory. */
bool paths_distances(const struct heap *h, uint32_t **dist);

/* One path: step[k] is the referrer entry (an index into r->from and
 * r->label) by which obj[k] is held, step[0] a root's; obj[len - 1] the
 * object asked about.  Called for each shortest path, at most max of them
 * (0: all), in the order of the referrers; returns false to stop. */
typedef bool (*path_fn)(void *ctx, const uint64_t *step, const uint32_t *obj, size_t len);

/* The shortest paths to target; returns how many were handed to fn, or
 * SIZE_MAX when out of memory. */
size_t paths_shortest(const struct heap *h, const struct referrers *r, const uint32_t *dist, uint32_t target,
                      size_t max, path_fn fn, void *ctx);

/* MAT's merged paths: the first shortest path of every member folded into
 * one tree from the roots down, each node with how many members' paths go
 * through it.  Node 0 is the virtual root; a node's parent has a smaller
 * index. */
struct merged_node {
    uint32_t parent;     /* node index */
    uint32_t object;     /* the object reached */
    uint64_t step;       /* the referrer entry it is held by */
    uint64_t count;      /* members whose path goes through it */
    bool member;         /* the object is one of the members */
};
struct merged_paths {
    struct merged_node *node;
    size_t n, cap;
    uint64_t members, unreached;  /* members given; those no root reaches */
};
bool paths_merge(const struct heap *h, const struct referrers *r, const uint32_t *dist, const uint32_t *members,
                 size_t nmembers, struct merged_paths *out);
void merged_paths_free(struct merged_paths *m);

#endif
