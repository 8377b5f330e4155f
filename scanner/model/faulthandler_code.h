/* Up to 3.11 faulthandler keeps the files its module's m_traverse visits
 * in static variables of Modules/faulthandler.c.  A symbol table names
 * them; a stripped file (Debian's release builds) names none, but the
 * traverse function reads them: this finds faulthandler's PyModuleDef in
 * the file (the one whose m_name is "faulthandler", still as the compiler
 * left it: PyModuleDef_HEAD_INIT), disassembles its m_traverse and takes
 * the words it loads RIP-relative.  The word whose value the function
 * uses as the base of further loads is the user_signals array; the two
 * others are the files of thread and fatal_error. */
#ifndef PYHEAPSCAN_FAULTHANDLER_CODE_H
#define PYHEAPSCAN_FAULTHANDLER_CODE_H

#include <stdbool.h>
#include <stdint.h>

#include "symbols/elf_file.h"

struct faulthandler_code {
    uint64_t files[2];      /* the words holding a file, the file's own addresses */
    uint64_t user_signals;  /* the word holding the array */
};

/* False when the file holds no such definition or its traverse does not
 * read two words and one array (the shape of 3.8 to 3.11's). */
bool faulthandler_code_find(struct elf_file *f, struct faulthandler_code *out);

#endif
