/* Printing thread stacks: text as py-spy dump shows them, or JSON
 * (README.md documents the schema). */
#ifndef PYHEAPSCAN_FORMAT_STACKS_H
#define PYHEAPSCAN_FORMAT_STACKS_H

#include <stdbool.h>
#include <stdio.h>

#include "output/json_writer.h"
#include "stacks/crash_facts.h"
#include "stacks/native_stacks.h"
#include "stacks/thread_stacks.h"

/* crash: what a core says of the crash that made it, NULL for none;
 * native: the threads' native frames (--native), NULL for none: each eval
 * loop entry among them stands for the Python frames that call runs. */
void format_stacks_text(FILE *out, const struct crash_facts *crash, const struct thread_stacks *s,
                        const struct native_stacks *native);
void format_stacks_json(FILE *out, const struct crash_facts *crash, const struct thread_stacks *s,
                        const struct native_stacks *native, double stopped_seconds, double total_seconds);

/* Pieces that triage prints too. */
void format_crash_text(FILE *out, const struct crash_facts *c);
void format_crash_json(struct json_writer *j, const struct crash_facts *c);
void format_native_frame(FILE *out, const struct native_frame *f);
void format_python_frame(FILE *out, const struct py_frame *f);

/* A frame in JSON, the one schema of stacks and triage: {"type": "python",
 * function, qualname, file, line, kind, frame, code[, locals]} or {"type":
 * "native", pc, module, function, offset, module_offset, build_id, file,
 * line, eval}. */
void format_python_frame_json(struct json_writer *j, const struct py_frame *f);
void format_native_frame_json(struct json_writer *j, const struct native_frame *f);

#endif
