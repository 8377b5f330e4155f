#include "model/traverse_code.h"

#include "model/code_decode.h"

#include <capstone/capstone.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds: a traverse function is short; one that is not is not read. */
enum {
    INSNS_MAX = 4096,  /* instructions a function (all its paths) */
    PATHS_MAX = 256,   /* branches waiting */
    SLOTS_MAX = 32,    /* stack slots tracked */
    DEPTH_MAX = 4,     /* base traverses read in turn */
    ROUNDS_MAX = 8,    /* readings of one instruction with different values */
};

/* What a register or a stack slot holds. */
enum value_kind {
    V_UNKNOWN,
    V_SELF,      /* the object (rdi at entry) */
    V_VISIT,     /* the visit function (rsi at entry) */
    V_ARG,       /* its argument (rdx at entry) */
    V_FIELD,     /* the word at self + n */
    V_SELF_AT,   /* the address self + n */
    V_STACK,     /* the address n bytes from the stack pointer at entry */
    V_KNOWN,     /* the number n: a constant, or a word read from memory; m > 1: a loop's
                    index scaled by m (shifted), whose round 0 this is */
    V_INTO_AT,   /* the address m bytes into the block whose pointer is the word at self + n */
    V_ELEMENT,   /* the word at that address */
    V_DATA,      /* fewer than 8 bytes of the object or of such a block: a flag, a length */
    V_DICTPTR,   /* the address of the object's dict pointer (_PyObject_GetDictPtr's) */
    V_DICT,      /* the object's dict */
};

struct value {
    enum value_kind kind;
    int64_t n, m;
    int width; /* V_DATA: bytes read (n: the block's pointer field, -1 for the object; m: offset) */
};

/* What the last compare of known values (a tp_traverse read from memory
 * against NULL) leaves in the zero flag. */
struct known_compare {
    bool known;
    bool zero;
    bool on_data;  /* a test of the object's data: a branch on its state, cond says which */
    bool flag;     /* ... against a constant other than 0 (a flag, not a length) */
    struct traverse_code_condition cond;
};

enum { R_RAX, R_RCX, R_RDX, R_RBX, R_RSP, R_RBP, R_RSI, R_RDI, R_R8, R_R9, R_R10, R_R11, R_R12, R_R13,
       R_R14, R_R15, NREGS };

struct state {
    uint64_t pc;
    struct value r[NREGS];
    int64_t slot_at[SLOTS_MAX];
    struct value slot[SLOTS_MAX];
    int nslots;
    struct known_compare cc;
    struct traverse_code_guard guard; /* the conditions this path runs under */
};

enum { NOTES_MAX = 64 };

/* A field of self and how the code used it. */
struct field_use {
    int64_t offset;
    int width;        /* bytes read */
    bool pointer;     /* dereferenced: the pointer of a block */
};

/* A word of a block visited, and the steps taken through that block. */
struct element_visit {
    int64_t pointer, offset;
    struct traverse_code_guard guard;
};
struct stride {
    int64_t pointer, stride;
};

struct reader {
    code_read_fn read;
    void *ctx;
    const struct traverse_code_known *known;
    csh cs;
    struct traverse_code *out;
    struct seen {
        uint64_t pc, state;
    } seen[INSNS_MAX];
    size_t nseen;
    struct state paths[PATHS_MAX];
    size_t npaths;
    uint64_t functions[DEPTH_MAX + 1];
    int depth;
    struct field_use uses[NOTES_MAX];
    size_t nuses;
    struct element_visit elements[NOTES_MAX];
    size_t nelements;
    struct stride strides[NOTES_MAX];
    size_t nstrides;
};

static bool give_up(struct reader *rd, const char *fmt, ...)
{
    if (rd->out->understood) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(rd->out->why, sizeof rd->out->why, fmt, ap);
        va_end(ap);
        rd->out->understood = false;
    }
    return false;
}

/* The 64-bit register a register operand names (-1: none the reader keeps). */
static int reg_index(x86_reg r)
{
    static const x86_reg families[NREGS][4] = {
        {X86_REG_RAX, X86_REG_EAX, X86_REG_AX, X86_REG_AL},     {X86_REG_RCX, X86_REG_ECX, X86_REG_CX, X86_REG_CL},
        {X86_REG_RDX, X86_REG_EDX, X86_REG_DX, X86_REG_DL},     {X86_REG_RBX, X86_REG_EBX, X86_REG_BX, X86_REG_BL},
        {X86_REG_RSP, X86_REG_ESP, X86_REG_SP, X86_REG_SPL},    {X86_REG_RBP, X86_REG_EBP, X86_REG_BP, X86_REG_BPL},
        {X86_REG_RSI, X86_REG_ESI, X86_REG_SI, X86_REG_SIL},    {X86_REG_RDI, X86_REG_EDI, X86_REG_DI, X86_REG_DIL},
        {X86_REG_R8, X86_REG_R8D, X86_REG_R8W, X86_REG_R8B},    {X86_REG_R9, X86_REG_R9D, X86_REG_R9W, X86_REG_R9B},
        {X86_REG_R10, X86_REG_R10D, X86_REG_R10W, X86_REG_R10B}, {X86_REG_R11, X86_REG_R11D, X86_REG_R11W, X86_REG_R11B},
        {X86_REG_R12, X86_REG_R12D, X86_REG_R12W, X86_REG_R12B}, {X86_REG_R13, X86_REG_R13D, X86_REG_R13W, X86_REG_R13B},
        {X86_REG_R14, X86_REG_R14D, X86_REG_R14W, X86_REG_R14B}, {X86_REG_R15, X86_REG_R15D, X86_REG_R15W, X86_REG_R15B},
    };
    if (r == X86_REG_AH || r == X86_REG_CH || r == X86_REG_DH || r == X86_REG_BH)
        return r == X86_REG_AH ? R_RAX : r == X86_REG_CH ? R_RCX : r == X86_REG_DH ? R_RDX : R_RBX;
    for (int i = 0; i < NREGS; i++)
        for (int k = 0; k < 4; k++)
            if (families[i][k] == r)
                return i;
    return -1;
}

