/*
 * bootstrap.c - the container init's first steps, run before the .NET runtime starts.
 *
 * Why C: a .NET process has several threads before Main, and a multi-threaded process can
 * neither unshare(CLONE_NEWUSER) nor setns() into a user namespace, and unshare(CLONE_NEWNS)
 * would only move one thread. So `ociruntime create` re-executes its own binary as
 * `ociruntime init` with the sync socket's fd number in _OCIRUNTIME_SYNCFD; this constructor
 * runs in that fresh, single-threaded process (P1), before the runtime, and:
 *
 *   0. re-executes itself from a sealed copy of the binary (sealed_exe.c, the CVE-2019-5736 guard);
 *   1. reads the namespace plan from the sync socket (one frame, "key value" lines);
 *   2. setns() into the namespaces given by path (the parent orders the user namespace first);
 *   3. unshare(CLONE_NEWUSER) and waits while the parent writes uid_map/gid_map;
 *   4. unshare()s the other new namespaces and writes the time namespace offsets;
 *   5. forks the init (P2): PID 1 of a new PID namespace, a child of nobody the caller waits for.
 *      P1 reports P2's pid on the socket and exits; P2 returns from here and the .NET runtime
 *      starts inside the namespaces, where the managed init (Init/ContainerInit.cs) goes on.
 *
 * Frames on the sync socket: a 4-byte native-endian length, then that many bytes of text.
 * On any failure: the frame "error <what failed>" and exit status 1, so `create` can say why.
 * Only this file runs before the runtime: keep it small and free of policy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "sealed_exe.h"

#define SYNC_FD_ENV "_OCIRUNTIME_SYNCFD"
#define MAX_FRAME 65536

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static int sync_fd = -1;

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int send_frame(const char *text)
{
    uint32_t len = (uint32_t)strlen(text);
    if (write_all(sync_fd, &len, sizeof len) < 0)
        return -1;
    return write_all(sync_fd, text, len);
}

/* Reads one frame into buf as a NUL-terminated string. */
static int receive_frame(char *buf, size_t cap)
{
    uint32_t len;
    if (read_all(sync_fd, &len, sizeof len) < 0 || len >= cap)
        return -1;
    if (read_all(sync_fd, buf, len) < 0)
        return -1;
    buf[len] = '\0';
    return 0;
}

/* Reports "error <message>: <strerror(errno)>" to the parent and exits. */
static void __attribute__((noreturn, format(printf, 1, 2))) bail(const char *fmt, ...)
{
    char msg[1024];
    int saved = errno;
    int off = snprintf(msg, sizeof msg, "error ");
    va_list ap;
    va_start(ap, fmt);
    off += vsnprintf(msg + off, sizeof msg - (size_t)off, fmt, ap);
    va_end(ap);
    if (saved != 0 && off < (int)sizeof msg)
        snprintf(msg + off, sizeof msg - (size_t)off, ": %s", strerror(saved));
    send_frame(msg);
    _exit(1);
}

#define MAX_JOINED 16

/*
 * All namespace files are opened before the first setns: after joining the mount namespace, /proc/<pid> paths are gone.
 * setns gets each entry's CLONE_NEW* type, so the kernel refuses a file swapped for another type after create checked it.
 */
static void join_namespaces(char *const paths[], const int types[], int count)
{
    int fds[MAX_JOINED];
    for (int i = 0; i < count; i++) {
        fds[i] = open(paths[i], O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0)
            bail("open namespace \"%s\"", paths[i]);
    }
    for (int i = 0; i < count; i++) {
        if (setns(fds[i], types[i]) < 0)
            bail("setns \"%s\" (type 0x%x)", paths[i], types[i]);
        close(fds[i]);
    }
}

