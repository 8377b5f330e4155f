/* An ELF core file (kernel or gcore): its memory segments and the notes a
 * heap scan needs (mapped files, threads, the process, the fatal signal). */
#ifndef PYHEAPSCAN_CORE_FILE_H
#define PYHEAPSCAN_CORE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct core_segment {
    uint64_t vaddr, memsz, filesz, offset;  /* offset into the core file */
    bool readable, writable, executable;
};

struct core_mapped_file {
    uint64_t start, end, file_offset;       /* NT_FILE: file_offset in bytes */
    char *path;
};

/* A thread as NT_PRSTATUS keeps it: x86-64's user_regs_struct, in the
 * kernel's order (r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi
 * orig_rax rip cs eflags rsp ss fs_base gs_base ds es fs gs). */
#define CORE_NREGS 27
enum { CORE_REG_RBP = 4, CORE_REG_RIP = 16, CORE_REG_RSP = 19 };

struct core_thread {
    int tid;
    int cursig;                             /* the signal it was taking, 0 none */
    uint64_t regs[CORE_NREGS];
};

struct core_file {
    int fd;
    const unsigned char *data;              /* the whole core, mapped */
    size_t size;
    struct core_segment *segments;
    size_t nsegments;
    struct core_mapped_file *files;         /* NT_FILE entries */
    size_t nfiles;
    int pid;                                /* NT_PRPSINFO pr_pid, else the first thread's */
    char fname[17];                         /* NT_PRPSINFO pr_fname */
    int nthreads;                           /* NT_PRSTATUS notes */
    int signal;                             /* NT_SIGINFO si_signo, or pr_cursig; 0 if none */
    bool has_siginfo;                       /* NT_SIGINFO: */
    int sig_code, sig_errno;
    uint64_t fault_addr;                       /* the fault address (SIGSEGV, SIGBUS, SIGILL, SIGFPE) */
    struct core_thread *threads;            /* NT_PRSTATUS, in the core's order (the kernel
                                             * writes the thread that took the signal first) */
    uint64_t execfn;                        /* AT_EXECFN from NT_AUXV (an address), 0 if none */
};

/* The compression the first bytes of a file (n of them, 6 at least for
 * xz) say: "zstd", "lz4", "xz", "gzip", NULL for none of them. */
const char *core_file_compression(const unsigned char *magic, size_t n);

/* Opens path (an uncompressed ELF core, or one compressed with zstd, lz4, xz
 * or gzip, decompressed in memory).  False with a one-line reason in err. */
bool core_file_open(const char *path, struct core_file *core, char *err, size_t errlen);
void core_file_close(struct core_file *core);

#endif
