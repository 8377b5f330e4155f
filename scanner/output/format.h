/* Writing results: heapy's partition table, JSON, and one line per object. */
#ifndef PYHEAPSCAN_FORMAT_H
#define PYHEAPSCAN_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "model/heap.h"
#include "analysis/partition.h"
#include "analysis/referrers.h"
#include "model/target.h"
#include "store/scan_facts.h"

/* How many rows heapy shows before "<N more rows...>". */
#define HEAPY_ROWS_PER_PAGE 10

/* heapy's SetFormat: label, header, rows, footer.  max_rows is the number of
 * rows to show (0 = all). */
void format_partition_text(FILE *out, const struct partition *p, size_t max_rows);

/* One JSON object, documented in README.md.  max_rows 0 = all rows. */
void format_partition_json(FILE *out, const struct partition *p, const struct scan_facts *f,
                           size_t max_rows);

/* heapy's Stat dump (SetFormat), which guppy3's hpy().load() reads: every
 * row, made at timemade (seconds since the epoch). */
void format_partition_heapy(FILE *out, const struct partition *p, double timemade);

/* For the objects listed (indices NULL: the first n): */
/* "0xADDR\tSIZE\tGENERATION\tTYPE" for every object; GENERATION is 0, 1, 2, p
 * (the permanent generation, gc.freeze()) or - (not gc-tracked: found as a
 * referent). */
/* referents: the request is about referents (the r flag is shown). */
void format_objects(FILE *out, const struct heap *h, const uint32_t *indices, size_t n, bool referents);

/* "0xADDR 0xREF 0xREF..." for every object (edges recorded). */
void format_referents(FILE *out, const struct heap *h, const uint32_t *indices, size_t n);

/* One line a type of the objects listed: its address, name, objects, how
 * its traverse is modelled (table, code, none, subtype, flagged) and by
 * which class's, why a flagged one is, how its size is (basic, table,
 * flagged) and whose __sizeof__, and what a traverse read from its code
 * visits.  False when out of memory. */
bool format_types(FILE *out, const struct heap *h, const uint32_t *indices, size_t n);

/* pympler's summary table of the objects listed: at most limit rows (0 all).
 * False when out of memory. */
bool format_pympler(FILE *out, const struct heap *h, const uint32_t *indices, size_t n, size_t limit);

/* Whether format_pympler names the objects of a type by their texts
 * (heap_keep_texts needs to read no other). */
bool pympler_wants_text(const struct type_info *ti);

/* heapy's IdFormat table (a partition by id). */
void format_id_text(FILE *out, const struct partition *p, size_t max_rows);

/* `refs`: the object, its referents and its referrers, each with its kind
 * and the relation heapy names it by. */
void format_refs(FILE *out, const struct heap *h, const struct referrers *r, uint32_t i);


#endif