static bool is_full(x86_reg r)
{
    return r == X86_REG_RAX || r == X86_REG_RCX || r == X86_REG_RDX || r == X86_REG_RBX || r == X86_REG_RSP ||
           r == X86_REG_RBP || r == X86_REG_RSI || r == X86_REG_RDI || (r >= X86_REG_R8 && r <= X86_REG_R15);
}

static const struct value unknown = {V_UNKNOWN, 0, 0, 0};

static struct field_use *use_of(struct reader *rd, int64_t offset)
{
    for (size_t i = 0; i < rd->nuses; i++)
        if (rd->uses[i].offset == offset)
            return &rd->uses[i];
    if (rd->nuses == NOTES_MAX)
        return NULL;
    rd->uses[rd->nuses] = (struct field_use){offset, 0, false};
    return &rd->uses[rd->nuses++];
}

static void note_read(struct reader *rd, int64_t offset, int width)
{
    struct field_use *u = use_of(rd, offset);
    if (u && width > u->width)
        u->width = width;
}

static void note_pointer(struct reader *rd, int64_t offset)
{
    struct field_use *u = use_of(rd, offset);
    if (u)
        u->pointer = true;
}

static void note_stride(struct reader *rd, int64_t pointer, int64_t stride)
{
    for (size_t i = 0; i < rd->nstrides; i++)
        if (rd->strides[i].pointer == pointer && rd->strides[i].stride == stride)
            return;
    if (rd->nstrides < NOTES_MAX)
        rd->strides[rd->nstrides++] = (struct stride){pointer, stride};
}

static struct value slot_get(const struct state *s, int64_t at)
{
    for (int i = 0; i < s->nslots; i++)
        if (s->slot_at[i] == at)
            return s->slot[i];
    return unknown;
}

static void slot_set(struct state *s, int64_t at, struct value v)
{
    for (int i = 0; i < s->nslots; i++)
        if (s->slot_at[i] == at) {
            s->slot[i] = v;
            return;
        }
    if (s->nslots < SLOTS_MAX) {
        s->slot_at[s->nslots] = at;
        s->slot[s->nslots++] = v;
    }
}

/* The address a memory operand names, as a value (V_UNKNOWN when it
 * depends on an index or on what the reader does not keep). */
static struct value address_of(struct reader *rd, const struct state *s, const cs_insn *insn,
                               const x86_op_mem *m)
{
    if (m->segment != X86_REG_INVALID)
        return unknown;
    if (m->base == X86_REG_RIP && m->index == X86_REG_INVALID)
        return (struct value){V_KNOWN, (int64_t)(insn->address + insn->size) + m->disp, 0, 0};
    int b = reg_index(m->base);
    if (b < 0 || !is_full(m->base))
        return unknown;
    struct value base = s->r[b];
    /* An index steps through a block the object points to (an array whose
     * elements are scale bytes apart); anywhere else it is not followed. */
    if (m->index != X86_REG_INVALID) {
        if (base.kind != V_FIELD && base.kind != V_INTO_AT)
            return unknown;
        note_pointer(rd, base.n);
        note_stride(rd, base.n, m->scale);
        return (struct value){V_INTO_AT, base.n, (base.kind == V_INTO_AT ? base.m : 0) + m->disp, 0};
    }
    switch (base.kind) {
    case V_SELF:
        return (struct value){V_SELF_AT, m->disp, 0, 0};
    case V_SELF_AT:
    case V_STACK:
    case V_KNOWN:
        return (struct value){base.kind, base.n + m->disp, 0, 0};
    case V_FIELD:
        note_pointer(rd, base.n);
        return (struct value){V_INTO_AT, base.n, m->disp, 0};
    case V_INTO_AT:
        return (struct value){V_INTO_AT, base.n, base.m + m->disp, 0};
    case V_DICTPTR:
        return m->disp == 0 ? base : unknown;
    default:
        return unknown;
    }
}

/* What an 8-byte load from that address gives. */
static struct value load(struct reader *rd, const struct state *s, struct value at)
{
    uint64_t word;
    switch (at.kind) {
    case V_SELF_AT:
        return (struct value){V_FIELD, at.n, 0, 0};
    case V_INTO_AT:
        return (struct value){V_ELEMENT, at.n, at.m, 0};
    case V_DICTPTR:
        return (struct value){V_DICT, 0, 0, 0};
    case V_STACK:
        return slot_get(s, at.n);
    case V_KNOWN:
        if (rd->read(rd->ctx, (uint64_t)at.n, &word, sizeof word))
            return (struct value){V_KNOWN, (int64_t)word, 0, 0};
        return unknown;
    default:
        return unknown;
    }
}

