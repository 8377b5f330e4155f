/* One x86-64 instruction decoded from code read through a callback (a
 * target's memory, or an ELF file on disk), for the readers of machine
 * code (faulthandler_code.c, traverse_code.c). */
#ifndef PYHEAPSCAN_CODE_DECODE_H
#define PYHEAPSCAN_CODE_DECODE_H

#include <capstone/capstone.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads len bytes at addr; false when they are not all there. */
typedef bool (*code_read_fn)(void *ctx, uint64_t addr, void *out, size_t len);

/* The instruction at pc into insn (cs_malloc'd, details on when cs asks
 * for them); false when no instruction can be read there.  Fewer than the
 * longest instruction's bytes are tried at the end of what is readable. */
bool code_decode(csh cs, code_read_fn read, void *ctx, uint64_t pc, cs_insn *insn);

#endif
