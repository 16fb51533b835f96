/*
 * init_fs.c - the init's filesystem operations: the rootfs, mounts, the root switch. Paths inside the rootfs are
 * in_root.c's: a mount "in root" goes through an fd pinned with openat2(RESOLVE_IN_ROOT) for each call, so a symlink
 * swapped in after the resolution (runc's CVE-2021-30465) cannot lead out of it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "in_root.h"
#include "init_ops.h"
#include "mount_api.h"

#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOVE_MOUNT_T_SYMLINKS
#define MOVE_MOUNT_T_SYMLINKS 0x00000010
#endif
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

static const char *or_null(const char *s)
{
    return s[0] == '\0' ? NULL : s;
}

/* Whether a mount call attaches a mount at its target (a remount or a propagation change does not). */
static int attaches(unsigned long flags)
{
    return !(flags & MS_REMOUNT) && ((flags & (MS_BIND | MS_MOVE)) || !(flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)));
}

/* Mounts with target in the rootfs (pinned by an O_PATH fd) or as given. */
static int mount_at(struct ocirt_root *root, const char *source, const char *target, int in_root, const char *type,
                    unsigned long flags, const char *data)
{
    if (!in_root) {
        int rc = mount(or_null(source), target, or_null(type), flags, or_null(data));
        if (attaches(flags))
            ocirt_root_after_mount(root, -1);
        return rc;
    }
    int fd OCIRT_AUTOCLOSE = ocirt_open_in_root(root, target, O_PATH);
    if (fd < 0)
        return -1;
    char pinned[64];
    snprintf(pinned, sizeof pinned, "/proc/self/fd/%d", fd);
    int rc = mount(or_null(source), pinned, or_null(type), flags, or_null(data));
    if (attaches(flags))
        ocirt_root_after_mount(root, fd);
    return rc;
}

OCIRT_HANDLER(set_rootfs)
{
    return ocirt_root_set(&init->root, op->set_rootfs.rootfs.text, op->set_rootfs.rootfs.length);
}

/*
 * runc's tmpfs mount point: a target that exists lends the tmpfs its mode (put before the config's options, so that a
 * mode= there wins); one that does not is made, and the tmpfs keeps the kernel's 1777.
 */
static int tmpfs_mount_point(struct ocirt_root *root, const char *target, const char *data, char *with_mode, size_t cap)
{
    struct stat st;
    int fd OCIRT_AUTOCLOSE = ocirt_open_in_root(root, target, O_PATH);
    if (fd < 0) {
        if (errno != ENOENT)
            return ocirt_set_failure("open mount point \"%s\" in the rootfs", target), -1;
        snprintf(with_mode, cap, "%s", data);
        return ocirt_mkdirs_in_root(root, target);
    }
    if (fstat(fd, &st) < 0)
        return ocirt_set_failure("stat mount point \"%s\"", target), -1;
    if (snprintf(with_mode, cap, "mode=%04o%s%s", (unsigned)(st.st_mode & 07777), data[0] != '\0' ? "," : "", data) >= (int)cap)
        return errno = E2BIG, ocirt_set_failure("tmpfs options for \"%s\"", target), -1;
    return 0;
}

OCIRT_HANDLER(mount)
{
    const struct ocirt_mount_args *a = &op->mount;
    const char *data = a->data.text;
    char with_mode[4096];
    if (a->tmpfs_mode_from_target == 1) {
        if (tmpfs_mount_point(&init->root, a->target.text, data, with_mode, sizeof with_mode) < 0)
            return -1;
        data = with_mode;
    }
    return mount_at(&init->root, a->source.text, a->target.text, a->target_in_root == 1, a->type.text,
                    (unsigned long)a->flags, data);
}

/* Drops the last component of an absolute path in place ("/a/b" -> "/a", "/a" -> ""). */
static void drop_last(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash != NULL)
        *slash = '\0';
}

OCIRT_HANDLER(make_mount_private)
{
    (void)init;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", op->make_mount_private.path.text);
    while (1) {
        if (mount(NULL, dir[0] == '\0' ? "/" : dir, NULL, MS_PRIVATE, NULL) == 0)
            return 0;
        /* EINVAL: not a mount point; climb to the mount that holds it. */
        if (errno != EINVAL || dir[0] == '\0') {
            ocirt_set_failure("make \"%s\" private", dir[0] == '\0' ? "/" : dir);
            return -1;
        }
        drop_last(dir);
    }
}

OCIRT_HANDLER(mkdirs)
{
    return ocirt_mkdirs_in_root(&init->root, op->mkdirs.path.text);
}