static void clobber_caller_saved(struct state *s)
{
    static const int volatile_regs[] = {R_RAX, R_RCX, R_RDX, R_RSI, R_RDI, R_R8, R_R9, R_R10, R_R11};
    for (size_t i = 0; i < sizeof volatile_regs / sizeof volatile_regs[0]; i++)
        s->r[volatile_regs[i]] = unknown;
}

static bool same_guard(struct traverse_code_guard a, struct traverse_code_guard b)
{
    return a.zero == b.zero && a.nonzero == b.nonzero;
}

static void record_field(struct reader *rd, int64_t off, struct traverse_code_guard guard)
{
    struct traverse_code *out = rd->out;
    for (size_t i = 0; i < out->nfields; i++)
        if (out->fields[i] == off && same_guard(out->field_guards[i], guard))
            return;
    if (out->nfields == TRAVERSE_CODE_FIELDS) {
        give_up(rd, "visits more than %d fields", TRAVERSE_CODE_FIELDS);
        return;
    }
    size_t i = out->nfields++;
    while (i && out->fields[i - 1] > off) {
        out->fields[i] = out->fields[i - 1];
        out->field_guards[i] = out->field_guards[i - 1];
        i--;
    }
    out->fields[i] = off;
    out->field_guards[i] = guard;
}

static bool read_function(struct reader *rd, uint64_t fn, struct value self, struct traverse_code_guard guard);

static void record_element(struct reader *rd, int64_t pointer, int64_t offset, struct traverse_code_guard guard)
{
    for (size_t i = 0; i < rd->nelements; i++)
        if (rd->elements[i].pointer == pointer && rd->elements[i].offset == offset &&
            same_guard(rd->elements[i].guard, guard))
            return;
    if (rd->nelements < NOTES_MAX)
        rd->elements[rd->nelements++] = (struct element_visit){pointer, offset, guard};
    else
        give_up(rd, "visits more than %d words of blocks it points to", NOTES_MAX);
}

/* A call (or a tail jump) of target with the registers of s. */
static bool call(struct reader *rd, struct state *s, struct value target)
{
    if (target.kind == V_VISIT) {
        struct value obj = s->r[R_RDI];
        if (s->r[R_RSI].kind != V_ARG)
            return give_up(rd, "calls visit with another argument");
        bool guarded = s->guard.zero || s->guard.nonzero;
        if (obj.kind == V_ELEMENT) {
            record_element(rd, obj.n, obj.m, s->guard);
            return true;
        }
        if (obj.kind == V_DICT && !guarded) {
            rd->out->visits_dict = true;
            return true;
        }
        if (obj.kind != V_FIELD)
            return give_up(rd, "visits what is not a field of the object");
        if (obj.n == 8 && !guarded)
            rd->out->visits_type = true;
        else if (obj.n == 8)
            rd->out->visits_type_if = true;
        else
            record_field(rd, obj.n, s->guard);
        return true;
    }
    if (s->guard.zero || s->guard.nonzero) {
        /* (a guard on what a base or a helper visits: not kept) */
        if (target.kind == V_KNOWN && s->r[R_RSI].kind == V_VISIT)
            return give_up(rd, "calls another traverse under a condition");
    }
    const struct traverse_code_known *k = rd->known;
    bool own_args = s->r[R_RDI].kind == V_SELF && s->r[R_RSI].kind == V_VISIT && s->r[R_RDX].kind == V_ARG;
    if (k && target.kind == V_KNOWN && own_args) {
        for (size_t i = 0; i < k->nbases; i++)
            if (k->bases[i] == (uint64_t)target.n) {
                if (rd->out->base >= 0 && rd->out->base != (int)i)
                    return give_up(rd, "calls the traverses of two types it knows");
                rd->out->base = (int)i;
                return true;
            }
        if ((k->visit_managed_dict[0] && k->visit_managed_dict[0] == (uint64_t)target.n) ||
            (k->visit_managed_dict[1] && k->visit_managed_dict[1] == (uint64_t)target.n)) {
            rd->out->visits_dict = true;
            return true;
        }
    }
    /* A base type's traverse, or a helper traversing a part of the object
     * (Cython's exception state of a coroutine): read in turn, its self
     * being that part. */
    if (target.kind == V_KNOWN && (s->r[R_RDI].kind == V_SELF || s->r[R_RDI].kind == V_SELF_AT) &&
        s->r[R_RSI].kind == V_VISIT && s->r[R_RDX].kind == V_ARG)
        return read_function(rd, (uint64_t)target.n, s->r[R_RDI], s->guard);
    /* A call not handed visit cannot visit anything (a type check's
     * PyType_IsSubtype in an assertion; visit's argument alone, left in
     * its register, is of no use without it): what it returns is not
     * known, that is all. */
    static const int argument_regs[] = {R_RDI, R_RSI, R_RDX, R_RCX, R_R8, R_R9};
    bool hands_visit = false;
    for (size_t i = 0; i < sizeof argument_regs / sizeof argument_regs[0]; i++)
        hands_visit |= s->r[argument_regs[i]].kind == V_VISIT;
    if (!hands_visit)
        return true;
    if (target.kind == V_KNOWN)
        return give_up(rd, "calls %#llx, which it cannot follow", (unsigned long long)target.n);
    return give_up(rd, "calls through a pointer it cannot follow");
}

