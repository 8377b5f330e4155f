/* glibc's malloc, tuned for the graph's arrays (one slot per object or per
 * edge: hundreds of MiB at ten million objects). */
#ifndef PYHEAPSCAN_MALLOC_TUNING_H
#define PYHEAPSCAN_MALLOC_TUNING_H

/* Runs the scanner again with glibc's tunables for big arrays in its
 * environment, unless they are there (or the user set hugetlb himself) or
 * malloc is not glibc's (sanitizers); returns only when that cannot be
 * done, and the scan goes on untuned. */
void malloc_tuning_apply(char **argv);

#endif