OCIRT_HANDLER(mkfile)
{
    return ocirt_mkfile_in_root(&init->root, op->mkfile.path.text);
}

/* statfs's ST_* bits as the MS_* flags they report (fs/statfs.c); no atime flag means strictatime. */
static int current_flags(struct ocirt_root *root, const char *target, int in_root, unsigned long *flags)
{
    static const struct { unsigned long st, ms; } map[] = {
        { 1, MS_RDONLY }, { 2, MS_NOSUID }, { 4, MS_NODEV }, { 8, MS_NOEXEC }, { 16, MS_SYNCHRONOUS },
        { 64, MS_MANDLOCK }, { 1024, MS_NOATIME }, { 2048, MS_NODIRATIME }, { 4096, MS_RELATIME },
        { 0x2000, MS_NOSYMFOLLOW },
    };
    struct statfs fs;
    int rc;
    if (in_root) {
        int fd OCIRT_AUTOCLOSE = ocirt_open_in_root(root, target, O_PATH);
        if (fd < 0)
            return -1;
        rc = fstatfs(fd, &fs);
    } else {
        rc = statfs(target, &fs);
    }
    if (rc < 0) {
        ocirt_set_failure("statfs \"%s\"", target);
        return -1;
    }
    *flags = 0;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if ((unsigned long)fs.f_flags & map[i].st)
            *flags |= map[i].ms;
    if ((*flags & (MS_NOATIME | MS_RELATIME)) == 0)
        *flags |= MS_STRICTATIME;
    return 0;
}

#define ATIME_FLAGS (MS_NOATIME | MS_RELATIME | MS_STRICTATIME | MS_NODIRATIME)
#define LOCKABLE_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | ATIME_FLAGS)

/* The option words of flags ("nosuid,nodev"), as the config writes them. */
static void flag_names(unsigned long flags, char *out, size_t cap)
{
    static const struct { unsigned long flag; const char *name; } names[] = {
        { MS_RDONLY, "ro" }, { MS_NOSUID, "nosuid" }, { MS_NODEV, "nodev" }, { MS_NOEXEC, "noexec" },
        { MS_NOATIME, "noatime" }, { MS_NODIRATIME, "nodiratime" }, { MS_RELATIME, "relatime" },
        { MS_STRICTATIME, "strictatime" },
    };
    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (flags & names[i].flag) {
            size_t used = strlen(out);
            snprintf(out + used, cap - used, "%s%s", used ? "," : "", names[i].name);
        }
    }
}

/*
 * A bind remount sets exactly the flags given, but the kernel refuses (EPERM) to clear one it locked on a mount from a
 * more privileged user namespace: then the source's lockable flags are added, unless the config clears one of them.
 */
OCIRT_HANDLER(remount_bind)
{
    const struct ocirt_remount_bind_args *a = &op->remount_bind;
    const char *target = a->target.text;
    int in_root = a->target_in_root == 1;
    unsigned long flags = (unsigned long)a->flags, cleared = (unsigned long)a->cleared_flags;
    unsigned long atime = (unsigned long)a->atime_flags, inherited;
    if (mount_at(&init->root, "", target, in_root, "", flags, "") == 0)
        return 0;
    if (errno != EPERM)
        return -1;
    if (current_flags(&init->root, target, in_root, &inherited) < 0)
        return -1;
    inherited &= LOCKABLE_FLAGS;
    char names[128];
    if (inherited & cleared) {
        flag_names(inherited & cleared, names, sizeof names);
        return ocirt_fail_without_errno("%s%s%s", a->cleared_conflict_before.text, names, a->cleared_conflict_after.text);
    }
    if (atime != 0 && atime != (inherited & ATIME_FLAGS)) {
        flag_names(inherited & ATIME_FLAGS, names, sizeof names);
        return ocirt_fail_without_errno("%s%s%s", a->atime_conflict_before.text, names, a->atime_conflict_after.text);
    }
    return mount_at(&init->root, "", target, in_root, "", flags | inherited, "");
}

OCIRT_HANDLER(remount_readonly)
{
    const struct ocirt_remount_readonly_args *a = &op->remount_readonly;
    unsigned long inherited;
    int in_root = a->target_in_root == 1;
    if (current_flags(&init->root, a->target.text, in_root, &inherited) < 0)
        return -1;
    return mount_at(&init->root, "", a->target.text, in_root, "", MS_BIND | MS_REMOUNT | MS_RDONLY | (inherited & LOCKABLE_FLAGS), "");
}