static bool push_path(struct reader *rd, const struct state *s, uint64_t pc)
{
    if (rd->npaths == PATHS_MAX)
        return give_up(rd, "branches more than %d ways", PATHS_MAX);
    rd->paths[rd->npaths] = *s;
    rd->paths[rd->npaths++].pc = pc;
    return true;
}

/* The value of a source operand. */
static struct value operand(struct reader *rd, const struct state *s, const cs_insn *insn, const cs_x86_op *op)
{
    if (op->type == X86_OP_IMM)
        return (struct value){V_KNOWN, op->imm, 0, 0};
    if (op->type == X86_OP_REG) {
        int r = reg_index(op->reg);
        return r >= 0 && is_full(op->reg) ? s->r[r] : unknown;
    }
    if (op->type == X86_OP_MEM && op->size == 8)
        return load(rd, s, address_of(rd, s, insn, &op->mem));
    return unknown;
}

/* A read of fewer than 8 bytes: of the object's data (V_DATA) when it is
 * the object's or a block's it points to. */
static struct value narrow(struct reader *rd, const struct state *s, const cs_insn *insn, const cs_x86_op *op)
{
    if (op->type == X86_OP_REG) {
        int r = reg_index(op->reg);
        return r >= 0 && s->r[r].kind == V_DATA ? s->r[r] : unknown;
    }
    if (op->type != X86_OP_MEM)
        return unknown;
    struct value at = address_of(rd, s, insn, &op->mem);
    if (at.kind == V_SELF_AT)
        return (struct value){V_DATA, -1, at.n, op->size};
    if (at.kind == V_INTO_AT)
        return (struct value){V_DATA, at.n, at.m, op->size};
    return unknown;
}

/* Where an operand is the object's data other than a pointer it holds (a
 * flag or a length of it or of a block it points to): false when it is
 * not. */
static bool data_at(struct reader *rd, const struct state *s, const cs_insn *insn, const cs_x86_op *op,
                    struct traverse_code_condition *where)
{
    struct value v = unknown;
    if (op->type == X86_OP_MEM) {
        struct value at = address_of(rd, s, insn, &op->mem);
        if (at.kind == V_SELF_AT && op->size < 8)
            v = (struct value){V_DATA, -1, at.n, op->size};
        else if (at.kind == V_INTO_AT)
            v = (struct value){V_DATA, at.n, at.m, op->size};
    } else if (op->type == X86_OP_REG) {
        int r = reg_index(op->reg);
        if (r >= 0 && s->r[r].kind == V_DATA)
            v = s->r[r];
    }
    if (v.kind != V_DATA || (v.width != 1 && v.width != 2 && v.width != 4 && v.width != 8))
        return false;
    *where = (struct traverse_code_condition){v.n, v.m, 0, v.width, false};
    return true;
}

/* The index of a condition in the reader's table, -1 when it is full. */
static int condition_index(struct reader *rd, const struct traverse_code_condition *c)
{
    struct traverse_code *out = rd->out;
    for (size_t i = 0; i < out->nconditions; i++)
        if (memcmp(&out->conditions[i], c, sizeof *c) == 0)
            return (int)i;
    if (out->nconditions == TRAVERSE_CODE_CONDITIONS)
        return -1;
    out->conditions[out->nconditions] = *c;
    return (int)out->nconditions++;
}

/* Writes v to the destination operand (a register, or a stack slot). */
static void store(struct reader *rd, struct state *s, const cs_insn *insn, const cs_x86_op *op, struct value v)
{
    if (op->type == X86_OP_REG) {
        int r = reg_index(op->reg);
        if (r >= 0)
            s->r[r] = is_full(op->reg) || v.kind == V_KNOWN || v.kind == V_DATA ? v : unknown;
    } else if (op->type == X86_OP_MEM) {
        struct value at = address_of(rd, s, insn, &op->mem);
        if (at.kind == V_STACK)
            slot_set(s, at.n, op->size == 8 ? v : unknown);
    }
}

/* A digest of what the registers and stack slots hold, for telling a path
 * that brings nothing new.  Where in a block a value is (m) is left out:
 * a loop's next round is the same round. */
static uint64_t state_shape(const struct state *s)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < NREGS + s->nslots; i++) {
        const struct value *v = i < NREGS ? &s->r[i] : &s->slot[i - NREGS];
        uint64_t n = i < NREGS ? 0 : (uint64_t)s->slot_at[i - NREGS];
        h = (h ^ (uint64_t)v->kind ^ (n << 8)) * 1099511628211ull;
        h = (h ^ (uint64_t)v->n) * 1099511628211ull;
    }
    h = (h ^ s->guard.zero ^ ((uint64_t)s->guard.nonzero << 8)) * 1099511628211ull;
    return (h ^ (uint64_t)s->cc.known ^ ((uint64_t)s->cc.zero << 1) ^ ((uint64_t)s->cc.on_data << 2)) *
           1099511628211ull;
}

