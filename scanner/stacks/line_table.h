/* The source line a frame is at, from its code object's line table, as
 * PyCode_Addr2Line finds it in each version: co_lnotab (3.8, 3.9), the 3.10
 * line table, the 3.11+ location table. */
#ifndef PYHEAPSCAN_LINE_TABLE_H
#define PYHEAPSCAN_LINE_TABLE_H

#include <stdint.h>

#include "model/target.h"

/* The line of the instruction at byte offset addr of code's bytecode; -1
 * when the table says it has none, or cannot be read.  A negative addr (a
 * frame that has not started) is the code's first line. */
int64_t line_for_offset(struct target *t, uint64_t code, int64_t addr);

/* The three encodings, over a table already read (exposed for the tests). */
int64_t lnotab_line(const uint8_t *table, size_t n, int64_t first, int64_t addr);
int64_t linetable310_line(const uint8_t *table, size_t n, int64_t first, int64_t addr);
int64_t locations_line(const uint8_t *table, size_t n, int64_t first, int64_t addr);

#endif
