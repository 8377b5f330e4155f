#include "model/faulthandler_code.h"

#include <capstone/capstone.h>
#include <string.h>

#include "model/code_decode.h"
#include "symbols/elf_data.h"

/* PyModuleDef up to 3.11 (Include/moduleobject.h): m_base
 * {PyObject_HEAD, m_init, m_index, m_copy} is 40 bytes, then m_name, m_doc,
 * m_size, m_methods, m_slots, m_traverse. */
enum { DEF_NAME = 40, DEF_TRAVERSE = 80, INSNS_MAX = 512 };

/* A definition as PyModuleDef_HEAD_INIT leaves it in the file: refcount
 * 1, no type, no init function, index or copy yet. */
static bool untouched_def(struct elf_file *f, uint64_t def)
{
    uint64_t head[5];
    if (!elf_file_read(f, def, head, sizeof head) || head[0] != 1)
        return false;
    for (int i = 1; i < 5; i++) {
        uint64_t w;
        if (!elf_data_pointer_at(f, def + (uint64_t)i * 8, &w) || w)
            return false;
    }
    return true;
}

struct rip_load {
    uint64_t addr;  /* the word read */
    x86_reg reg;    /* where it went (X86_REG_INVALID: compared only) */
};

struct code_walk {
    struct elf_file *f;
    uint64_t todo[64];
    size_t ntodo;
    uint64_t seen[INSNS_MAX];
    size_t nseen;
    struct rip_load loads[16];
    size_t nloads;
    x86_reg bases[32];   /* registers used as the base of a memory operand */
    size_t nbases;
    bool bad;
};

static bool was_seen(const struct code_walk *w, uint64_t pc)
{
    for (size_t i = 0; i < w->nseen; i++)
        if (w->seen[i] == pc)
            return true;
    return false;
}

static void push(struct code_walk *w, uint64_t pc)
{
    if (w->ntodo == sizeof w->todo / sizeof w->todo[0]) {
        w->bad = true; /* not the small function expected */
        return;
    }
    w->todo[w->ntodo++] = pc;
}

/* The file's bytes, an instruction at a time (compilers move the
 * unlikely branches of a function far from it: no window holds them all). */
static bool read_file(void *ctx, uint64_t addr, void *out, size_t len)
{
    return elf_file_read(ctx, addr, out, len);
}

static void note_operands(struct code_walk *w, const cs_insn *insn)
{
    const cs_x86 *x = &insn->detail->x86;
    for (int i = 0; i < x->op_count; i++) {
        const cs_x86_op *op = &x->operands[i];
        if (op->type != X86_OP_MEM)
            continue;
        if (op->mem.base == X86_REG_RIP && op->size == 8) {
            if (w->nloads == sizeof w->loads / sizeof w->loads[0]) {
                w->bad = true;
                return;
            }
            bool to_reg = insn->id == X86_INS_MOV && i == 1 && x->operands[0].type == X86_OP_REG;
            w->loads[w->nloads++] = (struct rip_load){insn->address + insn->size + (uint64_t)op->mem.disp,
                                                      to_reg ? x->operands[0].reg : X86_REG_INVALID};
        } else if (op->mem.base != X86_REG_INVALID && op->mem.base != X86_REG_RSP &&
                   w->nbases < sizeof w->bases / sizeof w->bases[0]) {
            w->bases[w->nbases++] = op->mem.base;
        }
    }
}

/* Every instruction reachable from the entry, by both ways of each branch,
 * to its returns and tail calls. */
static void walk(csh handle, struct code_walk *w, uint64_t entry)
{
    cs_insn *insn = cs_malloc(handle);
    push(w, entry);
    while (w->ntodo && !w->bad) {
        uint64_t pc = w->todo[--w->ntodo];
        for (;;) {
            if (was_seen(w, pc))
                break;
            if (w->nseen == INSNS_MAX || !code_decode(handle, read_file, w->f, pc, insn)) {
                w->bad = true;
                break;
            }
            w->seen[w->nseen++] = pc;
            note_operands(w, insn);
            if (cs_insn_group(handle, insn, CS_GRP_RET) || insn->id == X86_INS_UD2 || insn->id == X86_INS_HLT ||
                insn->id == X86_INS_INT3)
                break;
            const cs_x86 *x = &insn->detail->x86;
            bool jump = cs_insn_group(handle, insn, CS_GRP_JUMP);
            if (jump && x->op_count == 1 && x->operands[0].type == X86_OP_IMM) {
                uint64_t target = (uint64_t)x->operands[0].imm;
                if (insn->id == X86_INS_JMP) {
                    pc = target;
                    continue;
                }
                push(w, target);
            } else if (jump) {
                break; /* a tail call through a register */
            }
            pc = insn->address + insn->size;
        }
    }
    cs_free(insn, 1);
}

static bool used_as_base(const struct code_walk *w, x86_reg reg)
{
    for (size_t i = 0; i < w->nbases; i++)
        if (w->bases[i] == reg)
            return true;
    return false;
}

/* The loads' words: one array (a word whose value some register takes and
 * then serves as a base) and two files. */
static bool classify(const struct code_walk *w, struct faulthandler_code *out)
{
    uint64_t words[4], arrays[4];
    size_t nwords = 0, narrays = 0;
    for (size_t i = 0; i < w->nloads; i++) {
        const struct rip_load *l = &w->loads[i];
        bool array = l->reg != X86_REG_INVALID && used_as_base(w, l->reg);
        uint64_t *set = array ? arrays : words;
        size_t *n = array ? &narrays : &nwords;
        bool dup = false;
        for (size_t k = 0; k < *n; k++)
            dup |= set[k] == l->addr;
        if (dup)
            continue;
        if (*n == 4)
            return false;
        set[(*n)++] = l->addr;
    }
    /* user_signals is also compared with NULL: not a file */
    size_t nfiles = 0;
    for (size_t i = 0; i < nwords; i++)
        if (narrays != 1 || words[i] != arrays[0]) {
            if (nfiles == 2)
                return false;
            out->files[nfiles++] = words[i];
        }
    if (narrays != 1 || nfiles != 2)
        return false;
    out->user_signals = arrays[0];
    return true;
}

static bool traverse_reads(struct elf_file *f, uint64_t fn, struct faulthandler_code *out)
{
    csh handle;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK)
        return false;
    cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
    struct code_walk w;
    memset(&w, 0, sizeof w);
    w.f = f;
    walk(handle, &w, fn);
    cs_close(&handle);
    return !w.bad && classify(&w, out);
}

bool faulthandler_code_find(struct elf_file *f, struct faulthandler_code *out)
{
    uint64_t names[8], refs[8];
    size_t nnames = elf_data_find_string(f, "faulthandler", names, 8);
    for (size_t i = 0; i < nnames; i++) {
        size_t nrefs = elf_data_find_pointer(f, names[i], refs, 8);
        for (size_t k = 0; k < nrefs; k++) {
            uint64_t def = refs[k] - DEF_NAME, fn;
            if (refs[k] >= DEF_NAME && untouched_def(f, def) && elf_data_pointer_at(f, def + DEF_TRAVERSE, &fn) &&
                fn && traverse_reads(f, fn, out))
                return true;
        }
    }
    return false;
}