/* Parent writes our uid_map/gid_map; afterwards become root of the new user namespace. */
static void enter_new_user_namespace(void)
{
    char reply[64];
    if (unshare(CLONE_NEWUSER) < 0)
        bail("unshare user namespace");
    /* Without dumpable the parent may not write /proc/<pid>/uid_map. */
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    errno = 0;
    if (send_frame("usermap") < 0 || receive_frame(reply, sizeof reply) < 0)
        bail("sync with parent for uid/gid mappings");
    if (strcmp(reply, "usermap-done") != 0)
        bail("parent could not write uid/gid mappings");
    if (setresgid(0, 0, 0) < 0)
        bail("setresgid 0 in user namespace");
    if (setresuid(0, 0, 0) < 0)
        bail("setresuid 0 in user namespace");
}

static void write_time_offsets(const char *offsets)
{
    int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        bail("open /proc/self/timens_offsets");
    if (write_all(fd, offsets, strlen(offsets)) < 0)
        bail("write /proc/self/timens_offsets \"%s\"", offsets);
    close(fd);
}

/*
 * The plan, one directive per line:
 *   setns <type> <path>     join the namespace at path, of this CLONE_NEW* type (decimal), in the order given
 *   clone <flags>           unshare these CLONE_NEW* flags (decimal)
 *   timens <clock> <s> <ns> offset for the new time namespace
 */
static void run_plan(char *plan)
{
    unsigned long flags = 0;
    char offsets[512] = "";
    char *joined[MAX_JOINED];
    int joined_types[MAX_JOINED];
    int joined_count = 0;
    for (char *line = strtok(plan, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (strncmp(line, "setns ", 6) == 0) {
            if (joined_count == MAX_JOINED) {
                errno = 0;
                bail("bootstrap: more than %d namespaces to join", MAX_JOINED);
            }
            char *path;
            joined_types[joined_count] = (int)strtol(line + 6, &path, 10);
            if (*path != ' ') {
                errno = 0;
                bail("bootstrap: bad setns directive \"%s\"", line);
            }
            joined[joined_count++] = path + 1;
        } else if (strncmp(line, "clone ", 6) == 0) {
            flags = strtoul(line + 6, NULL, 10);
        } else if (strncmp(line, "timens ", 7) == 0) {
            size_t used = strlen(offsets);
            snprintf(offsets + used, sizeof offsets - used, "%s\n", line + 7);
        } else {
            errno = 0;
            bail("bootstrap: unknown plan directive \"%s\"", line);
        }
    }
    join_namespaces(joined, joined_types, joined_count);
    if (flags & CLONE_NEWUSER)
        enter_new_user_namespace();
    if ((flags & ~(unsigned long)CLONE_NEWUSER) != 0 && unshare((int)(flags & ~(unsigned long)CLONE_NEWUSER)) < 0)
        bail("unshare namespaces 0x%lx", flags & ~(unsigned long)CLONE_NEWUSER);
    if ((flags & CLONE_NEWTIME) && offsets[0] != '\0')
        write_time_offsets(offsets);
}

__attribute__((constructor)) static void ocirt_bootstrap(int argc, char **argv)
{
    const char *fd_text = getenv(SYNC_FD_ENV);
    if (fd_text == NULL || argc < 2 || strcmp(argv[1], "init") != 0)
        return;
    sync_fd = atoi(fd_text);

    int rc = ocirt_run_from_sealed_copy(argv);
    if (rc < 0) {
        errno = -rc;
        bail("bootstrap: re-execute from a sealed copy of /proc/self/exe");
    }

    char *plan = malloc(MAX_FRAME);
    errno = 0;
    if (plan == NULL || receive_frame(plan, MAX_FRAME) < 0)
        bail("bootstrap: read namespace plan");
    run_plan(plan);
    free(plan);

    pid_t init = fork();
    if (init < 0)
        bail("fork container init");
    if (init > 0) {
        char frame[32];
        snprintf(frame, sizeof frame, "pid %d", (int)init);
        _exit(send_frame(frame) < 0 ? 1 : 0);
    }
    /* The init leads its own session, as runc's, so a console can become its controlling tty. */
    if (setsid() < 0)
        bail("setsid");
}
