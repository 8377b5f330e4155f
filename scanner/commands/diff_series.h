/* `diff` and a series of `suspects`: two or more heaps, each from its own
 * source, compared. */
#ifndef PYHEAPSCAN_DIFF_SERIES_H
#define PYHEAPSCAN_DIFF_SERIES_H

#include "commands/options.h"
#include "base/errors.h"

/* `pyheapscan diff BEFORE AFTER`: what grew, by kind and by identity. */
int scan_diff(const struct options *o, struct error *err);

/* `pyheapscan suspects` of a series of heaps (o->series): the kinds that
 * grow at every step, then the last heap's suspects. */
int scan_series(const struct options *o, struct error *err);

#endif
