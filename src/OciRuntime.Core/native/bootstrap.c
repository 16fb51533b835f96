/*
 * bootstrap.c - the container init's first steps, run before the .NET runtime starts.
 *
 * Why C: a .NET process has several threads before Main, and a multi-threaded process can
 * neither unshare(CLONE_NEWUSER) nor setns() into a user namespace, and unshare(CLONE_NEWNS)
 * would only move one thread. So `ociruntime create` re-executes its own binary as
 * `ociruntime init` with the sync socket's fd number in OCIRT_SYNC_FD_ENV; this constructor
 * runs in that fresh, single-threaded process (P1), before the runtime, and:
 *
 *   0. re-executes itself from a sealed copy of the binary (sealed_exe.c, the CVE-2019-5736 guard);
 *   1. reads the namespace plan from the sync socket (a NAMESPACE_PLAN frame, "key value" lines);
 *   2. setns() into the namespaces given by path (the parent orders the user namespace first);
 *   3. unshare(CLONE_NEWUSER) and waits (USER_MAP_REQUEST, USER_MAP_DONE) while the parent writes uid_map/gid_map;
 *   4. unshare()s the other new namespaces and writes the time namespace offsets;
 *   5. forks the init (P2): PID 1 of a new PID namespace, a child of nobody the caller waits for.
 *      P1 reports P2's pid (BOOTSTRAP_PID) and exits; P2 returns from here and the .NET runtime
 *      starts inside the namespaces, where the managed init (Init/ContainerInit.cs) goes on.
 *
 * The frames and message numbers are protocol.h's. On any failure: an ERROR frame with errno and what failed, and
 * exit status 1, so `create` can say why.
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

#include "protocol.h"
#include "sealed_exe.h"

#define MAX_FRAME 65536

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static int sync_fd = -1;

/* Moves exactly len bytes to or from fd, resuming short transfers and EINTR; -1 at EOF or on an error. */
static int transfer_all(int fd, char *p, size_t len, int writing)
{
    while (len > 0) {
        ssize_t n = writing ? write(fd, p, len) : read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
    return transfer_all(fd, (char *)buf, len, 1);
}

static int read_all(int fd, void *buf, size_t len)
{
    return transfer_all(fd, buf, len, 0);
}

static int send_frame(enum ocirt_message type, const void *payload, size_t len)
{
    struct ocirt_frame_header header = { .length = (uint32_t)len, .type = (uint8_t)type };
    if (write_all(sync_fd, &header, sizeof header) < 0)
        return -1;
    return write_all(sync_fd, payload, len);
}

/* Reads one frame: its type, and its payload into buf as a NUL-terminated string. */
static int receive_frame(uint8_t *type, char *buf, size_t cap)
{
    struct ocirt_frame_header header;
    if (read_all(sync_fd, &header, sizeof header) < 0 || header.length >= cap)
        return -1;
    if (read_all(sync_fd, buf, header.length) < 0)
        return -1;
    buf[header.length] = '\0';
    *type = header.type;
    return 0;
}

/*
 * Reports an ERROR frame to the parent and exits: errno, and the message worded as the managed code words a failed
 * system call (RuntimeError.FromErrno), "<what failed>: EPERM (Operation not permitted)".
 */
static void __attribute__((noreturn, format(printf, 1, 2))) bail(const char *fmt, ...)
{
    struct {
        int32_t errno_value;
        char text[1024];
    } payload = { .errno_value = errno };
    va_list ap;
    va_start(ap, fmt);
    int off = vsnprintf(payload.text, sizeof payload.text, fmt, ap);
    va_end(ap);
    if (payload.errno_value != 0 && off < (int)sizeof payload.text) {
        const char *name = strerrorname_np(payload.errno_value);
        snprintf(payload.text + off, sizeof payload.text - (size_t)off, ": %s (%s)", name ? name : "unknown errno",
                 strerror(payload.errno_value));
    }
    send_frame(OCIRT_MSG_ERROR, &payload, sizeof payload.errno_value + strlen(payload.text));
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
    uint8_t type;
    if (unshare(CLONE_NEWUSER) < 0)
        bail("unshare user namespace");
    /* Without dumpable the parent may not write /proc/<pid>/uid_map. */
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    errno = 0;
    if (send_frame(OCIRT_MSG_USER_MAP_REQUEST, NULL, 0) < 0 || receive_frame(&type, reply, sizeof reply) < 0)
        bail("sync with parent for uid/gid mappings");
    if (type != OCIRT_MSG_USER_MAP_DONE)
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
    const char *fd_text = getenv(OCIRT_SYNC_FD_ENV);
    if (fd_text == NULL || argc < 2 || strcmp(argv[1], "init") != 0)
        return;
    sync_fd = atoi(fd_text);

    int rc = ocirt_run_from_sealed_copy(argv);
    if (rc < 0) {
        errno = -rc;
        bail("bootstrap: re-execute from a sealed copy of /proc/self/exe");
    }

    char *plan = malloc(MAX_FRAME);
    uint8_t type;
    errno = 0;
    if (plan == NULL || receive_frame(&type, plan, MAX_FRAME) < 0)
        bail("bootstrap: read namespace plan");
    if (type != OCIRT_MSG_NAMESPACE_PLAN)
        bail("bootstrap: expected the namespace plan, got message %d", type);
    run_plan(plan);
    free(plan);

    pid_t init = fork();
    if (init < 0)
        bail("fork container init");
    if (init > 0) {
        int32_t pid = init;
        _exit(send_frame(OCIRT_MSG_BOOTSTRAP_PID, &pid, sizeof pid) < 0 ? 1 : 0);
    }
    /* The init leads its own session, as runc's, so a console can become its controlling tty. */
    if (setsid() < 0)
        bail("setsid");
}
