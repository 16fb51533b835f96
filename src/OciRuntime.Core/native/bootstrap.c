/*
 * bootstrap.c - the container init's first steps; the .NET runtime never starts in the init.
 *
 * Why C: a .NET process has several threads before Main, and a multi-threaded process can
 * neither unshare(CLONE_NEWUSER) nor setns() into a user namespace, and unshare(CLONE_NEWNS)
 * would only move one thread. So `ociruntime create` re-executes its own binary as
 * `ociruntime init` with the sync socket's fd number in OCIRT_SYNC_FD_ENV; this constructor
 * runs in that fresh, single-threaded process (P1), before the runtime, and:
 *
 *   0. re-executes itself from a sealed copy of the binary (sealed_exe.c, the CVE-2019-5736 guard);
 *   1. reads the namespace plan from the sync socket (a NAMESPACE_PLAN frame, "key value" lines);
 *   2. joins the container's cgroup where it can by itself (v1 `tasks` files), then setns() into the namespaces
 *      given by path (the parent orders the user namespace first);
 *   3. unshare(CLONE_NEWUSER) and waits (USER_MAP_REQUEST, USER_MAP_DONE) while the parent writes uid_map/gid_map;
 *   4. unshare()s the other new namespaces and writes the time namespace offsets;
 *   5. forks the init (P2): PID 1 of a new PID namespace, a child of nobody the caller waits for.
 *      P1 reports P2's pid (BOOTSTRAP_PID) and exits; P2 runs the program `create` compiled for it
 *      (init.c) and ends in the container's execve, never returning to the .NET runtime.
 *
 * The frames and message numbers are protocol.h's. On any failure: an ERROR frame with errno and what failed, and
 * exit status 1, so `create` can say why.
 * Keep it small and free of policy: the policy is in the program the parent sends.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
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

#include "init.h"
#include "sealed_exe.h"
#include "sync.h"

#define MAX_FRAME 65536

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/*
 * Reports an ERROR frame to the parent and exits: errno, and the message worded as the managed code words a failed
 * system call (RuntimeError.FromErrno), "<what failed>: EPERM (Operation not permitted)".
 */
static void __attribute__((noreturn, format(printf, 1, 2))) bail(const char *fmt, ...)
{
    int saved = errno;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    ocirt_send_error(saved, text);
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

/*
 * Non-dumpable, the kernel lets only the host's root trace us or open our /proc files (fds, memory, namespaces), not a
 * process of the namespaces we enter (runc's CVE-2016-9962); the init inherits it and execve resets it. Dumpable only
 * while our own /proc files are written by the parent or by us in a new user namespace, where the kernel gives a
 * non-dumpable process's /proc files to the host's root.
 */
static void set_dumpable(int dumpable)
{
    if (prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0) < 0)
        bail("prctl PR_SET_DUMPABLE %d", dumpable);
}

/* Parent writes our uid_map/gid_map; afterwards become root of the new user namespace. */
static void enter_new_user_namespace(void)
{
    char *reply;
    uint8_t type;
    uint32_t length;
    if (unshare(CLONE_NEWUSER) < 0)
        bail("unshare user namespace");
    /* Without dumpable the parent may not write /proc/<pid>/uid_map. */
    set_dumpable(1);
    errno = 0;
    if (ocirt_send_frame(OCIRT_MSG_USER_MAP_REQUEST, NULL, 0) < 0 || ocirt_receive_frame(&type, &reply, &length, 64) < 0)
        bail("sync with parent for uid/gid mappings");
    free(reply);
    set_dumpable(0);
    if (type != OCIRT_MSG_USER_MAP_DONE)
        bail("parent could not write uid/gid mappings");
    if (setresgid(0, 0, 0) < 0)
        bail("setresgid 0 in user namespace");
    if (setresuid(0, 0, 0) < 0)
        bail("setresuid 0 in user namespace");
}

