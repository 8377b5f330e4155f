/* One scan, from its source (a live process, a core, a snapshot) to its
 * output: the graph acquired (acquire.h), then the command that was asked
 * for (commands/). */
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


#endif