/* One path from s until it returns; false when the code is not understood. */
static bool run_path(struct reader *rd, struct state *s, cs_insn *insn)
{
    for (;;) {
        /* An instruction read already with the same values (on another
         * path, or the loop's previous round) adds nothing; one reached
         * with others (the shared tail of a switch) is read again, a few
         * times at most. */
        uint64_t shape = state_shape(s);
        int rounds = 0;
        bool again = false;
        for (size_t i = 0; i < rd->nseen && !again; i++)
            if (rd->seen[i].pc == s->pc) {
                rounds++;
                again = rd->seen[i].state == shape;
            }
        if (again || rounds == ROUNDS_MAX)
            return true;
        if (rd->nseen == INSNS_MAX)
            return give_up(rd, "is longer than %d instructions", INSNS_MAX);
        rd->seen[rd->nseen++] = (struct seen){s->pc, shape};
        rd->out->instructions++;
        if (!code_decode(rd->cs, rd->read, rd->ctx, s->pc, insn))
            return give_up(rd, "has no readable instruction at %#llx", (unsigned long long)s->pc);
        uint64_t next = insn->address + insn->size;
        const cs_x86 *x = &insn->detail->x86;
        const cs_x86_op *op = x->operands;
        bool rsp_written = false;
        for (int k = 0; k < x->op_count; k++)
            if (op[k].type == X86_OP_REG && reg_index(op[k].reg) == R_RSP && (op[k].access & CS_AC_WRITE))
                rsp_written = true;
        /* The fields of self it reads, and how wide: a loop's length is one. */
        if (insn->id != X86_INS_LEA)
            for (int k = 0; k < x->op_count; k++)
                if (op[k].type == X86_OP_MEM && (op[k].access & CS_AC_READ)) {
                    struct value at = address_of(rd, s, insn, &op[k].mem);
                    if (at.kind == V_SELF_AT)
                        note_read(rd, at.n, op[k].size);
                }
        struct known_compare cc;
        memset(&cc, 0, sizeof cc);
        switch (insn->id) {
        case X86_INS_RET:
            return true;
        case X86_INS_TEST:
        case X86_INS_CMP:
        case X86_INS_AND:
        case X86_INS_BT:
            if (x->op_count == 2) {
                struct value a = operand(rd, s, insn, &op[0]), b = operand(rd, s, insn, &op[1]);
                if (a.kind == V_KNOWN && b.kind == V_KNOWN && insn->id != X86_INS_BT)
                    cc.known = true, cc.zero = insn->id == X86_INS_CMP ? a.n == b.n : (a.n & b.n) == 0;
                /* visit against one of CPython's visit functions: LTO's
                 * speculative inlining of it (a PGO build's visit_decref),
                 * which visits what the call would: the call's side only */
                if (insn->id == X86_INS_CMP && ((a.kind == V_VISIT && b.kind == V_KNOWN) ||
                                                (a.kind == V_KNOWN && b.kind == V_VISIT)))
                    cc.known = true, cc.zero = false;
                /* The object's data against a constant (a flag, or 0), or
                 * tested against itself (zero or not). */
                bool same = op[1].type == X86_OP_REG && op[0].type == X86_OP_REG && op[0].reg == op[1].reg &&
                            insn->id == X86_INS_TEST;
                if ((op[1].type == X86_OP_IMM || same) && insn->id != X86_INS_BT &&
                    data_at(rd, s, insn, &op[0], &cc.cond)) {
                    cc.on_data = true;
                    cc.cond.compare = insn->id == X86_INS_CMP;
                    cc.cond.value = same ? -1 : op[1].imm;
                    /* ah, bh, ch, dh: the second byte of what was read */
                    if (op[0].type == X86_OP_REG && (op[0].reg == X86_REG_AH || op[0].reg == X86_REG_BH ||
                                                     op[0].reg == X86_REG_CH || op[0].reg == X86_REG_DH))
                        cc.cond.value = same ? 0xFF00 : (int64_t)((uint64_t)(op[1].imm & 0xFF) << 8);
                    cc.flag = !same && op[1].imm != 0;
                } else if (insn->id == X86_INS_BT && data_at(rd, s, insn, &op[0], &cc.cond)) {
                    cc.on_data = cc.flag = true;
                    cc.cond.width = 0; /* a bit test: no guard made of it */
                }
            }
            if (insn->id == X86_INS_AND)
                store(rd, s, insn, &op[0], unknown);
            break;
        case X86_INS_NOP:
        case X86_INS_ENDBR64:
            break;
        case X86_INS_MOV:
        case X86_INS_MOVABS:
            if (x->op_count != 2)
                return give_up(rd, "has a move it cannot read");
            if (op[0].type == X86_OP_REG && reg_index(op[0].reg) == R_RSP) {
                /* mov rsp, rbp: back to a frame it knows */
                struct value v = operand(rd, s, insn, &op[1]);
                if (v.kind != V_STACK)
                    return give_up(rd, "moves the stack pointer");
                s->r[R_RSP] = v;
            } else {
                store(rd, s, insn, &op[0], op[1].size == 8 || op[1].type == X86_OP_IMM ? operand(rd, s, insn, &op[1])
                                                                                   : narrow(rd, s, insn, &op[1]));
            }
            rsp_written = false;
            break;
        case X86_INS_MOVZX:
        case X86_INS_MOVSX:
        case X86_INS_MOVSXD:
            store(rd, s, insn, &op[0], narrow(rd, s, insn, &op[1]));
            break;
        case X86_INS_LEA:
            if (op[0].type == X86_OP_REG && reg_index(op[0].reg) == R_RSP)
                return give_up(rd, "moves the stack pointer");
            store(rd, s, insn, &op[0], address_of(rd, s, insn, &op[1].mem));
            break;
        case X86_INS_XOR:
            if (op[0].type == X86_OP_REG && op[1].type == X86_OP_REG && reg_index(op[0].reg) == reg_index(op[1].reg))
                s->r[reg_index(op[0].reg)] = (struct value){V_KNOWN, 0, 0, 0};
            else
                store(rd, s, insn, &op[0], unknown);
            break;
        case X86_INS_PUSH: {
            struct value v = operand(rd, s, insn, &op[0]);
            if (s->r[R_RSP].kind != V_STACK)
                return give_up(rd, "loses the stack pointer");
            s->r[R_RSP].n -= 8;
            slot_set(s, s->r[R_RSP].n, v);
            rsp_written = false;
            break;
        }
        case X86_INS_POP:
            if (s->r[R_RSP].kind != V_STACK)
                return give_up(rd, "loses the stack pointer");
            store(rd, s, insn, &op[0], slot_get(s, s->r[R_RSP].n));
            s->r[R_RSP].n += 8;
            rsp_written = false;
            break;
        case X86_INS_SUB:
        case X86_INS_ADD: {
            int r = op[0].type == X86_OP_REG && is_full(op[0].reg) ? reg_index(op[0].reg) : -1;
            int64_t step = op[1].type == X86_OP_IMM ? (insn->id == X86_INS_ADD ? op[1].imm : -op[1].imm) : 0;
            if (r == R_RSP && step && s->r[R_RSP].kind == V_STACK) {
                s->r[R_RSP].n += step;
                rsp_written = false;
            } else if (r >= 0 && insn->id == X86_INS_ADD && op[1].type != X86_OP_IMM &&
                       (s->r[r].kind == V_KNOWN || s->r[r].kind == V_FIELD)) {
                /* index * element size + the block's pointer, either way round */
                struct value a = s->r[r], b = operand(rd, s, insn, &op[1]);
                struct value index = a.kind == V_KNOWN ? a : b, block = a.kind == V_KNOWN ? b : a;
                if (index.kind == V_KNOWN && block.kind == V_FIELD && index.m > 1) {
                    note_pointer(rd, block.n);
                    note_stride(rd, block.n, index.m);
                    s->r[r] = (struct value){V_INTO_AT, block.n, index.n, 0};
                } else {
                    s->r[r] = unknown;
                }
            } else if (op[0].type == X86_OP_REG && reg_index(op[0].reg) >= 0 && step &&
                       s->r[reg_index(op[0].reg)].kind == V_KNOWN) {
                /* a loop's index counting on: the next rounds differ (a few are read) */
                struct value *v = &s->r[reg_index(op[0].reg)];
                v->n += step;
                if (!is_full(op[0].reg))
                    v->n = (int64_t)(uint32_t)v->n;
            } else if (r >= 0 && step > 0 && (s->r[r].kind == V_FIELD || s->r[r].kind == V_INTO_AT)) {
                /* a pointer stepping through a block the object points to */
                note_pointer(rd, s->r[r].n);
                note_stride(rd, s->r[r].n, step);
                s->r[r] = (struct value){V_INTO_AT, s->r[r].n, (s->r[r].kind == V_INTO_AT ? s->r[r].m : 0) + step, 0};
            } else {
                store(rd, s, insn, &op[0], unknown);
            }
            break;
        }
        case X86_INS_SHL: {
            /* a loop's index scaled to its element's size */
            int r = op[0].type == X86_OP_REG && is_full(op[0].reg) ? reg_index(op[0].reg) : -1;
            if (r >= 0 && s->r[r].kind == V_KNOWN && op[1].type == X86_OP_IMM && op[1].imm > 0 && op[1].imm < 16) {
                int64_t scale = s->r[r].m > 1 ? s->r[r].m : 1;
                s->r[r] = (struct value){V_KNOWN, (int64_t)((uint64_t)s->r[r].n << op[1].imm), scale << op[1].imm, 0};
            } else {
                store(rd, s, insn, &op[0], unknown);
            }
            break;
        }
        case X86_INS_LEAVE:
            if (s->r[R_RBP].kind != V_STACK)
                return give_up(rd, "loses the frame pointer");
            s->r[R_RSP] = s->r[R_RBP];
            s->r[R_RBP] = slot_get(s, s->r[R_RSP].n);
            s->r[R_RSP].n += 8;
            rsp_written = false;
            break;
        case X86_INS_CALL: {
            struct value target = operand(rd, s, insn, &op[0]);
            /* _PyObject_GetDictPtr(self): where the dict pointer is */
            if (rd->known && rd->known->get_dict_ptr && target.kind == V_KNOWN &&
                (uint64_t)target.n == rd->known->get_dict_ptr && s->r[R_RDI].kind == V_SELF) {
                clobber_caller_saved(s);
                s->r[R_RAX] = (struct value){V_DICTPTR, 0, 0, 0};
                break;
            }
            if (!call(rd, s, target))
                return false;
            clobber_caller_saved(s);
            rsp_written = false;
            break;
        }
        case X86_INS_JMP:
            if (op[0].type == X86_OP_IMM) {
                s->pc = (uint64_t)op[0].imm;
                continue;
            }
            /* A tail call: what it calls returns for this function. */
            return call(rd, s, operand(rd, s, insn, &op[0]));
        default:
            if (cs_insn_group(rd->cs, insn, CS_GRP_JUMP)) {
                if (op[0].type != X86_OP_IMM)
                    return give_up(rd, "jumps where it cannot follow");
                /* A test of a value it knows takes one side only: the
                 * other (a call of a NULL base traverse) never runs. */
                bool on_zero = insn->id == X86_INS_JE, on_nonzero = insn->id == X86_INS_JNE;
                /* A branch on the object's data: a guard of what follows
                 * on each side (a zero test or a flag), else (a length's
                 * sign, a bit) only a length's test may be read past. */
                if (s->cc.on_data && (on_zero || on_nonzero) && s->cc.cond.width) {
                    int c = condition_index(rd, &s->cc.cond);
                    if (c < 0)
                        return give_up(rd, "tests more than %d flags of the object", TRAVERSE_CODE_CONDITIONS);
                    uint8_t bit = (uint8_t)(1u << c);
                    struct state taken = *s;
                    uint8_t *taken_side = on_zero ? &taken.guard.zero : &taken.guard.nonzero;
                    uint8_t *taken_other = on_zero ? &taken.guard.nonzero : &taken.guard.zero;
                    if (!(*taken_other & bit)) {
                        *taken_side |= bit;
                        taken.cc.on_data = false;
                        if (!push_path(rd, &taken, (uint64_t)op[0].imm))
                            return false;
                    }
                    uint8_t *fall_side = on_zero ? &s->guard.nonzero : &s->guard.zero;
                    uint8_t *fall_other = on_zero ? &s->guard.zero : &s->guard.nonzero;
                    if (*fall_other & bit)
                        return true; /* this side cannot be taken under its guard */
                    *fall_side |= bit;
                    break;
                }
                if (s->cc.on_data && s->cc.flag)
                    return give_up(rd, "visits depending on the object's state (a branch on a flag at %#llx)",
                                   (unsigned long long)insn->address);
                if (s->cc.known && (on_zero || on_nonzero)) {
                    if (s->cc.zero == on_zero) {
                        s->pc = (uint64_t)op[0].imm;
                        continue;
                    }
                    break;
                }
                if (!push_path(rd, s, (uint64_t)op[0].imm))
                    return false;
                break;
            }
            /* Anything else: what it writes is not known. */
            for (int k = 0; k < x->op_count; k++)
                if (op[k].access & CS_AC_WRITE)
                    store(rd, s, insn, &op[k], unknown);
            for (int k = 0; k < insn->detail->regs_write_count; k++) {
                int r = reg_index(insn->detail->regs_write[k]);
                if (r == R_RSP)
                    rsp_written = true;
                else if (r >= 0)
                    s->r[r] = unknown;
            }
        }
        if (rsp_written)
            return give_up(rd, "moves the stack pointer");
        /* The flags a compare of known values left last until something
         * else writes them. */
        if (insn->id == X86_INS_TEST || insn->id == X86_INS_CMP || insn->id == X86_INS_AND ||
            insn->id == X86_INS_BT)
            s->cc = cc;
        else
            for (int k = 0; k < insn->detail->regs_write_count; k++)
                if (insn->detail->regs_write[k] == X86_REG_EFLAGS)
                    s->cc.known = false;
        s->pc = next;
    }
}

