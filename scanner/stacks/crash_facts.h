/* What a core says of the crash that made it: the signal and its si_code
 * by name, the fault address and what it falls in, the faulting thread and
 * its registers, and the instructions around its pc, the faulting one's
 * memory operand worked out from the registers. */
#ifndef PYHEAPSCAN_CRASH_FACTS_H
#define PYHEAPSCAN_CRASH_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source/memory.h"
#include "stacks/native_stacks.h"
#include "symbols/core_file.h"

struct crash_insn {
    uint64_t addr;
    char text[256];          /* "mov eax, dword ptr [rdi]" */
    bool faulting;
};

struct crash_facts {
    int signal;
    char signal_name[16];    /* "SIGSEGV" */
    int si_code;
    char code_name[24];      /* "SEGV_MAPERR", "SI_TKILL"... */
    bool has_addr;           /* a fault: si_addr says where */
    uint64_t fault_addr;
    char fault_where[256];   /* "NULL + 0x18", "unmapped", "/usr/lib/libc.so.6 (r-x)"... */
    int tid;                 /* the thread that took the signal */
    uint64_t regs[CORE_NREGS];
    struct crash_insn insns[12];
    size_t ninsns;
    char operand[400];       /* "reads [rdi+0x18], rdi = 0: 0x18" */
    bool has_effective;
    uint64_t effective;      /* the faulting instruction's memory address */
};

/* False when the core records no signal that kills a process.  native
 * (NULL without): the threads' native frames, whose symbols say where the
 * faulting function starts, so that the instructions before pc are shown. */
bool crash_facts_read(const struct core_file *core, struct memory *mem, const struct native_stacks *native,
                      struct crash_facts *out);

/* The faulting instruction at pc when the decoder does not know it: its
 * bytes (code, n of them readable) and the decoder's limit named. */
void crash_insn_undecoded(const unsigned char *code, size_t n, uint64_t pc, struct crash_insn *out);

/* The register names of struct core_thread's regs, in order. */
extern const char *const crash_reg_names[CORE_NREGS];

#endif
