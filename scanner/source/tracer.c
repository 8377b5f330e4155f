#include "source/tracer.h"

#include "symbols/core_file.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <elf.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_THREADS 65536

/* Read by the signal handler: only written before count is raised. */
static pid_t g_tids[MAX_THREADS];
static int g_sigs[MAX_THREADS]; /* signal to re-deliver at detach, 0 if none */
static volatile sig_atomic_t g_count;
static pid_t g_pid;
static bool g_died; /* the main thread could not be detached: it was killed */

static bool known(pid_t tid)
{
    for (int i = 0; i < g_count; i++)
        if (g_tids[i] == tid)
            return true;
    return false;
}

/* Waits for tid to report its stop after PTRACE_INTERRUPT.  Returns 1 when
 * stopped, 0 when the thread is gone, -1 on error. */
static int wait_stopped(pid_t tid, int *pending_sig)
{
    for (;;) {
        int status;
        pid_t r = waitpid(tid, &status, __WALL);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return errno == ECHILD ? 0 : -1;
        }
        if (WIFEXITED(status) || WIFSIGNALED(status))
            return 0;
        if (!WIFSTOPPED(status))
            continue;
        int sig = WSTOPSIG(status);
        int event = status >> 16;
        if (event == PTRACE_EVENT_STOP) {
            /* Interrupt stop, or a group-stop of an already stopped process:
             * either way the thread is stopped, and detaching restores what
             * it was doing. */
            return 1;
        }
        /* A signal arrived before our interrupt: keep the thread stopped here
         * and hand the signal back when we let it go. */
        *pending_sig = sig;
        return 1;
    }
}

static bool list_tasks(pid_t pid, pid_t **out, int *n)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (!d)
        return false;
    int cap = 64;
    *n = 0;
    *out = malloc(sizeof **out * (size_t)cap);
    struct dirent *de;
    while (*out && (de = readdir(d)) != NULL) {
        if (de->d_name[0] < '0' || de->d_name[0] > '9')
            continue;
        if (*n == cap) {
            cap *= 2;
            pid_t *grown = realloc(*out, sizeof **out * (size_t)cap);
            if (!grown) {
                free(*out);
                *out = NULL;
                break;
            }
            *out = grown;
        }
        (*out)[(*n)++] = (pid_t)atoi(de->d_name);
    }
    closedir(d);
    return *out != NULL;
}

void process_comm(pid_t pid, char *out, size_t cap)
{
    char path[64];
    snprintf(out, cap, "?");
    snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
    FILE *fp = fopen(path, "r");
    if (fp) {
        if (fgets(out, (int)cap, fp))
            out[strcspn(out, "\n")] = '\0';
        fclose(fp);
    }
}

/* The pid of the process tracing thread tid (its TracerPid), 0 if none. */
static pid_t tracer_of(pid_t tid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
    FILE *fp = fopen(path, "r");
    long tracer = 0;
    if (!fp)
        return 0;
    while (fgets(line, sizeof line, fp))
        if (sscanf(line, "TracerPid: %ld", &tracer) == 1)
            break;
    fclose(fp);
    return (pid_t)tracer;
}

/* A process has one tracer at a time: when another one (strace, gdb,
 * another scanner) holds the target, ptrace refuses with EPERM, and saying
 * "not permitted" would send the user to ptrace_scope for nothing. */
static bool traced_error(struct error *err, pid_t pid, pid_t tid)
{
    pid_t tracer = tracer_of(tid);
    if (!tracer)
        return false;
    char comm[64];
    process_comm(tracer, comm, sizeof comm);
    fail(err, EXIT_TRACED,
         "process %d is already traced by process %d (%s)%s: a process has one tracer at a "
         "time; detach that one (quit gdb, stop strace) and scan again",
         (int)pid, (int)tracer, comm, tid == pid ? "" : " in one of its threads");
    return true;
}

bool tracer_permission_error(struct error *err, pid_t pid)
{
    if (traced_error(err, pid, pid))
        return false;
    return fail(err, EXIT_PERMISSION,
                "not permitted to trace process %d: run as the same user with ptrace allowed "
                "(kernel.yama.ptrace_scope=0, or as root / with CAP_SYS_PTRACE; in a container "
                "start it with --cap-add=SYS_PTRACE)",
                (int)pid);
}