static bool read_function(struct reader *rd, uint64_t fn, struct value self, struct traverse_code_guard guard)
{
    for (int d = 1; d <= rd->depth; d++)
        if (rd->functions[d] == fn)
            return true; /* being read already: a recursion adds nothing */
    if (rd->depth == DEPTH_MAX)
        return give_up(rd, "calls base traverses deeper than %d", DEPTH_MAX);
    rd->functions[++rd->depth] = fn;
    rd->out->functions++;
    size_t base = rd->npaths;
    struct state start;
    memset(&start, 0, sizeof start);
    start.pc = fn;
    start.r[R_RDI] = self;
    start.guard = guard;
    start.r[R_RSI] = (struct value){V_VISIT, 0, 0, 0};
    start.r[R_RDX] = (struct value){V_ARG, 0, 0, 0};
    start.r[R_RSP] = (struct value){V_STACK, 0, 0, 0};
    if (!push_path(rd, &start, fn))
        return false;
    cs_insn *insn = cs_malloc(rd->cs);
    bool ok = insn != NULL || give_up(rd, "out of memory");
    while (ok && rd->npaths > base) {
        struct state s = rd->paths[--rd->npaths];
        ok = run_path(rd, &s, insn);
    }
    if (insn)
        cs_free(insn, 1);
    rd->depth--;
    return ok;
}

