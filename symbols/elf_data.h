/* What an ELF file's data holds once loaded: strings, and the pointers its
 * writable sections hold, stored in the file or (position-independent
 * files) written by R_X86_64_RELATIVE relocations.  For finding a static
 * structure a stripped file names no symbol for, by what it points to.
 * Addresses are the file's own virtual addresses, as elf_file.h's. */
#ifndef PYHEAPSCAN_ELF_DATA_H
#define PYHEAPSCAN_ELF_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "elf_file.h"

/* The addresses of text and its NUL in the read-only data sections (as a
 * whole string or the tail of a longer one, which linkers merge): at most
 * cap of them; returns how many. */
size_t elf_data_find_string(struct elf_file *f, const char *text, uint64_t *out, size_t cap);

/* The 8-byte-aligned words of writable sections that hold value once
 * loaded: at most cap; returns how many. */
size_t elf_data_find_pointer(struct elf_file *f, uint64_t value, uint64_t *out, size_t cap);

/* The word at vaddr once loaded: a relative relocation's addend, else the
 * file's contents; false when vaddr is not file-backed. */
bool elf_data_pointer_at(struct elf_file *f, uint64_t vaddr, uint64_t *value);

#endif
