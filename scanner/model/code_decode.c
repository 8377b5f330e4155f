#include "model/code_decode.h"

enum { INSN_BYTES = 15 }; /* the longest x86 instruction */

bool code_decode(csh cs, code_read_fn read, void *ctx, uint64_t pc, cs_insn *insn)
{
    uint8_t bytes[INSN_BYTES];
    size_t n = sizeof bytes;
    while (n && !read(ctx, pc, bytes, n))
        n--;
    const uint8_t *at = bytes;
    uint64_t addr = pc;
    return n && cs_disasm_iter(cs, &at, &n, &addr, insn);
}
