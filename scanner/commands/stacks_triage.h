/* `stacks` and `triage` once their source is read: every thread's frames
 * (with --native the native ones merged in), and a crash on one screen. */
#ifndef PYHEAPSCAN_STACKS_TRIAGE_H
#define PYHEAPSCAN_STACKS_TRIAGE_H

#include <stdbool.h>

#include "commands/options.h"
#include "base/errors.h"
#include "model/heap.h"
#include "model/target.h"
#include "store/scan_facts.h"

/* `stacks`: the threads' frames, as text or JSON (total_seconds: the scan's
 * time so far, shown in JSON). */
bool write_stacks(const struct options *o, struct target *t, struct scan_facts *facts, double total_seconds,
                  struct error *err);

/* `triage`: the stacks, the crash, and the reachable set's top rows by
 * class or dict owner when the heap could be read. */
bool write_triage(const struct options *o, struct target *t, struct heap *h, struct scan_facts *facts,
                  struct error *err);

#endif
