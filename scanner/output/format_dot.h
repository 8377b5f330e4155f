/* Graphviz graphs (--format dot), pympler's refgraph from outside: the
 * shortest paths from the roots to an object (`paths ADDR`), the dominator
 * tree below the biggest retainers (`top`), and each leak suspect's path,
 * its dominator chain down to the accumulation point and the biggest of
 * what accumulates there (`suspects`).  Objects are nodes labelled with
 * their kind, address and sizes; a path's edges carry the relation heapy
 * names them by; the dominator tree's edges are dashed. */
#ifndef PYHEAPSCAN_FORMAT_DOT_H
#define PYHEAPSCAN_FORMAT_DOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "output/format_paths.h"
#include "analysis/suspects.h"

/* At most max (0: all) shortest paths to target.  False when out of memory. */
bool format_dot_paths(FILE *out, const struct why_alive *w, uint32_t target, size_t max);

/* The objects listed, each with depth levels of the dominator tree below
 * (at most rows children a node).  False when out of memory. */
bool format_dot_top(FILE *out, const struct why_alive *w, const uint32_t *objects, size_t n, unsigned depth,
                    size_t rows);

/* Each suspect: its first shortest path, the chain down to its
 * accumulation point, and at most rows of the point's biggest children. */
bool format_dot_suspects(FILE *out, const struct why_alive *w, const struct suspects *s, size_t rows);

#endif