OCIRT_HANDLER(move_mount)
{
    int detached OCIRT_AUTOCLOSE = (int)op->move_mount.detached_fd;
    int fd OCIRT_AUTOCLOSE = ocirt_open_in_root(&init->root, op->move_mount.target.text, O_PATH);
    if (fd < 0)
        return -1;
    char pinned[64];
    snprintf(pinned, sizeof pinned, "/proc/self/fd/%d", fd);
    /* T_SYMLINKS: the target is reached through the magic link of the pinned fd. */
    int rc = (int)syscall(SYS_move_mount, detached, "", AT_FDCWD, pinned, MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_SYMLINKS);
    ocirt_root_after_mount(&init->root, fd);
    return rc;
}

/* The recursive attributes ("rro", ...) on the mount now at the target and every mount below it. */
OCIRT_HANDLER(set_mount_attributes)
{
    const struct ocirt_set_mount_attributes_args *a = &op->set_mount_attributes;
    struct mount_attr attr = { .attr_set = (uint64_t)a->attr_set, .attr_clr = (uint64_t)a->attr_clear };
    int fd OCIRT_AUTOCLOSE = a->target_in_root == 1 ? ocirt_open_in_root(&init->root, a->target.text, O_PATH)
                                                    : open(a->target.text, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return -1;
    return (int)syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr);
}

OCIRT_HANDLER(mknod)
{
    const struct ocirt_mknod_args *a = &op->mknod;
    char resolved[PATH_MAX];
    const char *name;
    int dir OCIRT_AUTOCLOSE = ocirt_open_parent_in_root(&init->root, a->path.text, &name, resolved, sizeof resolved);
    if (dir < 0)
        return -1;
    mode_t old_umask = umask(0);
    int rc = mknodat(dir, name, (mode_t)a->mode, (dev_t)a->dev);
    umask(old_umask);
    if (rc < 0 && errno != EEXIST)
        return -1;
    if (fchownat(dir, name, (uid_t)a->uid, (gid_t)a->gid, AT_SYMLINK_NOFOLLOW) < 0)
        return ocirt_set_failure("%s", a->chown_failure.text), -1;
    return 0;
}

OCIRT_HANDLER(symlink)
{
    const struct ocirt_symlink_args *a = &op->symlink;
    char resolved[PATH_MAX];
    const char *name;
    int dir OCIRT_AUTOCLOSE = ocirt_open_parent_in_root(&init->root, a->path.text, &name, resolved, sizeof resolved);
    if (dir < 0)
        return -1;
    return symlinkat(a->link_target.text, dir, name) < 0 && errno != EEXIST ? -1 : 0;
}

OCIRT_HANDLER(unlink)
{
    char resolved[PATH_MAX];
    const char *name;
    int dir OCIRT_AUTOCLOSE = ocirt_open_parent_in_root(&init->root, op->unlink.path.text, &name, resolved, sizeof resolved);
    if (dir < 0)
        return -1;
    return unlinkat(dir, name, 0) < 0 && errno != ENOENT ? -1 : 0;
}

/* runc's guard for proc and sysfs (CVE-2019-19921): their mount point must not be a symlink or a file. */
OCIRT_HANDLER(require_directory)
{
    char on_host[PATH_MAX];
    struct stat st;
    if (ocirt_host_path(&init->root, op->require_directory.path.text, on_host, sizeof on_host) < 0)
        return -1;
    if (lstat(on_host, &st) < 0 || S_ISDIR(st.st_mode))
        return 0;
    return ocirt_fail_without_errno("%s", op->text);
}

/* runc's checkProcMount: a config mount may not land on procfs or sysfs files (e.g. through an image's symlink) but
 * where the compiled program allows it (lxcfs's /proc files, anything below /sys). */
OCIRT_HANDLER(refuse_kernel_fs_target)
{
    const struct ocirt_refuse_kernel_fs_target_args *a = &op->refuse_kernel_fs_target;
    int fd OCIRT_AUTOCLOSE = ocirt_open_in_root(&init->root, a->target.text, O_PATH);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    struct statfs fs;
    if (fstatfs(fd, &fs) < 0)
        return -1;
    if ((fs.f_type == PROC_SUPER_MAGIC && a->allow_procfs != 1) || (fs.f_type == SYSFS_MAGIC && a->allow_sysfs != 1))
        return ocirt_fail_without_errno("%s", op->text);
    return 0;
}

static void closedir_at(DIR **dir)
{
    int saved = errno;
    if (*dir != NULL)
        closedir(*dir);
    errno = saved;
}

