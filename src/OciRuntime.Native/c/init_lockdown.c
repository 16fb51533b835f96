/*
 * init_lockdown.c - what the init hides and locks after the root switch: masked paths and read-only paths.
 *
 * Each is done on fds, never by path twice: the target is opened once (O_PATH, resolved in the root), the mount is
 * made detached with its final flags (open_tree, fsmount, mount_setattr) and moved onto that fd, so a component
 * swapped between two steps cannot leave the path writable (youki's GHSA-3q8j-pf29-vwv8). A masked file gets the
 * container's /dev/null only when it is the null device: an image's /dev/null may be a symlink or a file, which a bind
 * by path would put over the masked path, writable (runc's CVE-2025-31133).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init_ops.h"
#include "mount_api.h"

/* Moves the detached mount onto the target fd; closes the detached one. */
static int attach(int detached, int target)
{
    int owned OCIRT_AUTOCLOSE = detached;
    return (int)syscall(SYS_move_mount, owned, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

/* An empty read-only tmpfs, detached. */
static int empty_readonly_tmpfs(void)
{
    int fs OCIRT_AUTOCLOSE = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
    if (fs < 0)
        return ocirt_set_failure("fsopen tmpfs"), -1;
    if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        return ocirt_set_failure("create a tmpfs"), -1;
    int detached = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
    if (detached < 0)
        ocirt_set_failure("fsmount a read-only tmpfs");
    return detached;
}

/*
 * A copy of the tmpfs on the first masked directory, reopened by its path in the root: that path's mount must still
 * be the tmpfs made for it (its device), else -1 without a failure and the caller makes a fresh one.
 */
static int copy_of_mask_tmpfs(struct ocirt_init *init)
{
    if (init->mask_directory == NULL)
        return -1;
    int first OCIRT_AUTOCLOSE = ocirt_open_in_root(&init->root, init->mask_directory, O_PATH | O_DIRECTORY);
    struct stat st;
    if (first < 0 || fstat(first, &st) < 0 || st.st_dev != init->mask_device)
        return -1;
    return (int)syscall(SYS_open_tree, first, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
}

/*
 * Masks a directory with an empty read-only tmpfs that every masked directory shares, as runc does: the first gets
 * a fresh one, the others a copy of that mount (read-only as its source), so a container has one superblock for its
 * masks, not one per directory. No fd is kept: the process's cwd may be any /proc/self/fd/N of the init.
 */
static int mask_directory(struct ocirt_init *init, const char *path, int target)
{
    int copy = copy_of_mask_tmpfs(init);
    if (copy >= 0)
        return attach(copy, target);
    int tmpfs OCIRT_AUTOCLOSE = empty_readonly_tmpfs();
    struct stat st;
    if (tmpfs < 0 || fstat(tmpfs, &st) < 0)
        return -1;
    if (init->mask_directory == NULL) {
        init->mask_directory = path;
        init->mask_device = st.st_dev;
    }
    return attach(OCIRT_TAKE_FD(tmpfs), target);
}

/* A detached copy of the container's /dev/null, its last component not followed; refused with refusal unless it is the null device. */
static int null_device_copy(struct ocirt_root *root, const char *refusal)
{
    int null OCIRT_AUTOCLOSE = ocirt_open_in_root(root, "/dev/null", O_PATH | O_NOFOLLOW);
    if (null < 0)
        return ocirt_set_failure("%s: open", refusal), -1;
    struct stat st;
    if (fstat(null, &st) < 0)
        return ocirt_set_failure("%s: fstat", refusal), -1;
    if (!ocirt_is_null_device(&st))
        return ocirt_fail_without_errno("%s: it is not the null device (character device 1:3)", refusal);
    int copy = (int)syscall(SYS_open_tree, null, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
    if (copy < 0)
        ocirt_set_failure("%s: open_tree", refusal);
    return copy;
}

/* The target of a masked or read-only path is opened once (O_PATH, in root); a missing one is skipped. */
OCIRT_HANDLER(mask_path)
{
    int target OCIRT_AUTOCLOSE = ocirt_open_in_root(&init->root, op->mask_path.path.text, O_PATH);
    if (target < 0)
        return errno == ENOENT ? 0 : -1;
    struct stat st;
    if (fstat(target, &st) < 0)
        return -1;
    if (S_ISDIR(st.st_mode))
        return mask_directory(init, op->mask_path.path.text, target);
    int detached = null_device_copy(&init->root, op->mask_path.refusal.text);
    return detached < 0 ? -1 : attach(detached, target);
}

OCIRT_HANDLER(readonly_path)
{
    int target OCIRT_AUTOCLOSE = ocirt_open_in_root(&init->root, op->readonly_path.path.text, O_PATH);
    if (target < 0)
        return errno == ENOENT ? 0 : -1;
    int copy OCIRT_AUTOCLOSE = (int)syscall(SYS_open_tree, target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
    if (copy < 0)
        return -1;
    /* Only the top mount, as a remount of the path would make it (runc's readonlyPath). */
    struct mount_attr readonly = { .attr_set = MOUNT_ATTR_RDONLY };
    if (syscall(SYS_mount_setattr, copy, "", AT_EMPTY_PATH, &readonly, sizeof readonly) < 0)
        return -1;
    return attach(OCIRT_TAKE_FD(copy), target);
}
