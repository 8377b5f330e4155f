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
    uint64_t execfn;                        /* AT_EXECFN from NT_AUXV (an address), 0 if none */
};

/* Opens path (an uncompressed ELF core, or one compressed with zstd, lz4, xz
 * or gzip, decompressed in memory).  False with a one-line reason in err. */
bool core_file_open(const char *path, struct core_file *core, char *err, size_t errlen);
void core_file_close(struct core_file *core);

/* The core's bytes for [vaddr, vaddr+len) when one segment holds them all
 * in the file; NULL otherwise (pages past p_filesz read as zeros elsewhere). */
const unsigned char *core_file_bytes(const struct core_file *core, uint64_t vaddr, size_t len);

#endif
