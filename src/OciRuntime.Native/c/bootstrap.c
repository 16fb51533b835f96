/*
 * bootstrap.c - the container init's first steps; the .NET runtime never starts in the init.
 *
 * Why C: a .NET process has several threads before Main, and a multi-threaded process can
 * neither unshare(CLONE_NEWUSER) nor setns() into a user namespace, and unshare(CLONE_NEWNS)
 * would only move one thread. So `ociruntime create` executes the init image (this C linked
 * statically against musl, embedded in the binary: init_image/embed.c) from a sealed memfd as
 * `ociruntime init`, with the sync socket's fd number in OCIRT_SYNC_FD_ENV. Where it cannot, it
 * re-executes its own binary, in which ocirt_bootstrap is a constructor that runs before the
 * runtime. Either way it runs in a fresh, single-threaded process (P1), and:
 *
 *   0. re-executes itself from a sealed copy of the binary unless it runs from one or from a
 *      read-only mount (sealed_exe.c, the CVE-2019-5736 guard);
 *   1. reads the namespace plan from the sync socket (a NAMESPACE_PLAN frame, "key value" lines), which `create`
 *      sends as soon as it has read the config, often before the container's cgroup and state exist;
 *   2. setns() into the namespaces given by path (the parent orders the user namespace first);
 *   3. unshare(CLONE_NEWUSER) and waits (USER_MAP_REQUEST, USER_MAP_DONE) while the parent writes uid_map/gid_map;
 *   4. unshare()s the other new namespaces and writes the time namespace offsets;
 *   5. takes the fds the init is born with from a BIRTH frame (SCM_RIGHTS): it joins the container's v1 cgroups
 *      through their `tasks` files, keeps the cgroup2 directory, and puts the fds the program names (exec FIFO,
 *      console socket, idmapped mounts) at the numbers the parent has them at;
 *   6. forks the init (P2): PID 1 of a new PID namespace, a child of nobody the caller waits for, born in its
 *      cgroup2 directory (clone3 CLONE_INTO_CGROUP) so that nothing moves it there by pid.
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
#include <linux/sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bootstrap.h"
#include "init.h"
#include "sealed_exe.h"
#include "sync.h"

#define MAX_FRAME 65536

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
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

/* bail() for a failure no system call reported: the message alone, no errno appended. */
#define bail_without_errno(...) (errno = 0, bail(__VA_ARGS__))

#define MAX_JOINED 16

/*
 * All namespace files are opened before the first setns: after joining the mount namespace, /proc/<pid> paths are gone.
 * setns gets each entry's CLONE_NEW* type, so the kernel refuses a file swapped for another type after create checked it.
 * A cgroup namespace is left to the init (its fd returned, or -1): on a hierarchy mounted with nsdelegate the kernel lets
 * a process be born into a cgroup only from a cgroup namespace that shows the cgroup it is forked from.
 */