/* The single words and arrays of blocks the object points to, from the
 * words visited in them, the steps taken through them and the fields read
 * that are neither visited nor pointers (the one length a loop has). */
static void name_blocks(struct reader *rd)
{
    struct traverse_code *out = rd->out;
    for (size_t e = 0; e < rd->nelements && out->understood; e++) {
        const struct element_visit *ev = &rd->elements[e];
        int64_t stride = 0;
        for (size_t i = 0; i < rd->nstrides; i++) {
            if (rd->strides[i].pointer != ev->pointer)
                continue;
            if (stride && stride != rd->strides[i].stride) {
                give_up(rd, "steps through the block at +%lld by different strides", (long long)ev->pointer);
                return;
            }
            stride = rd->strides[i].stride;
        }
        struct traverse_code_array a = {ev->pointer, ev->offset, stride, -1, 0, ev->guard};
        if (stride) {
            /* the word of the element, whichever round visited it */
            a.offset = (ev->offset % stride + stride) % stride;
            if (a.offset + 8 > stride) {
                give_up(rd, "visits +%lld of %lld-byte elements", (long long)ev->offset, (long long)stride);
                return;
            }
            const struct field_use *length = NULL;
            for (size_t i = 0; i < rd->nuses; i++) {
                const struct field_use *u = &rd->uses[i];
                bool visited = u->offset == 8;
                for (size_t f = 0; f < out->nfields; f++)
                    visited |= out->fields[f] == u->offset;
                if (visited || u->pointer || u->offset < 16 || (u->width != 4 && u->width != 8))
                    continue;
                if (length) {
                    give_up(rd, "loops over the block at +%lld with a length it cannot tell (+%lld or +%lld)",
                            (long long)ev->pointer, (long long)length->offset, (long long)u->offset);
                    return;
                }
                length = u;
            }
            if (!length) {
                give_up(rd, "loops over the block at +%lld with no length it can name", (long long)ev->pointer);
                return;
            }
            a.count_field = length->offset;
            a.count_width = length->width;
        }
        bool same = false;
        for (size_t i = 0; i < out->narrays; i++)
            same |= memcmp(&out->arrays[i], &a, sizeof a) == 0;
        if (same)
            continue;
        if (out->narrays == TRAVERSE_CODE_ARRAYS) {
            give_up(rd, "visits more than %d blocks it points to", TRAVERSE_CODE_ARRAYS);
            return;
        }
        out->arrays[out->narrays++] = a;
    }
}

