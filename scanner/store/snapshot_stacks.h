/* The threads' Python stacks in a snapshot (format 7): what `stacks --load`
 * prints, saved from the same stop as the heap.  Native frames and crash
 * facts are not kept: they need the registers and the stack pages. */
#ifndef PYHEAPSCAN_SNAPSHOT_STACKS_H
#define PYHEAPSCAN_SNAPSHOT_STACKS_H

#include <stdbool.h>

#include "store/snapshot_codec.h"
#include "stacks/thread_stacks.h"

/* s NULL: the stacks could not be read at the save (said by why). redact:
 * locals keep their names and addresses, not their renderings. */
void snapshot_put_stacks(struct buf *b, const struct thread_stacks *s, const char *why, bool redact);

/* Fills out (freed by thread_stacks_free); kept false with the reason in
 * why when the save could not read them.  False: the section is corrupt. */
bool snapshot_get_stacks(struct reader *r, struct thread_stacks *out, bool *kept, char *why, size_t why_size);

#endif