static void write_time_offsets(const char *offsets)
{
    set_dumpable(1);
    int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        bail("open /proc/self/timens_offsets");
    if (ocirt_write_all(fd, offsets, strlen(offsets)) < 0)
        bail("write /proc/self/timens_offsets \"%s\"", offsets);
    close(fd);
    set_dumpable(0);
}

/*
 * Writes "0" to a v1 cgroup's tasks file: moves this (only) thread there. Unlike a write of a pid to cgroup.procs,
 * it does not take the kernel's threadgroup lock, so it does not wait for an RCU grace period.
 */
static void join_cgroup(const char *tasks_file)
{
    int fd = open(tasks_file, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || ocirt_write_all(fd, "0", 1) < 0)
        bail("join cgroup \"%s\"", tasks_file);
    close(fd);
}

/*
 * The plan, one directive per line:
 *   cgroup <file>           join a cgroup by writing "0" to this tasks file, before any namespace is entered
 *   setns <type> <path>     join the namespace at path, of this CLONE_NEW* type (decimal), in the order given
 *   clone <flags>           unshare these CLONE_NEW* flags (decimal)
 *   timens <clock> <s> <ns> offset for the new time namespace
 *   preload <path>          dlopen() now, while the host's files are in reach, a library the init's program loads by
 *                           the same path (the wasm handler's engine, for `exec` too); failing is for that op to report
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
        } else if (strncmp(line, "cgroup ", 7) == 0) {
            join_cgroup(line + 7);
        } else if (strncmp(line, "clone ", 6) == 0) {
            flags = strtoul(line + 6, NULL, 10);
        } else if (strncmp(line, "preload ", 8) == 0) {
            (void)dlopen(line + 8, RTLD_NOW | RTLD_LOCAL);
        } else if (strncmp(line, "timens ", 7) == 0) {
            size_t used = strlen(offsets);
            snprintf(offsets + used, sizeof offsets - used, "%s\n", line + 7);
        } else {
            errno = 0;
            bail("bootstrap: unknown plan directive \"%s\"", line);
        }
    }
    set_dumpable(0);
    join_namespaces(joined, joined_types, joined_count);
    if (flags & CLONE_NEWUSER)
        enter_new_user_namespace();
    if ((flags & ~(unsigned long)CLONE_NEWUSER) != 0 && unshare((int)(flags & ~(unsigned long)CLONE_NEWUSER)) < 0)
        bail("unshare namespaces 0x%lx", flags & ~(unsigned long)CLONE_NEWUSER);
    if ((flags & CLONE_NEWTIME) && offsets[0] != '\0')
        write_time_offsets(offsets);
}

/*
 * A command started with stdin, stdout or stderr closed gets /dev/null there: else the next file opened takes the
 * number (the .NET runtime's /dev/urandom, a socket) and is read or written as stdio, e.g. relayed into a terminal.
 */
static void keep_stdio_open(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
            open("/dev/null", O_RDWR); /* the lowest free number: fd, as the ones below it are open */
    }
}

__attribute__((constructor)) static void ocirt_bootstrap(int argc, char **argv)
{
    const char *fd_text = getenv(OCIRT_SYNC_FD_ENV);
    if (fd_text == NULL || argc < 2 || strcmp(argv[1], "init") != 0) {
        keep_stdio_open();
        return;
    }
    ocirt_sync_fd = atoi(fd_text);

    int rc = ocirt_run_from_sealed_copy(argv);
    if (rc < 0) {
        errno = -rc;
        bail("bootstrap: re-execute from a sealed copy of /proc/self/exe");
    }

    char *plan;
    uint8_t type;
    uint32_t length;
    errno = 0;
    if (ocirt_receive_frame(&type, &plan, &length, MAX_FRAME) < 0)
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
        _exit(ocirt_send_frame(OCIRT_MSG_BOOTSTRAP_PID, &pid, sizeof pid) < 0 ? 1 : 0);
    }
    /* The init leads its own session, as runc's, so a console can become its controlling tty. */
    if (setsid() < 0)
        bail("setsid");
    ocirt_init_run();
}
