/* The heap report: the set asked for, partitioned (heapy's table, JSON,
 * heapy's dump, pympler's summary, one line an object or its referents),
 * with the warnings on what could not be modelled. */
#ifndef PYHEAPSCAN_HEAP_REPORT_H
#define PYHEAPSCAN_HEAP_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "commands/options.h"
#include "analysis/referrers.h"
#include "base/errors.h"
#include "model/heap.h"
#include "model/target.h"
#include "store/scan_facts.h"

/* The objects sel (n of them) of h, with their referrers refs (when the
 * classifier or --retained needs them); start: when the scan began. */
bool write_heap_report(const struct options *o, struct target *t, struct heap *h, struct scan_facts *facts,
                       const struct referrers *refs, const uint32_t *sel, size_t n, double start,
                       struct error *err);

#endif
