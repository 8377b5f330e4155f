/* /proc/PID/maps, parsed once into an array. */
#ifndef PYHEAPSCAN_PROC_MAPS_H
#define PYHEAPSCAN_PROC_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct map_entry {
    uint64_t start, end;     /* [start, end) */
    uint64_t offset;         /* file offset of start */
    uint64_t inode;
    bool readable, writable, executable, shared;
    char *path;              /* "" for anonymous mappings; "[heap]" etc. kept as is */
};

struct proc_maps {
    struct map_entry *entries;
    size_t count;
};

/* Parses the text of a maps file.  Returns false on a malformed line (the
 * line number goes to *bad_line when not NULL). */
bool proc_maps_parse(const char *text, struct proc_maps *out, size_t *bad_line);

/* Reads and parses /proc/PID/maps; false with errno set on failure. */
bool proc_maps_read(pid_t pid, struct proc_maps *out);

void proc_maps_free(struct proc_maps *maps);

/* The entry containing addr, or NULL. */
const struct map_entry *proc_maps_find(const struct proc_maps *maps, uint64_t addr);

/* True for the kernel's special mappings that must not be copied. */
bool map_entry_is_special(const struct map_entry *e);

#endif