/* Copies one regular file's content from from/name to to/name (made 0600; copy_tree sets its mode). */
static int copy_file(int from, int to, const char *name)
{
    int in OCIRT_AUTOCLOSE = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int out OCIRT_AUTOCLOSE = in < 0 ? -1 : openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0)
        return -1;
    char buffer[65536];
    ssize_t n;
    while ((n = read(in, buffer, sizeof buffer)) > 0)
        if (write(out, buffer, (size_t)n) != n)
            return -1;
    return n < 0 ? -1 : 0;
}

/* Copies the entries of directory from into to: files, directories and symlinks with modes and owners; closes from. */
static int copy_tree(int from, int to)
{
    DIR *dir __attribute__((cleanup(closedir_at))) = fdopendir(from);
    if (dir == NULL)
        return ocirt_close_keeping_errno(from), -1;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        struct stat st;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            return ocirt_set_failure("tmpcopyup: lstat \"%s\"", name), -1;
        if (S_ISDIR(st.st_mode)) {
            if (mkdirat(to, name, st.st_mode & 07777) < 0)
                return ocirt_set_failure("tmpcopyup: copy directory \"%s\"", name), -1;
            int sub_from = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub_from < 0)
                return ocirt_set_failure("tmpcopyup: copy directory \"%s\"", name), -1;
            int sub_to OCIRT_AUTOCLOSE = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub_to < 0)
                return ocirt_close_keeping_errno(sub_from), -1;
            if (copy_tree(sub_from, sub_to) < 0)
                return -1;
        } else if (S_ISREG(st.st_mode)) {
            if (copy_file(from, to, name) < 0)
                return ocirt_set_failure("tmpcopyup: copy file \"%s\"", name), -1;
        } else if (S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            ssize_t n = readlinkat(from, name, target, sizeof target - 1);
            if (n < 0 || (target[n] = '\0', symlinkat(target, to, name)) < 0)
                return ocirt_set_failure("tmpcopyup: copy symlink \"%s\"", name), -1;
        } else {
            continue; /* sockets, fifos and devices are not content */
        }
        if (fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
            return ocirt_set_failure("tmpcopyup: chown \"%s\"", name), -1;
        if (!S_ISLNK(st.st_mode) && fchmodat(to, name, st.st_mode & 07777, 0) < 0)
            return ocirt_set_failure("tmpcopyup: chmod \"%s\"", name), -1;
    }
    return 0;
}

/* A tmpfs (flags, data) on scratch filled with a copy of target in root, then moved over target. */
static int copy_up_through(struct ocirt_root *root, const char *scratch, const struct ocirt_tmpfs_copy_up_args *a)
{
    unsigned long flags = (unsigned long)a->flags;
    if (mount("tmpfs", scratch, "tmpfs", flags & ~(unsigned long)MS_RDONLY, or_null(a->data.text)) < 0)
        return -1;
    int from = ocirt_open_in_root(root, a->target.text, O_RDONLY | O_DIRECTORY);
    int to OCIRT_AUTOCLOSE = from < 0 ? -1 : open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = from < 0 || to < 0 ? -1 : copy_tree(OCIRT_TAKE_FD(from), to);
    ocirt_close_fd_at(&from);
    if (rc == 0 && (flags & MS_RDONLY))
        rc = mount(NULL, scratch, NULL, MS_REMOUNT | flags, or_null(a->data.text));
    if (rc == 0)
        rc = mount_at(root, scratch, a->target.text, 1, "", MS_MOVE, "");
    if (rc < 0)
        umount2(scratch, MNT_DETACH);
    return rc;
}

/* runc's "tmpcopyup": a tmpfs on a scratch directory, filled with a copy of the target, then moved over it. */
OCIRT_HANDLER(tmpfs_copy_up)
{
    char scratch[] = "/tmp/ociruntime-copyup.XXXXXX";
    if (mkdtemp(scratch) == NULL)
        return -1;
    int rc = copy_up_through(&init->root, scratch, &op->tmpfs_copy_up);
    int saved = errno;
    rmdir(scratch);
    errno = saved;
    return rc;
}

