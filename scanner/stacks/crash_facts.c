#include "stacks/crash_facts.h"

#include <capstone/capstone.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const crash_reg_names[CORE_NREGS] = {
    "r15", "r14", "r13",    "r12", "rbp",     "rbx",     "r11", "r10", "r9",
    "r8",  "rax", "rcx",    "rdx", "rsi",     "rdi",     "orig_rax", "rip", "cs",
    "eflags", "rsp", "ss",  "fs_base", "gs_base", "ds", "es", "fs", "gs",
};

struct code_name {
    int signal, code;        /* signal 0: any signal */
    const char *name;
};

/* si_code values (<bits/siginfo-consts.h>; the kernel's uapi siginfo.h). */
static const struct code_name code_names[] = {
    {SIGSEGV, SEGV_MAPERR, "SEGV_MAPERR"}, {SIGSEGV, SEGV_ACCERR, "SEGV_ACCERR"},
    {SIGSEGV, 3, "SEGV_BNDERR"},          {SIGSEGV, 4, "SEGV_PKUERR"},
    {SIGBUS, BUS_ADRALN, "BUS_ADRALN"},   {SIGBUS, BUS_ADRERR, "BUS_ADRERR"},
    {SIGBUS, BUS_OBJERR, "BUS_OBJERR"},   {SIGBUS, 4, "BUS_MCEERR_AR"},
    {SIGBUS, 5, "BUS_MCEERR_AO"},         {SIGILL, ILL_ILLOPC, "ILL_ILLOPC"},
    {SIGILL, ILL_ILLOPN, "ILL_ILLOPN"},   {SIGILL, ILL_ILLADR, "ILL_ILLADR"},
    {SIGILL, ILL_ILLTRP, "ILL_ILLTRP"},   {SIGILL, ILL_PRVOPC, "ILL_PRVOPC"},
    {SIGILL, ILL_PRVREG, "ILL_PRVREG"},   {SIGILL, ILL_COPROC, "ILL_COPROC"},
    {SIGILL, ILL_BADSTK, "ILL_BADSTK"},   {SIGFPE, FPE_INTDIV, "FPE_INTDIV"},
    {SIGFPE, FPE_INTOVF, "FPE_INTOVF"},   {SIGFPE, FPE_FLTDIV, "FPE_FLTDIV"},
    {SIGFPE, FPE_FLTOVF, "FPE_FLTOVF"},   {SIGFPE, FPE_FLTUND, "FPE_FLTUND"},
    {SIGFPE, FPE_FLTRES, "FPE_FLTRES"},   {SIGFPE, FPE_FLTINV, "FPE_FLTINV"},
    {SIGFPE, FPE_FLTSUB, "FPE_FLTSUB"},   {SIGTRAP, 1, "TRAP_BRKPT"},
    {SIGTRAP, 2, "TRAP_TRACE"},           {0, SI_USER, "SI_USER"},
    {0, SI_KERNEL, "SI_KERNEL"},          {0, SI_QUEUE, "SI_QUEUE"},
    {0, SI_TIMER, "SI_TIMER"},            {0, SI_MESGQ, "SI_MESGQ"},
    {0, SI_ASYNCIO, "SI_ASYNCIO"},        {0, SI_SIGIO, "SI_SIGIO"},
    {0, SI_TKILL, "SI_TKILL"},
};

static bool fatal(int sig)
{
    return sig == SIGSEGV || sig == SIGABRT || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
           sig == SIGQUIT || sig == SIGSYS || sig == SIGTRAP || sig == SIGXCPU || sig == SIGXFSZ;
}

/* Signals whose si_addr is the faulting address (when si_code > 0: sent
 * by the kernel for a fault, not by a process). */
static bool faults(int sig)
{
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE;
}

static void name_code(struct crash_facts *f)
{
    for (size_t i = 0; i < sizeof code_names / sizeof code_names[0]; i++)
        if ((code_names[i].signal == f->signal || (code_names[i].signal == 0 && f->si_code <= 0)) &&
            code_names[i].code == f->si_code) {
            snprintf(f->code_name, sizeof f->code_name, "%s", code_names[i].name);
            return;
        }
    snprintf(f->code_name, sizeof f->code_name, "%d", f->si_code);
}

/* What the fault address falls in: near NULL, a segment of the core (a
 * file's by its name), a guard page with a thread's stack above it, or
 * nothing mapped. */
