/* How many threads a scan may run at once: the cores online, or fewer when
 * PYHEAPSCAN_THREADS says so (1: the scan keeps to one core, as on a host
 * whose other cores are the service's).  Every helper thread (the copy's
 * fault-in, the read-ahead of referents, the prefault worker) asks here. */
#ifndef PYHEAPSCAN_THREADS_H
#define PYHEAPSCAN_THREADS_H

unsigned threads_allowed(void);

#endif
