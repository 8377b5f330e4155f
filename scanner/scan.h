/* One scan of a live process, from attach to output. */
#ifndef PYHEAPSCAN_SCAN_H
#define PYHEAPSCAN_SCAN_H

#include "cli.h"
#include "base/errors.h"

/* Returns the exit code; err holds the message when it is not EXIT_OK. */
int scan_live(const struct options *o, struct error *err);

/* The same on a core dump (--core). */
int scan_core(const struct options *o, struct error *err);

/* The same on a saved snapshot (--load). */
int scan_snapshot(const struct options *o, struct error *err);

/* `pyheapscan diff BEFORE AFTER`: what grew, by kind and by identity. */
int scan_diff(const struct options *o, struct error *err);

/* `pyheapscan suspects` of a series of heaps (o->series): the kinds that
 * grow at every step, then the last heap's suspects. */
int scan_series(const struct options *o, struct error *err);

#endif
