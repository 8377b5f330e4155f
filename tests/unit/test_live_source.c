/* A live source that cannot open (no such process, a pid of nobody) says
 * so and is closed without touching descriptors it never opened: an
 * earlier build closed descriptor 0 twice on that path. */
#include "source/live_source.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

/* A pid that no process has: a child that has exited and been reaped. */
static pid_t pid_of_nobody(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    return pid;
}

static void test_refused_open_keeps_descriptors(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    /* descriptor 0 is the pipe's read end, whatever the runner gave */
    int saved = dup(0);
    assert_true(dup2(fds[0], 0) == 0);
    struct live_source ls;
    struct error err = {0};
    assert_false(live_source_open(&ls, pid_of_nobody(), &err));
    assert_int_equal(err.code, EXIT_NO_PROCESS);
    live_source_close(&ls);
    assert_true(fcntl(0, F_GETFD) != -1);
    assert_int_equal(write(fds[1], "x", 1), 1);
    char c = 0;
    assert_int_equal(read(0, &c, 1), 1);
    assert_int_equal(c, 'x');
    dup2(saved, 0);
    close(saved);
    close(fds[0]);
    close(fds[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_open_keeps_descriptors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
