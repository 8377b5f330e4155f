/* An ELF file on disk, opened with libelf: symbols, sections, load segments.
 * Addresses are the file's own virtual addresses (before any load bias). */
#ifndef PYHEAPSCAN_ELF_FILE_H
#define PYHEAPSCAN_ELF_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf_file;

struct elf_symbol {
    uint64_t value;
    uint64_t size;
};

struct elf_section {
    uint64_t addr;
    uint64_t size;
    uint64_t file_offset;
    bool nobits;
};

/* Opens path; NULL with a message in err (size errlen) when it is not a
 * readable ELF file. */
struct elf_file *elf_file_open(const char *path, char *err, size_t errlen);
void elf_file_close(struct elf_file *f);

/* Looks name up in .dynsym, then in .symtab. */
bool elf_file_symbol(struct elf_file *f, const char *name, struct elf_symbol *out);
/* The addresses of the static data objects names[0..n) of one source file
 * (source: its base name, as the STT_FILE symbol before its locals says):
 * such names repeat across files, so only the file's own count.  From
 * .symtab, which stripped files lack.  out[i] is 0 for a name not found;
 * returns how many were found. */
size_t elf_file_static_objects(struct elf_file *f, const char *source, const char *const *names, size_t n,
                               uint64_t *out);
bool elf_file_section(struct elf_file *f, const char *name, struct elf_section *out);

/* The lowest PT_LOAD p_vaddr rounded down to its alignment: the load bias of a
 * mapped copy is its mapping address of file offset 0 minus this. */
uint64_t elf_file_first_load_vaddr(struct elf_file *f);

/* ET_DYN (PIE or shared object) rather than ET_EXEC. */
bool elf_file_is_dyn(struct elf_file *f);

/* Copies len bytes at virtual address vaddr from the file's PT_LOAD contents;
 * false when any byte is outside the file-backed part of a segment. */
bool elf_file_read(struct elf_file *f, uint64_t vaddr, void *out, size_t len);

/* libelf's handle of the open file, for the readers beside this one. */
struct Elf *elf_file_handle(struct elf_file *f);

/* The open file's descriptor (the elf_file keeps it). */
int elf_file_fd(struct elf_file *f);

/* The GNU build-id as lowercase hex into out (at least 2*20+1 bytes); false
 * when there is none. */
bool elf_file_build_id(struct elf_file *f, char *out, size_t outlen);

#endif
