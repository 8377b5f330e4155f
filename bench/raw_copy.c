/* The reference for the scanner's stop time: a plain process_vm_readv copy
 * of every readable, writable mapping of a process, nothing else.  Prints
 * the seconds it took and the bytes copied. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: raw_copy PID\n");
        return 2;
    }
    int pid = atoi(argv[1]);
    char path[64], line[4096];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    unsigned long long total = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long long start, end;
        char perms[5];
        if (sscanf(line, "%llx-%llx %4s", &start, &end, perms) != 3 || perms[0] != 'r' ||
            perms[1] != 'w' || strstr(line, "[vvar") || strstr(line, "[vsyscall]"))
            continue;
        size_t len = (size_t)(end - start);
        void *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (buf == MAP_FAILED)
            return 1;
        struct iovec local = {buf, len}, remote = {(void *)(uintptr_t)start, len};
        ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
        if (n > 0)
            total += (unsigned long long)n;
        munmap(buf, len);
    }
    fclose(f);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%.6f %llu\n", (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9, total);
    return 0;
}
