/* The tables of an ELF file (symbols, relocations): each section of one
 * type, its data and its count of entries.  Shared by the readers of
 * symbols/, private to them. */
#ifndef PYHEAPSCAN_ELF_TABLES_H
#define PYHEAPSCAN_ELF_TABLES_H

#include <gelf.h>
#include <libelf.h>

/* The next section after *scn (NULL: the first) of type with entries:
 * its header in sh, its entries' count in n; NULL after the last. */
static inline Elf_Data *elf_next_table(Elf *elf, Elf_Scn **scn, Elf64_Word type, GElf_Shdr *sh, size_t *n)
{
    while ((*scn = elf_nextscn(elf, *scn)) != NULL) {
        if (!gelf_getshdr(*scn, sh) || sh->sh_type != type || sh->sh_entsize == 0)
            continue;
        Elf_Data *data = elf_getdata(*scn, NULL);
        if (!data)
            continue;
        *n = sh->sh_size / sh->sh_entsize;
        return data;
    }
    return NULL;
}

#endif
