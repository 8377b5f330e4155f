/* The cores systemd-coredump keeps (/var/lib/systemd/coredump, or
 * $PYHEAPSCAN_COREDUMP_DIR): compressed files named
 * core.COMM.UID.BOOT_ID.PID.TIMESTAMP[.zst|.lz4|.xz], COMM with its dots
 * written \x2e.  `--coredump[=PID|NAME]` picks one without the user
 * decompressing or finding anything. */
#ifndef PYHEAPSCAN_COREDUMP_DIR_H
#define PYHEAPSCAN_COREDUMP_DIR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/errors.h"

/* The newest core whose process had pid match (all digits), else whose
 * command name contains match; with match "" the newest of a command
 * named python*, else the newest of all.  Its path into path. */
bool coredump_pick(const char *match, char *path, size_t cap, struct error *err);

#endif
