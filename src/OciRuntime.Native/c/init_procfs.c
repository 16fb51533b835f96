/*
 * init_procfs.c - the init's own procfs, for every file it writes in /proc (sysctls, oom_score_adj, LSM attributes).
 *
 * The container's /proc is the config's to shape: a mount over /proc/sys/... or /proc/self/... (made by the config, or
 * raced in through a shared mount) would send a write meant for a namespaced sysctl to core_pattern (runc's
 * CVE-2025-52881). The init's handle is a procfs it mounts itself, detached, and paths in it are resolved with no
 * symlink and no mount crossing, so nothing the container mounted can redirect them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init_ops.h"
#include "mount_api.h"

#define PROC_ROOT_INO 1

/* Whether fd is the root of a procfs. */
static int is_procfs_root(int fd)
{
    struct statfs fs;
    struct stat st;
    return fstatfs(fd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC && fstat(fd, &st) == 0 && st.st_ino == PROC_ROOT_INO;
}

/* A fresh procfs of this pid namespace, detached. In a user namespace the kernel mounts one only while a procfs of the
 * mount namespace is wholly visible: before the container's /proc with its masked parts is all there is. */
static int fresh_procfs(void)
{
    int fs OCIRT_AUTOCLOSE = (int)syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC);
    if (fs < 0 || syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        return -1;
    return (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
}

/* A fresh procfs, else (the kernel refused it) a copy of the container's /proc mount without what is mounted over its files. */
static int open_private_procfs(void)
{
    int proc = fresh_procfs();
    if (proc < 0)
        proc = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (proc >= 0 && !is_procfs_root(proc)) {
        close(proc);
        return ocirt_fail_without_errno("the container's /proc is not a procfs");
    }
    return proc;
}

OCIRT_HANDLER(open_procfs)
{
    (void)op;
    if (init->private_procfs < 0)
        init->private_procfs = fresh_procfs();
    return 0;
}

int ocirt_open_proc_file(struct ocirt_init *init, const char *path, int flags)
{
    if (init->private_procfs < 0 && (init->private_procfs = open_private_procfs()) < 0)
        return -1;
    /* self and thread-self are symlinks: named by our ids instead. */
    char relative[4096];
    int n;
    if (strncmp(path, "self/", 5) == 0)
        n = snprintf(relative, sizeof relative, "%d/%s", (int)getpid(), path + 5);
    else if (strncmp(path, "thread-self/", 12) == 0)
        n = snprintf(relative, sizeof relative, "%d/task/%d/%s", (int)getpid(), (int)syscall(SYS_gettid), path + 12);
    else
        n = snprintf(relative, sizeof relative, "%s", path);
    if (n < 0 || (size_t)n >= sizeof relative)
        return errno = ENAMETOOLONG, -1;
    struct open_how how = {
        .flags = (uint64_t)(flags | O_CLOEXEC),
        .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV | RESOLVE_BENEATH,
    };
    return (int)syscall(SYS_openat2, init->private_procfs, relative, &how, sizeof how);
}
