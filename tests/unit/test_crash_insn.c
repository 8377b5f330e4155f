/* The faulting instruction is always shown (stacks/crash_facts.c): where
 * capstone cannot decode it — an EVEX-encoded AVX-512 instruction, which
 * glibc's string functions run on CPUs that have it and Debian 12's
 * capstone 4.0.2 does not know — as its bytes, with the decoder's limit
 * named. */
#include "stacks/crash_facts.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h> /* after the scanner's headers: its fail() macro */

/* vpcmpeqb k0, ymm16, ymmword ptr [rdi]: what __strlen_evex faults on */
static const unsigned char evex[] = {0x62, 0xb1, 0x7d, 0x20, 0x74, 0x07, 0xc5, 0xfd};

static void evex_instruction_shown_as_its_bytes(void **state)
{
    (void)state;
    struct crash_insn insn;
    memset(&insn, 0, sizeof insn);
    crash_insn_undecoded(evex, sizeof evex, 0x7f0000001000, &insn);
    assert_true(insn.faulting);
    assert_int_equal(insn.addr, 0x7f0000001000);
    assert_non_null(strstr(insn.text, ".byte 62 b1 7d 20 74 07 c5 fd"));
    assert_non_null(strstr(insn.text, "EVEX (AVX-512)"));
    int major = 0, minor = 0;
    cs_version(&major, &minor);
    char decoder[32];
    snprintf(decoder, sizeof decoder, "capstone %d.%d", major, minor);
    assert_non_null(strstr(insn.text, decoder));
}

static void at_most_the_longest_instruction(void **state)
{
    (void)state;
    unsigned char code[40];
    memset(code, 0x0f, sizeof code);
    struct crash_insn insn;
    crash_insn_undecoded(code, sizeof code, 0x1000, &insn);
    size_t bytes = 0;
    for (const char *p = insn.text; (p = strstr(p, " 0f")); p += 3)
        bytes++;
    assert_int_equal(bytes, 15); /* x86's longest instruction */
    assert_non_null(strstr(insn.text, "(an instruction capstone"));
}

/* The case it is for: the decoder here does not know EVEX.  (A capstone
 * that does would show the instruction decoded, and this is then moot.) */
static void capstone_here_cannot_decode_evex(void **state)
{
    (void)state;
    csh cs;
    assert_int_equal(cs_open(CS_ARCH_X86, CS_MODE_64, &cs), CS_ERR_OK);
    cs_insn *insn = NULL;
    size_t n = cs_disasm(cs, evex, 6, 0x1000, 1, &insn);
    int major = 0, minor = 0;
    cs_version(&major, &minor);
    if (major < 5)
        assert_int_equal(n, 0);
    if (n)
        cs_free(insn, n);
    cs_close(&cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(evex_instruction_shown_as_its_bytes),
        cmocka_unit_test(at_most_the_longest_instruction),
        cmocka_unit_test(capstone_here_cannot_decode_evex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
