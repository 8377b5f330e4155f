#include "base/prefault.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/threads.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

#define MIN_RANGE ((size_t)1 << 20)
#define QUEUE 64 /* ranges waiting; more are dropped (they fault as before) */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct {
    uintptr_t start, end;
} queue[QUEUE];
static size_t head, tail; /* queue[head % QUEUE] is next; tail - head waiting */
static enum { NOT_STARTED, RUNNING, UNAVAILABLE } state = NOT_STARTED;

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (head == tail)
            pthread_cond_wait(&wake, &lock);
        uintptr_t start = queue[head % QUEUE].start, end = queue[head % QUEUE].end;
        head++;
        pthread_mutex_unlock(&lock);
        /* A range unmapped meanwhile answers ENOMEM: nothing to do. */
        if (madvise((void *)start, end - start, MADV_POPULATE_WRITE) != 0 && errno == EINVAL) {
            pthread_mutex_lock(&lock);
            state = UNAVAILABLE; /* an older kernel: stop asking */
            head = tail;
            continue;
        }
        pthread_mutex_lock(&lock);
    }
    return NULL;
}

/* Called with the lock held. */
static bool start_worker(void)
{
    if (state == NOT_STARTED) {
        state = UNAVAILABLE;
        pthread_t thread;
        if (threads_allowed() >= 2 && pthread_create(&thread, NULL, worker, NULL) == 0) {
            pthread_detach(thread);
            state = RUNNING;
        }
    }
    return state == RUNNING;
}

void prefault_async(const void *p, size_t len)
{
    if (len < MIN_RANGE)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = (uintptr_t)p & ~(page - 1), end = ((uintptr_t)p + len + page - 1) & ~(page - 1);
    pthread_mutex_lock(&lock);
    if (start_worker() && tail - head < QUEUE) {
        queue[tail % QUEUE].start = start;
        queue[tail % QUEUE].end = end;
        tail++;
        pthread_cond_signal(&wake);
    }
    pthread_mutex_unlock(&lock);
}