/* The whole of a /proc file, NUL-terminated, in a malloc'd buffer. */
static char *read_proc_file(struct ocirt_init *init, const char *path)
{
    int fd OCIRT_AUTOCLOSE = ocirt_open_proc_file(init, path, O_RDONLY);
    if (fd < 0)
        return NULL;
    size_t size = 0, cap = 65536;
    char *text = malloc(cap);
    ssize_t n = 0;
    while (text != NULL && (n = read(fd, text + size, cap - size - 1)) > 0) {
        size += (size_t)n;
        char *grown = size + 1 < cap ? text : realloc(text, cap *= 2);
        if (grown == NULL)
            free(text);
        text = grown;
    }
    if (text != NULL && n < 0) {
        free(text);
        text = NULL;
    }
    if (text != NULL)
        text[size] = '\0';
    return text;
}

/* A mountinfo path field with its octal escapes (\040 for a space) decoded, in place. */
static void unescape_mountinfo(char *field)
{
    char *out = field;
    for (char *in = field; *in != '\0'; in++) {
        if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
            *out++ = (char)((in[1] - '0') << 6 | (in[2] - '0') << 3 | (in[3] - '0'));
            in += 3;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
}

/*
 * runc's msMoveRoot: the kernel lets a user namespace mount a procfs or sysfs while a whole one is visible in the mount
 * namespace, and after chroot the host's still are (below the moved root). Each whole procfs and sysfs outside the
 * rootfs is detached (made a slave first, so that the host keeps its own), or covered by a tmpfs where that is refused.
 */
static int hide_host_kernel_filesystems(struct ocirt_init *init, const char *root)
{
    /* mountinfo names the rootfs's mounts by its real path (the bundle's may go through a symlink, e.g. /var/run). */
    char real_root[PATH_MAX];
    if (realpath(root, real_root) == NULL)
        return ocirt_set_failure("resolve the rootfs \"%s\"", root), -1;
    char *mountinfo OCIRT_AUTOFREE = read_proc_file(init, "self/mountinfo");
    if (mountinfo == NULL)
        return ocirt_set_failure("read the mount table"), -1;
    size_t root_length = strlen(real_root);
    int rc = 0;
    for (char *line = mountinfo, *next; rc == 0 && *line != '\0'; line = next) {
        char *line_end = strchrnul(line, '\n');
        next = *line_end == '\0' ? line_end : line_end + 1;
        *line_end = '\0';
        /* id parent major:minor root mount-point options [optional fields] - type source super-options */
        char *fields[5], *separator = strstr(line, " - "), *cursor = line;
        if (separator == NULL)
            continue;
        size_t count = 0;
        for (; count < 5 && cursor < separator; count++) {
            fields[count] = cursor;
            cursor = strchrnul(cursor, ' ');
            *cursor++ = '\0';
        }
        char *type = separator + 3;
        *strchrnul(type, ' ') = '\0';
        if (count < 5 || strcmp(fields[3], "/") != 0 || (strcmp(type, "proc") != 0 && strcmp(type, "sysfs") != 0))
            continue;
        char *mount_point = fields[4];
        unescape_mountinfo(mount_point);
        if (strncmp(mount_point, real_root, root_length) == 0 && (mount_point[root_length] == '\0' || mount_point[root_length] == '/'))
            continue;
        if (mount(NULL, mount_point, NULL, MS_SLAVE | MS_REC, NULL) < 0) {
            /* Gone with a mount point above it that was detached already. */
            if (errno == ENOENT)
                continue;
            rc = -1;
        } else if (umount2(mount_point, MNT_DETACH) < 0
                   && ((errno != EINVAL && errno != EPERM) || mount("tmpfs", mount_point, "tmpfs", 0, NULL) < 0)) {
            rc = -1;
        }
        if (rc < 0)
            ocirt_set_failure("hide the host's %s at \"%s\"", type, mount_point);
    }
    return rc;
}

/*
 * pivot_root(".", "."): the old root is stacked under the new one, then detached (made a slave first, so the
 * unmount does not reach the host); --no-pivot hides the host's procfs and sysfs mounts, moves the rootfs onto "/"
 * and chroots instead.
 */
OCIRT_HANDLER(switch_root)
{
    const char *root = op->switch_root.rootfs.text;
    if (op->switch_root.no_pivot == 1) {
        if (hide_host_kernel_filesystems(init, root) < 0 || chdir(root) < 0 || mount(root, "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0)
            return -1;
    } else {
        int old_root OCIRT_AUTOCLOSE = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (old_root < 0 || chdir(root) < 0)
            return -1;
        if (syscall(SYS_pivot_root, ".", ".") < 0)
            return -1;
        if (fchdir(old_root) < 0 || mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0 || umount2(".", MNT_DETACH) < 0) {
            ocirt_set_failure("%s: detach the old root", op->text);
            return -1;
        }
    }
    ocirt_root_switched(&init->root);
    return chdir("/");
}