bool tracer_attach(pid_t pid, struct error *err)
{
    g_pid = pid;
    g_count = 0;
    g_died = false;
    for (;;) {
        pid_t *tasks;
        int n;
        if (!list_tasks(pid, &tasks, &n)) {
            tracer_detach();
            if (errno == ENOENT || errno == ESRCH)
                return g_count ? fail(err, EXIT_TARGET_GONE, "process %d exited while it was being stopped", (int)pid)
                               : fail(err, EXIT_NO_PROCESS, "no process with pid %d", (int)pid);
            if (errno == EACCES || errno == EPERM)
                return tracer_permission_error(err, pid);
            return fail(err, EXIT_INTERNAL, "cannot list threads of process %d: %s", (int)pid,
                        strerror(errno));
        }
        /* Every new thread is seized and interrupted first, and only then
         * waited for: the threads stop in parallel, and the pause does not
         * grow by one scheduling round trip per thread. */
        int first = g_count, added = 0;
        for (int i = 0; i < n; i++) {
            pid_t tid = tasks[i];
            if (known(tid))
                continue;
            if (g_count >= MAX_THREADS) {
                free(tasks);
                tracer_detach();
                return fail(err, EXIT_INTERNAL, "process %d has more than %d threads", (int)pid,
                            MAX_THREADS);
            }
            if (ptrace(PTRACE_SEIZE, tid, 0, 0) != 0) {
                int e = errno;
                if (e == ESRCH)
                    continue; /* the thread ended meanwhile */
                free(tasks);
                tracer_detach();
                if ((e == EPERM || e == EACCES) && traced_error(err, pid, tid))
                    return false;
                if (e == EPERM || e == EACCES)
                    return tracer_permission_error(err, pid);
                return fail(err, EXIT_INTERNAL, "ptrace(SEIZE) of thread %d failed: %s", (int)tid,
                            strerror(e));
            }
            g_tids[g_count] = tid;
            g_sigs[g_count] = 0;
            g_count = g_count + 1;
            added++;
            if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) != 0 && errno != ESRCH) {
                int e = errno;
                free(tasks);
                tracer_detach();
                return fail(err, EXIT_INTERNAL, "ptrace(INTERRUPT) of thread %d failed: %s", (int)tid,
                            strerror(e));
            }
        }
        /* All are waited for, even when the main thread is found gone, so
         * that each is in its stop when it is detached. */
        int kept = first;
        bool main_gone = false;
        for (int i = first; i < g_count; i++) {
            pid_t tid = g_tids[i];
            int sig = 0;
            if (wait_stopped(tid, &sig) <= 0) {
                main_gone |= tid == pid; /* gone: forget it, it cannot be detached */
                continue;
            }
            g_tids[kept] = tid;
            g_sigs[kept] = sig;
            kept++;
        }
        g_count = kept;
        if (main_gone) {
            free(tasks);
            tracer_detach();
            return fail(err, EXIT_TARGET_GONE, "process %d exited while it was being stopped", (int)pid);
        }
        free(tasks);
        if (added == 0)
            break;
    }
    if (g_count == 0)
        return fail(err, EXIT_NO_PROCESS, "no process with pid %d", (int)pid);
    return true;
}

static void detach_all(bool from_handler)
{
    /* Only async-signal-safe calls: this runs from signal handlers too. */
    int n = g_count;
    g_count = 0;
    for (int i = 0; i < n; i++) {
        if (ptrace(PTRACE_DETACH, g_tids[i], 0, (void *)(long)g_sigs[i]) == 0 || errno != ESRCH)
            continue;
        /* Not in its stop any more: only SIGKILL takes a stopped tracee out
         * of it.  Its death is reported to us, the tracer, first. */
        if (g_tids[i] == g_pid) {
            g_died = true;
            if (!from_handler) {
                int status;
                while (waitpid(g_tids[i], &status, __WALL) < 0 && errno == EINTR)
                    ;
            }
        }
    }
}

void tracer_detach(void)
{
    detach_all(false);
}

bool tracer_target_died(void)
{
    return g_died;
}

bool tracer_target_alive(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *close = strrchr(buf, ')');
    return close && close[1] == ' ' && close[2] != 'Z' && close[2] != 'X' && close[2] != 'x';
}

int tracer_thread_count(void)
{
    return g_count;
}

static void on_signal(int sig)
{
    detach_all(true);
    signal(sig, SIG_DFL);
    raise(sig);
}

void tracer_install_signal_guard(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT,
                               SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

size_t tracer_registers(struct core_thread *out, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < g_count && n < cap; i++) {
        struct user_regs_struct r;
        struct iovec io = {&r, sizeof r};
        if (ptrace(PTRACE_GETREGSET, g_tids[i], (void *)NT_PRSTATUS, &io) != 0)
            continue;
        _Static_assert(sizeof r == sizeof out[0].regs, "user_regs_struct is NT_PRSTATUS's pr_reg");
        out[n].tid = g_tids[i];
        out[n].cursig = 0;
        memcpy(out[n].regs, &r, sizeof r);
        n++;
    }
    return n;
}
