/* Stopping every thread of a live process with ptrace, and letting it go.
 *
 * PTRACE_SEIZE + PTRACE_INTERRUPT: no signal is sent to the target, so a
 * scanner that dies (even by SIGKILL) leaves a target that the kernel detaches
 * and that runs on.  Every other exit path detaches explicitly, including the
 * fatal signals of the scanner itself (tracer_install_signal_guard). */
#ifndef PYHEAPSCAN_TRACER_H
#define PYHEAPSCAN_TRACER_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/errors.h"

/* Stops every thread of pid, looping over /proc/PID/task until a pass finds
 * no new thread.  On failure nothing is left attached. */
bool tracer_attach(pid_t pid, struct error *err);

/* While stopped: every thread's registers (PTRACE_GETREGSET, NT_PRSTATUS),
 * into out (room for cap); returns how many were read. */
struct core_thread;
size_t tracer_registers(struct core_thread *out, size_t cap);

/* Resumes every stopped thread (re-delivering signals that arrived while it
 * was stopped).  Safe to call twice and from a signal handler. */
void tracer_detach(void);

/* True when the last detach found the target killed while it was stopped. */
bool tracer_target_died(void);

/* False once pid has exited (gone, or a zombie). */
bool tracer_target_alive(pid_t pid);

/* The command name of process pid (/proc/PID/comm), "?" when unknown. */
void process_comm(pid_t pid, char *out, size_t cap);

/* The message for a target the scanner may not trace, or that another
 * process already traces (EXIT_TRACED, naming that process). */
bool tracer_permission_error(struct error *err, pid_t pid);

/* Number of threads stopped by the last tracer_attach. */
int tracer_thread_count(void);

/* Detach on SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT and on the scanner's own
 * crashes (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT), then die of the signal. */
void tracer_install_signal_guard(void);

#endif
