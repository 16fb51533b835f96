/*
 * helpers.c - process primitives the managed code cannot do safely itself: spawning a child of a
 * multi-threaded process, and the final execve with the signal and fd hygiene it needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/*
 * posix_spawn (vfork-like, safe in a multi-threaded process) with every signal at its default
 * and an empty mask: .NET ignores SIGPIPE and blocks signals, which a child would inherit.
 * stdin_fd >= 0 becomes the child's stdin. Returns 0 and the pid, or an errno value.
 */
int ocirt_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int *pid_out)
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t all, none;
    pid_t pid;
    int rc;

    sigfillset(&all);
    sigemptyset(&none);
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    if (stdin_fd >= 0)
        posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    rc = posix_spawn(&pid, path, &actions, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc == 0)
        *pid_out = pid;
    return rc;
}

/*
 * Replaces the calling process with the container's program. execve keeps ignored signals, the
 * signal mask and every fd without O_CLOEXEC, so: defaults for all signals, an empty mask, and
 * close-on-exec for every fd above keep_fds_upto (stdio and the preserved fds stay).
 * Returns only on failure, with the errno value.
 */
int ocirt_exec(const char *path, char *const argv[], char *const envp[], int keep_fds_upto)
{
    struct sigaction dfl;
    sigset_t none;

    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++)
        sigaction(sig, &dfl, NULL); /* fails harmlessly for SIGKILL, SIGSTOP and the unused ones */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (syscall(SYS_close_range, (unsigned)keep_fds_upto + 1, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        return errno;
    execve(path, argv, envp);
    return errno;
}