static void place(const struct core_file *core, struct crash_facts *f)
{
    uint64_t a = f->fault_addr;
    if (a < 65536) {
        if (a)
            snprintf(f->fault_where, sizeof f->fault_where, "NULL + %#llx", (unsigned long long)a);
        else
            snprintf(f->fault_where, sizeof f->fault_where, "NULL");
        return;
    }
    const struct core_segment *in = NULL;
    for (size_t i = 0; i < core->nsegments; i++)
        if (a >= core->segments[i].vaddr && a - core->segments[i].vaddr < core->segments[i].memsz)
            in = &core->segments[i];
    const char *name = NULL;
    for (size_t i = 0; i < core->nfiles; i++)
        if (a >= core->files[i].start && a < core->files[i].end)
            name = core->files[i].path;
    if (in && (in->readable || in->writable || in->executable)) {
        snprintf(f->fault_where, sizeof f->fault_where, "%s (%c%c%c)", name ? name : "an anonymous mapping",
                 in->readable ? 'r' : '-', in->writable ? 'w' : '-', in->executable ? 'x' : '-');
        return;
    }
    /* No access, or nothing: a thread whose stack pointer is just above
     * (within a guard page's reach) ran off its stack. */
    for (size_t i = 0; i < (size_t)core->nthreads; i++) {
        uint64_t sp = core->threads[i].regs[CORE_REG_RSP];
        if (sp >= a && sp - a < (1u << 20)) {
            snprintf(f->fault_where, sizeof f->fault_where,
                     "%s below thread %d's stack pointer (a stack overflow)",
                     in ? "a guard page" : "unmapped memory", core->threads[i].tid);
            return;
        }
    }
    snprintf(f->fault_where, sizeof f->fault_where, in ? "a mapping with no access (---)" : "unmapped");
}

/* capstone's name of a general register to its place in regs, and the
 * width-mask its name reads (eax: the low 32 bits of rax). */
