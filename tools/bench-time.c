// tools/bench-time.c: bench-time RESULTS CMD [ARGS...]
//
// Runs CMD (a path; no PATH search) as one child process with the caller's stdio and environment, and appends
// "<wall time in µs> <peak RSS in KiB>" to the file RESULTS. The wall time runs from just before posix_spawn to
// the return of wait4 (CLOCK_MONOTONIC); the peak RSS is wait4's ru_maxrss for that child, i.e. the largest of the
// child and of any descendants it waited for. tools/bench.sh times every runtime command through this one helper,
// so the measuring overhead is the same for ociruntime, runc and crun and none of the caller's fork+exec is timed.
// Exits with CMD's exit status (128+N when a signal N killed it), so a failing command is never taken for a fast one.
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static long long monotonic_us(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000LL + now.tv_nsec / 1000;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench-time RESULTS CMD [ARGS...]\n");
        return 2;
    }
    // Opened before the clock starts, so the file's cost is never part of a sample.
    FILE *results = fopen(argv[1], "a");
    if (results == NULL) {
        fprintf(stderr, "bench-time: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }

    pid_t child;
    int status;
    struct rusage usage;
    long long started = monotonic_us();
    int spawn_error = posix_spawn(&child, argv[2], NULL, NULL, &argv[2], environ);
    if (spawn_error != 0) {
        fprintf(stderr, "bench-time: %s: %s\n", argv[2], strerror(spawn_error));
        return 127;
    }
    while (wait4(child, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "bench-time: wait4: %s\n", strerror(errno));
            return 2;
        }
    }
    long long elapsed = monotonic_us() - started;

    fprintf(results, "%lld %ld\n", elapsed, usage.ru_maxrss);
    if (fclose(results) != 0) {
        fprintf(stderr, "bench-time: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