void traverse_code_read(code_read_fn read, void *ctx, uint64_t fn, const struct traverse_code_known *known,
                        struct traverse_code *out)
{
    memset(out, 0, sizeof *out);
    out->understood = true;
    out->base = -1;
    struct reader *rd = calloc(1, sizeof *rd); /* large: not on the stack */
    if (!rd) {
        snprintf(out->why, sizeof out->why, "out of memory");
        out->understood = false;
        return;
    }
    rd->read = read;
    rd->ctx = ctx;
    rd->known = known;
    rd->out = out;
    rd->functions[0] = 0;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &rd->cs) != CS_ERR_OK) {
        give_up(rd, "capstone cannot be opened");
        free(rd);
        return;
    }
    cs_option(rd->cs, CS_OPT_DETAIL, CS_OPT_ON);
    if (read_function(rd, fn, (struct value){V_SELF, 0, 0, 0}, (struct traverse_code_guard){0, 0}))
        name_blocks(rd);
    for (size_t i = 0; i < out->nfields; i++)
        snprintf(out->field_names[i], sizeof out->field_names[i], "field+%lld", (long long)out->fields[i]);
    cs_close(&rd->cs);
    free(rd);
}

uint64_t traverse_code_forwards_to(code_read_fn read, void *ctx, uint64_t fn)
{
    csh cs;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK)
        return 0;
    cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
    cs_insn *insn = cs_malloc(cs);
    struct reader rd = {.read = read, .ctx = ctx};
    struct state s;
    memset(&s, 0, sizeof s);
    uint64_t to = 0;
    for (uint64_t pc = fn; insn && pc && !to;) {
        if (!code_decode(cs, read, ctx, pc, insn))
            break;
        const cs_x86_op *op = insn->detail->x86.operands;
        if (insn->id == X86_INS_ENDBR64) {
            pc = insn->address + insn->size;
        } else if (insn->id == X86_INS_MOV && op[0].type == X86_OP_REG && is_full(op[0].reg) &&
                   op[1].type == X86_OP_MEM && op[1].size == 8 && pc - fn < 32) {
            s.r[reg_index(op[0].reg)] = operand(&rd, &s, insn, &op[1]);
            pc = insn->address + insn->size;
        } else if (insn->id == X86_INS_JMP) {
            struct value v = operand(&rd, &s, insn, &op[0]);
            to = v.kind == V_KNOWN ? (uint64_t)v.n : 0;
            break;
        } else {
            break;
        }
    }
    if (insn)
        cs_free(insn, 1);
    cs_close(&cs);
    return to;
}

bool traverse_code_guard_holds(const struct traverse_code *code, struct traverse_code_guard g, code_read_fn read,
                               void *ctx, uint64_t obj)
{
    for (size_t i = 0; i < code->nconditions; i++) {
        uint8_t bit = (uint8_t)(1u << i);
        if (!((g.zero | g.nonzero) & bit))
            continue;
        const struct traverse_code_condition *c = &code->conditions[i];
        uint64_t at = obj + (uint64_t)c->offset;
        if (c->pointer >= 0) {
            uint64_t block = 0;
            if (!read(ctx, obj + (uint64_t)c->pointer, &block, sizeof block) || !block)
                return false;
            at = block + (uint64_t)c->offset;
        }
        uint64_t v = 0; /* little-endian: the low bytes */
        if (!read(ctx, at, &v, (size_t)c->width))
            return false;
        uint64_t mask = c->width == 8 ? ~0ull : (1ull << (8 * c->width)) - 1;
        uint64_t value = (uint64_t)c->value & mask;
        bool zero = c->compare ? (v & mask) == value : (v & value) == 0;
        if (zero != ((g.zero & bit) != 0))
            return false;
    }
    return true;
}