static bool reg_value(const struct crash_facts *f, const char *name, uint64_t *value)
{
    static const char *const wide[16] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
                                         "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
    static const char *const low32[16] = {"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp",
                                          "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
    for (int i = 0; i < 16; i++) {
        bool w = strcmp(name, wide[i]) == 0, l = strcmp(name, low32[i]) == 0;
        if (!w && !l)
            continue;
        for (int k = 0; k < CORE_NREGS; k++)
            if (strcmp(crash_reg_names[k], wide[i]) == 0) {
                *value = l ? (f->regs[k] & 0xffffffffu) : f->regs[k];
                return true;
            }
    }
    return false;
}

/* How an instruction uses its memory operand, from Intel syntax's
 * destination-first order (capstone 4's access flags are wrong for some
 * AVX-512 stores): a destination is written (moves, stores, sets), read and
 * written (arithmetic), or only read (comparisons); a source is read. */
static const char *access_verb(const char *mnemonic, uint8_t index, uint8_t count)
{
    if (strcmp(mnemonic, "lea") == 0)
        return "computes";
    if (index != 0 || count < 2)
        return "reads";
    static const char *const compare[] = {"cmp", "test", "bt", "ucomis", "comis", "vucomis", "vcomis"};
    for (size_t k = 0; k < sizeof compare / sizeof compare[0]; k++)
        if (strncmp(mnemonic, compare[k], strlen(compare[k])) == 0)
            return "reads";
    static const char *const store[] = {"mov", "vmov", "stos", "set", "vpmov", "cmov"};
    for (size_t k = 0; k < sizeof store / sizeof store[0]; k++)
        if (strncmp(mnemonic, store[k], strlen(store[k])) == 0)
            return "writes";
    return "reads and writes";
}

/* The faulting instruction's memory operand: [base + index*scale + disp],
 * each register's value, and the address they make. */
static void resolve_operand(csh handle, const cs_insn *insn, uint64_t pc, struct crash_facts *f)
{
    if (!insn->detail)
        return;
    const cs_x86 *x = &insn->detail->x86;
    for (uint8_t i = 0; i < x->op_count; i++) {
        const cs_x86_op *op = &x->operands[i];
        if (op->type != X86_OP_MEM)
            continue;
        uint64_t ea = (uint64_t)op->mem.disp, v;
        char regs[96] = "";
        size_t used = 0;
        const x86_reg parts[2] = {op->mem.base, op->mem.index};
        for (int k = 0; k < 2; k++) {
            if (parts[k] == X86_REG_INVALID)
                continue;
            const char *name = cs_reg_name(handle, parts[k]);
            if (parts[k] == X86_REG_RIP)
                v = pc + insn->size;
            else if (!name || !reg_value(f, name, &v))
                return;
            ea += k ? v * (uint64_t)op->mem.scale : v;
            used += (size_t)snprintf(regs + used, sizeof regs - used, "%s%s = %#llx", used ? ", " : "",
                                     name, (unsigned long long)v);
            if (used >= sizeof regs)
                used = sizeof regs - 1;
        }
        if (op->mem.segment == X86_REG_FS)
            ea += f->regs[21];
        else if (op->mem.segment == X86_REG_GS)
            ea += f->regs[22];
        const char *verb = access_verb(insn->mnemonic, i, x->op_count);
        const char *open = strchr(insn->op_str, '[');
        const char *close = open ? strchr(open, ']') : NULL;
        int len = open && close ? (int)(close - open + 1) : 0;
        snprintf(f->operand, sizeof f->operand, "%s %.*s%s%s: %#llx", verb, len, open ? open : "",
                 used ? ", " : "", regs, (unsigned long long)ea);
        f->effective = ea;
        f->has_effective = true;
        return;
    }
}

static void add_insn(struct crash_facts *f, const cs_insn *insn, bool faulting)
{
    if (f->ninsns == sizeof f->insns / sizeof f->insns[0])
        return;
    struct crash_insn *c = &f->insns[f->ninsns++];
    c->addr = insn->address;
    c->faulting = faulting;
    snprintf(c->text, sizeof c->text, "%s%s%s", insn->mnemonic, insn->op_str[0] ? " " : "", insn->op_str);
}

void crash_insn_undecoded(const unsigned char *code, size_t n, uint64_t pc, struct crash_insn *out)
{
    enum { LONGEST = 15 }; /* x86's longest instruction */
    int major = 0, minor = 0;
    cs_version(&major, &minor);
    out->addr = pc;
    out->faulting = true;
    int len = snprintf(out->text, sizeof out->text, ".byte");
    for (size_t i = 0; i < n && i < LONGEST && len > 0 && (size_t)len < sizeof out->text; i++)
        len += snprintf(out->text + len, sizeof out->text - (size_t)len, " %02x", code[i]);
    /* 0x62 opens an EVEX prefix in 64-bit mode: AVX-512, which glibc's
     * string functions use where the CPU has it (capstone 4 cannot decode
     * it) */
    const char *what = n && code[0] == 0x62 ? "an EVEX (AVX-512) instruction" : "an instruction";
    if (len > 0 && (size_t)len < sizeof out->text)
        snprintf(out->text + len, sizeof out->text - (size_t)len, " (%s capstone %d.%d cannot decode)", what,
                 major, minor);
}

/* x86 does not decode backwards: the instructions before pc are shown only
 * when the function's start is known (from its symbol), decoded from there;
 * never guessed from a byte boundary that happens to land on pc. */
static void disassemble(struct memory *mem, uint64_t pc, uint64_t function_start, struct crash_facts *f)
{
    enum { AFTER = 48, MAX_BEFORE = 4096 };
    uint64_t before = function_start && function_start <= pc && pc - function_start <= MAX_BEFORE
                          ? pc - function_start
                          : 0;
    unsigned char *code = malloc(before + AFTER);
    if (!code)
        return;
    size_t have = (size_t)before + AFTER;
    while (have > before && !mem_read(mem, pc - before, code, have))
        have -= 8;
    if (have <= before) { /* the function's start is not readable: from pc on */
        before = 0;
        have = AFTER;
        while (have && !mem_read(mem, pc, code, have))
            have -= 8;
    }
    csh handle;
    if (!have || cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
        free(code);
        return;
    }
    cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
    cs_insn *insn = NULL;
    if (before) {
        size_t n = cs_disasm(handle, code, (size_t)before, pc - before, 0, &insn);
        /* Only when the decoding from the start lands exactly on pc. */
        if (n && insn[n - 1].address + insn[n - 1].size == pc)
            for (size_t i = n > 4 ? n - 4 : 0; i < n; i++)
                add_insn(f, &insn[i], false);
        if (n)
            cs_free(insn, n);
    }
    size_t n = cs_disasm(handle, code + before, have - (size_t)before, pc, 5, &insn);
    /* The faulting instruction is always shown: as its bytes when the
     * decoder does not know it. */
    if (!n && f->ninsns < sizeof f->insns / sizeof f->insns[0])
        crash_insn_undecoded(code + before, have - (size_t)before, pc, &f->insns[f->ninsns++]);
    for (size_t i = 0; i < n; i++) {
        add_insn(f, &insn[i], i == 0);
        if (i == 0)
            resolve_operand(handle, &insn[i], pc, f);
    }
    if (n)
        cs_free(insn, n);
    cs_close(&handle);
    free(code);
}

bool crash_facts_read(const struct core_file *core, struct memory *mem, const struct native_stacks *native,
                      struct crash_facts *out)
{
    memset(out, 0, sizeof *out);
    if (!fatal(core->signal))
        return false;
    out->signal = core->signal;
    const char *abbrev = sigabbrev_np(core->signal);
    snprintf(out->signal_name, sizeof out->signal_name, "SIG%s", abbrev ? abbrev : "?");
    out->si_code = core->has_siginfo ? core->sig_code : 0;
    name_code(out);
    out->has_addr = core->has_siginfo && faults(core->signal) && core->sig_code > 0;
    out->fault_addr = core->fault_addr;
    if (out->has_addr)
        place(core, out);
    /* The thread that took the signal: the one whose pr_cursig says so,
     * else the first the kernel wrote. */
    const struct core_thread *t = core->nthreads ? &core->threads[0] : NULL;
    for (int i = 0; i < core->nthreads; i++)
        if (core->threads[i].cursig == core->signal) {
            t = &core->threads[i];
            break;
        }
    if (t) {
        out->tid = t->tid;
        memcpy(out->regs, t->regs, sizeof out->regs);
        /* The faulting function's start, where its symbol is known. */
        uint64_t start = 0;
        for (size_t i = 0; native && i < native->count; i++)
            if (native->threads[i].tid == t->tid && native->threads[i].nframes &&
                native->threads[i].frames[0].function[0] && native->threads[i].frames[0].pc == t->regs[CORE_REG_RIP])
                start = native->threads[i].frames[0].pc - native->threads[i].frames[0].offset;
        disassemble(mem, t->regs[CORE_REG_RIP], start, out);
    }
    return true;
}