static int join_namespaces(char *const paths[], const int types[], int count)
{
    int fds[MAX_JOINED];
    int cgroup_namespace = -1;
    for (int i = 0; i < count; i++) {
        /* Non-blocking, no tty: the plan may come before create's check refused a FIFO or a device as the path. */
        fds[i] = open(paths[i], O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fds[i] < 0)
            bail("open namespace \"%s\"", paths[i]);
    }
    for (int i = 0; i < count; i++) {
        if (types[i] == CLONE_NEWCGROUP) {
            cgroup_namespace = fds[i];
            continue;
        }
        if (setns(fds[i], types[i]) < 0)
            bail("setns \"%s\" (type 0x%x)", paths[i], types[i]);
        close(fds[i]);
    }
    return cgroup_namespace;
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

/*
 * Parent writes our uid_map/gid_map. The init becomes root of the namespace (become_root) once forked: the kernel checks
 * the forking process's ids against the cgroup it is born in, and those are still the caller's here.
 */
static void enter_new_user_namespace(void)
{
    char *reply;
    uint8_t type;
    uint32_t length;
    if (unshare(CLONE_NEWUSER) < 0)
        bail("unshare user namespace");
    /* Without dumpable the parent may not write /proc/<pid>/uid_map. */
    set_dumpable(1);
    if (ocirt_send_frame(OCIRT_MSG_USER_MAP_REQUEST, NULL, 0) < 0 || ocirt_receive_frame(&type, &reply, &length, 64) < 0)
        bail("sync with parent for uid/gid mappings");
    free(reply);
    set_dumpable(0);
    if (type != OCIRT_MSG_USER_MAP_DONE)
        bail_without_errno("parent could not write uid/gid mappings");
}

static void become_root(void)
{
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
 * Writes "0" to a v1 cgroup's tasks file the parent opened: moves this (only) thread there. Unlike a write of a pid to
 * cgroup.procs, it does not take the kernel's threadgroup lock, so it does not wait for an RCU grace period. The kernel
 * checks the opener's credentials, so it works from the namespaces entered by now.
 */
static void join_cgroup(int tasks_fd, const char *tasks_file)
{
    if (ocirt_write_all(tasks_fd, "0", 1) < 0)
        bail("join cgroup \"%s\"", tasks_file);
    close(tasks_fd);
}

/* What run_plan and the BIRTH frame leave to the fork: the cgroup2 directory the init is born in and the cgroup namespace it joins (-1: none). */
struct fork_plan {
    int cgroup_dir;
    int cgroup_namespace;
    int become_root;
    /* Forked into cgroup_dir by clone3; else the parent moves the init there by pid and says so (PLACED). */
    int born_in_cgroup;
};

/*
 * The plan, one directive per line:
 *   setns <type> <path>     join the namespace at path, of this CLONE_NEW* type (decimal), in the order given
 *   clone <flags>           unshare these CLONE_NEW* flags (decimal)
 *   timens <clock> <s> <ns> offset for the new time namespace
 *   preload <path>          dlopen() now, while the host's files are in reach, a library the init's program loads by
 *                           the same path (the wasm handler's engine, for `exec` too); failing is for that op to report
 */
static struct fork_plan run_plan(char *plan)
{
    struct fork_plan fork_plan = { .cgroup_dir = -1, .cgroup_namespace = -1, .become_root = 0 };
    unsigned long flags = 0;
    char offsets[512] = "";
    char *joined[MAX_JOINED];
    int joined_types[MAX_JOINED];
    int joined_count = 0;
    for (char *line = strtok(plan, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (strncmp(line, "setns ", 6) == 0) {
            if (joined_count == MAX_JOINED) {
                bail_without_errno("bootstrap: more than %d namespaces to join", MAX_JOINED);
            }
            char *path;
            joined_types[joined_count] = (int)strtol(line + 6, &path, 10);
            if (*path != ' ') {
                bail_without_errno("bootstrap: bad setns directive \"%s\"", line);
            }
            joined[joined_count++] = path + 1;
        } else if (strncmp(line, "clone ", 6) == 0) {
            flags = strtoul(line + 6, NULL, 10);
        } else if (strncmp(line, "preload ", 8) == 0) {
            (void)dlopen(line + 8, RTLD_NOW | RTLD_LOCAL);
        } else if (strncmp(line, "timens ", 7) == 0) {
            size_t used = strlen(offsets);
            snprintf(offsets + used, sizeof offsets - used, "%s\n", line + 7);
        } else {
            bail_without_errno("bootstrap: unknown plan directive \"%s\"", line);
        }
    }
    set_dumpable(0);
    fork_plan.cgroup_namespace = join_namespaces(joined, joined_types, joined_count);
    if (flags & CLONE_NEWUSER) {
        enter_new_user_namespace();
        fork_plan.become_root = 1;
    }
    if ((flags & ~(unsigned long)CLONE_NEWUSER) != 0 && unshare((int)(flags & ~(unsigned long)CLONE_NEWUSER)) < 0)
        bail("unshare namespaces 0x%lx", flags & ~(unsigned long)CLONE_NEWUSER);
    if ((flags & CLONE_NEWTIME) && offsets[0] != '\0')
        write_time_offsets(offsets);
    return fork_plan;
}

/* Moves fd to the lowest free number from `above` on, close-on-exec; returns its new number. */
static int move_fd_above(int fd, int above)
{
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, above);
    if (moved < 0)
        bail("bootstrap: move fd %d above %d", fd, above);
    close(fd);
    return moved;
}

/*
 * Reads the BIRTH frame and puts its fds where the init's program expects them: each at the number the parent sent
 * for it (not close-on-exec, the init inherits it), the one marked -1 as the cgroup2 directory of the fork; those
 * marked -2 are v1 tasks files, joined here (the init is forked into every cgroup joined), whose paths follow the
 * numbers (each NUL-terminated, for errors). The numbers were the parent's, open beside its end of this socket, so
 * they are free here but for what the kernel just gave the received fds and the cgroup namespace fd: those move above
 * every number first.
 */
static void take_birth_fds(struct fork_plan *plan)
{
    int fds[OCIRT_MAX_BIRTH_FDS], count;
    char *payload;
    uint8_t type;
    uint32_t length;
    if (ocirt_receive_frame_with_fds(&type, &payload, &length, MAX_FRAME, fds, &count, OCIRT_MAX_BIRTH_FDS) < 0)
        bail("bootstrap: read the fds the init is born with");
    if (type != OCIRT_MSG_BIRTH)
        bail_without_errno("bootstrap: expected the fds the init is born with, got message %d", type);
    if (length < (uint32_t)count * sizeof(int32_t))
        bail_without_errno("bootstrap: %d fds came with %u bytes of numbers", count, length);
    int32_t numbers[OCIRT_MAX_BIRTH_FDS];
    memcpy(numbers, payload, (size_t)count * sizeof(int32_t));
    /* The joined files' paths, NUL-terminated (ocirt_receive_frame ends the payload with a NUL too). */
    const char *names = payload + (size_t)count * sizeof(int32_t);
    int above = plan->cgroup_namespace + 1;
    for (int i = 0; i < count; i++) {
        if (numbers[i] < -2)
            bail_without_errno("bootstrap: fd number %d for the init", numbers[i]);
        above = numbers[i] >= above ? numbers[i] + 1 : above;
        above = fds[i] >= above ? fds[i] + 1 : above;
    }
    for (int i = 0; i < count; i++)
        fds[i] = move_fd_above(fds[i], above);
    if (plan->cgroup_namespace >= 0)
        plan->cgroup_namespace = move_fd_above(plan->cgroup_namespace, above);
    for (int i = 0; i < count; i++) {
        if (numbers[i] == -1) {
            plan->cgroup_dir = fds[i];
        } else if (numbers[i] == -2) {
            join_cgroup(fds[i], names);
            names += strlen(names) + (names < payload + length ? 1 : 0);
        } else {
            if (dup3(fds[i], numbers[i], 0) < 0)
                bail("bootstrap: put the init's fd at %d", numbers[i]);
            close(fds[i]);
        }
    }
    free(payload);
}

static struct fork_plan fork_plan;

/*
 * In an init forked where the bootstrap is: nothing of the program runs (its cgroup namespace is made from the cgroup
 * it is in) before the parent moved it into its cgroup, which it may do after the program came.
 */
static void await_placed(void)
{
    uint8_t type;
    char *payload;
    uint32_t length;
    if (ocirt_receive_frame(&type, &payload, &length, MAX_FRAME) < 0)
        bail("container init: wait to be moved into its cgroup");
    if (type != OCIRT_MSG_PLACED)
        bail_without_errno("container init: expected to be moved into its cgroup, got message %d", type);
    free(payload);
}

/* In the init: waits until the bootstrap has sent the parent its pid (end of file on the pipe). */
static void await_report(int reported)
{
    char byte;
    while (read(reported, &byte, 1) < 0 && errno == EINTR)
        ;
    close(reported);
}

/* In the init: what the bootstrap left to the process it forked. */
static void init_rest_of_bootstrap(void)
{
    if (fork_plan.cgroup_dir >= 0 && !fork_plan.born_in_cgroup)
        await_placed();
    if (fork_plan.cgroup_dir >= 0)
        close(fork_plan.cgroup_dir);
    if (fork_plan.cgroup_namespace >= 0) {
        if (setns(fork_plan.cgroup_namespace, CLONE_NEWCGROUP) < 0)
            bail("setns cgroup namespace");
        close(fork_plan.cgroup_namespace);
    }
    if (fork_plan.become_root)
        become_root();
}

/*
 * Forks the init into the cgroup2 directory cgroup_dir (-1: where we are). *born_in_cgroup says whether it was: a
 * kernel without clone3 (ENOSYS, before 5.3) or without CLONE_INTO_CGROUP (E2BIG or EINVAL, before 5.7) gets a plain
 * fork, and the parent moves the init by pid (await_placed). Any other refusal (permissions, the pids limit) is the
 * caller's error.
 */
static pid_t fork_init(int cgroup_dir, int *born_in_cgroup)
{
    *born_in_cgroup = 0;
    if (cgroup_dir >= 0) {
        struct clone_args args = {
            .flags = CLONE_INTO_CGROUP,
            .exit_signal = SIGCHLD,
            .cgroup = (uint64_t)cgroup_dir,
        };
        long pid = syscall(SYS_clone3, &args, sizeof args);
        if (pid >= 0) {
            *born_in_cgroup = 1;
            return (pid_t)pid;
        }
        if (errno != ENOSYS && errno != E2BIG && errno != EINVAL)
            bail("clone3 the container init into its cgroup");
    }
    return fork();
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

void ocirt_bootstrap(int argc, char **argv)
{
    const char *fd_text = getenv(OCIRT_SYNC_FD_ENV);
    if (fd_text == NULL || argc < 2 || strcmp(argv[1], "init") != 0) {
        keep_stdio_open();
        return;
    }
    ocirt_sync_fd = atoi(fd_text);

    if (ocirt_run_from_sealed_copy(argv) < 0)
        bail("bootstrap: re-execute from a sealed copy of /proc/self/exe");

    char *plan;
    uint8_t type;
    uint32_t length;
    if (ocirt_receive_frame(&type, &plan, &length, MAX_FRAME) < 0)
        bail("bootstrap: read namespace plan");
    if (type != OCIRT_MSG_NAMESPACE_PLAN)
        bail_without_errno("bootstrap: expected the namespace plan, got message %d", type);
    fork_plan = run_plan(plan);
    free(plan);
    take_birth_fds(&fork_plan);

    /* The init has its program as it is born; its first frame to the parent must still follow our report. */
    int reported[2];
    if (pipe2(reported, O_CLOEXEC) < 0)
        bail("bootstrap: pipe");
    pid_t init = fork_init(fork_plan.cgroup_dir, &fork_plan.born_in_cgroup);
    if (init < 0)
        bail("fork container init");
    if (init > 0) {
        int32_t report[2] = { init, fork_plan.born_in_cgroup };
        int sent = ocirt_send_frame(OCIRT_MSG_BOOTSTRAP_PID, report, sizeof report);
        close(reported[1]); /* now, not when our exit gets to it */
        _exit(sent < 0 ? 1 : 0);
    }
    close(reported[1]);
    await_report(reported[0]);
    /* The init leads its own session, as runc's, so a console can become its controlling tty. */
    if (setsid() < 0)
        bail("setsid");
    ocirt_init_run(init_rest_of_bootstrap);
}

#ifdef __GLIBC__
/* In the binary (glibc passes main's arguments to constructors): before the .NET runtime starts. */
__attribute__((constructor)) static void bootstrap_before_runtime(int argc, char **argv)
{
    ocirt_bootstrap(argc, argv);
}
#endif
