#include "source/copy_runs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/uio.h>

#include "base/threads.h"

/* Below this a second thread costs more to start than it saves. */
#define PARALLEL_MIN_BYTES ((size_t)8 << 20)
#define THREADS_MAX 4

struct runs_shared {
    pid_t pid;
    struct copy_run *runs;
    size_t n;
    atomic_size_t next; /* the next run to take */
};

static bool read_whole(pid_t pid, struct copy_run *run)
{
    size_t done = 0;
    while (done < run->len) {
        struct iovec local = {run->buf + done, run->len - done};
        struct iovec remote = {(void *)(uintptr_t)(run->addr + done), run->len - done};
        ssize_t got = process_vm_readv(pid, &local, 1, &remote, 1, 0);
        if (got <= 0)
            return false;
        done += (size_t)got;
    }
    return true;
}

static void *take_runs(void *arg)
{
    struct runs_shared *s = arg;
    for (size_t k; (k = atomic_fetch_add(&s->next, 1)) < s->n;)
        s->runs[k].ok = read_whole(s->pid, &s->runs[k]);
    return NULL;
}

void copy_runs_read(pid_t pid, struct copy_run *runs, size_t n)
{
    struct runs_shared s = {pid, runs, n, 0};
    size_t bytes = 0;
    for (size_t k = 0; k < n; k++)
        bytes += runs[k].len;
    size_t threads = bytes < PARALLEL_MIN_BYTES ? 1 : threads_allowed();
    if (threads > THREADS_MAX)
        threads = THREADS_MAX;
    pthread_t helper[THREADS_MAX];
    bool started[THREADS_MAX] = {false};
    for (size_t i = 1; i < threads; i++)
        started[i] = pthread_create(&helper[i], NULL, take_runs, &s) == 0;
    take_runs(&s);
    for (size_t i = 1; i < threads; i++)
        if (started[i])
            pthread_join(helper[i], NULL);
}
