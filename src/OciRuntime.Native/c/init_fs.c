/*
 * init_fs.c - the init's filesystem operations: paths inside the (untrusted) rootfs, mounts, the root switch.
 *
 * A path "in root" is resolved as if the rootfs were "/" (an absolute symlink restarts at the rootfs, ".." stops at
 * it), and what is created or mounted there goes through an fd pinned with openat2(RESOLVE_IN_ROOT) for each call,
 * so a symlink swapped in after the resolution (runc's CVE-2021-30465) cannot lead out of it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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

#define MAX_SYMLINKS 255

static char rootfs[PATH_MAX] = "/";
/* rootfs, opened once for every lookup in it until a mount may have covered it (ocirt_forget_root_fd). */
static int root_fd = -1;

/* After a mount (one may land on the rootfs itself) or a root switch: the next lookup opens the rootfs anew. */
void ocirt_forget_root_fd(void)
{
    if (root_fd >= 0)
        ocirt_close_keeping_errno(root_fd);
    root_fd = -1;
}

int ocirt_op_set_rootfs(const struct ocirt_op *op)
{
    if (op->length[1] == 0 || op->length[1] >= sizeof rootfs) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(rootfs, op->s[1], op->length[1] + 1);
    ocirt_forget_root_fd();
    return 0;
}

/* rootfs + path ("/a/b"), without a doubled slash. */
static int host_path(const char *path, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s%s", strcmp(rootfs, "/") == 0 ? "" : rootfs, path);
    if (n < 0 || (size_t)n >= cap) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (out[0] == '\0')
        strcpy(out, "/");
    return 0;
}

/* Drops the last component of an absolute path in place ("/a/b" -> "/a", "/a" -> ""). */
static void drop_last(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash != NULL)
        *slash = '\0';
}

/*
 * path with every symlink resolved inside the rootfs, as an absolute path seen from it ("/" at least). Used to make
 * directories along symlinks and on kernels without openat2; what exists is then opened pinned (open_in_root).
 */
static int resolve_in_root(const char *path, char *out, size_t cap)
{
    char pending[PATH_MAX * 2], resolved[PATH_MAX] = "", candidate[PATH_MAX], target[PATH_MAX];
    int links = 0;
    if (snprintf(pending, sizeof pending, "%s", path) >= (int)sizeof pending)
        return errno = ENAMETOOLONG, -1;
    char *rest = pending;
    while (*rest != '\0') {
        while (*rest == '/')
            rest++;
        if (*rest == '\0')
            break;
        char *end = strchrnul(rest, '/');
        size_t len = (size_t)(end - rest);
        char part[NAME_MAX + 1];
        if (len > NAME_MAX)
            return errno = ENAMETOOLONG, -1;
        memcpy(part, rest, len);
        part[len] = '\0';
        rest = end;
        if (strcmp(part, ".") == 0)
            continue;
        if (strcmp(part, "..") == 0) {
            drop_last(resolved);
            continue;
        }
        if (snprintf(candidate, sizeof candidate, "%s/%s", resolved, part) >= (int)sizeof candidate)
            return errno = ENAMETOOLONG, -1;
        char on_host[PATH_MAX];
        if (host_path(candidate, on_host, sizeof on_host) < 0)
            return -1;
        ssize_t n = readlink(on_host, target, sizeof target - 1);
        if (n < 0) {
            memcpy(resolved, candidate, strlen(candidate) + 1);
            continue;
        }
        target[n] = '\0';
        if (++links > MAX_SYMLINKS)
            return errno = ELOOP, -1;
        if (target[0] == '/')
            resolved[0] = '\0';
        char next[PATH_MAX * 2];
        if (snprintf(next, sizeof next, "%s/%s", target, rest) >= (int)sizeof next)
            return errno = ENAMETOOLONG, -1;
        memcpy(pending, next, strlen(next) + 1);
        rest = pending;
    }
    if (snprintf(out, cap, "%s", resolved[0] == '\0' ? "/" : resolved) >= (int)cap)
        return errno = ENAMETOOLONG, -1;
    return 0;
}

/* An fd (close-on-exec) for path in the rootfs, opened with openat2(RESOLVE_IN_ROOT); before Linux 5.6, resolved here. */
static int open_in_root(const char *path, int flags)
{
    /* openat: musl's open adds an fcntl for O_CLOEXEC. */
    if (root_fd < 0 && (root_fd = openat(AT_FDCWD, rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
        ocirt_set_failure("open rootfs \"%s\"", rootfs);
        return -1;
    }
    struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    while (*path == '/')
        path++;
    int fd, attempts = 0;
    /* EAGAIN: a ".." was resolved while a mount or rename happened anywhere on the host; openat2(2) asks for a retry. */
    do
        fd = (int)syscall(SYS_openat2, root_fd, *path == '\0' ? "." : path, &how, sizeof how);
    while (fd < 0 && errno == EAGAIN && ++attempts < 64);
    if (fd < 0 && errno == ENOSYS) {
        char resolved[PATH_MAX], on_host[PATH_MAX];
        if (resolve_in_root(path, resolved, sizeof resolved) < 0 || host_path(resolved, on_host, sizeof on_host) < 0)
            return -1;
        return open(on_host, flags | O_NOFOLLOW | O_CLOEXEC);
    }
    return fd;
}

int ocirt_open_in_root(const char *path, int flags)
{
    return open_in_root(path, flags);
}

/* The parent directory of an absolute, resolved path in the rootfs, pinned; *name is its last component. */
static int open_parent_in_root(char *resolved, const char **name)
{
    char *slash = strrchr(resolved, '/');
    *name = slash + 1;
    if (slash == resolved)
        return open_in_root("/", O_PATH | O_DIRECTORY);
    *slash = '\0';
    int fd = open_in_root(resolved, O_PATH | O_DIRECTORY);
    *slash = '/';
    return fd;
}

/* Whether path exists in the rootfs (as a directory when that is asked): one lookup, where making it walks each level. */
static int exists_in_root(const char *path, int flags)
{
    int fd = open_in_root(path, O_PATH | flags);
    if (fd < 0)
        return 0;
    close(fd);
    return 1;
}

int ocirt_mkdirs_in_root(const char *path)
{
    if (exists_in_root(path, O_DIRECTORY))
        return 0;
    char resolved[PATH_MAX];
    if (resolve_in_root(path, resolved, sizeof resolved) < 0)
        return -1;
    /* resolved has no symlink left: each level is made, then entered without following one (a swapped-in link fails);
     * the last one may exist as anything. */
    int dir = open_in_root("/", O_PATH | O_DIRECTORY);
    int rc = dir < 0 ? -1 : 0;
    for (char *next = resolved + 1; rc == 0 && *next != '\0';) {
        char *slash = strchrnul(next, '/');
        int last = *slash == '\0';
        *slash = '\0';
        if (mkdirat(dir, next, 0755) < 0 && errno != EEXIST) {
            ocirt_set_failure("mkdir \"%s\" in \"%s\"", resolved, rootfs);
            rc = -1;
        } else if (!last) {
            /* A level that is not a directory fails here (ENOTDIR), in the words of the operation. */
            int level = openat(dir, next, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            rc = level < 0 ? -1 : 0;
            ocirt_close_keeping_errno(dir);
            dir = level;
        }
        if (!last)
            *slash = '/';
        next = last ? slash : slash + 1;
    }
    if (dir >= 0)
        ocirt_close_keeping_errno(dir);
    return rc;
}

int ocirt_mkfile_in_root(const char *path)
{
    if (exists_in_root(path, 0))
        return 0;
    char resolved[PATH_MAX];
    if (resolve_in_root(path, resolved, sizeof resolved) < 0)
        return -1;
    char directory[PATH_MAX];
    memcpy(directory, resolved, strlen(resolved) + 1);
    drop_last(directory);
    if (directory[0] != '\0' && ocirt_mkdirs_in_root(directory) < 0)
        return -1;
    const char *name;
    int dir = open_parent_in_root(resolved, &name);
    if (dir < 0)
        return -1;
    int rc = mknodat(dir, name, S_IFREG | 0644, 0);
    ocirt_close_keeping_errno(dir);
    if (rc < 0 && errno != EEXIST) {
        ocirt_set_failure("create \"%s\" in \"%s\"", resolved, rootfs);
        return -1;
    }
    return 0;
}

static const char *or_null(const char *s)
{
    return s[0] == '\0' ? NULL : s;
}

int ocirt_mount_at(const char *source, const char *target, int in_root, const char *type, unsigned long flags,
                   const char *data)
{
    if (!in_root) {
        int rc = mount(or_null(source), target, or_null(type), flags, or_null(data));
        ocirt_forget_root_fd();
        return rc;
    }
    int fd = open_in_root(target, O_PATH);
    if (fd < 0)
        return -1;
    char pinned[64];
    snprintf(pinned, sizeof pinned, "/proc/self/fd/%d", fd);
    int rc = mount(or_null(source), pinned, or_null(type), flags, or_null(data));
    ocirt_close_keeping_errno(fd);
    ocirt_forget_root_fd();
    return rc;
}

/*
 * runc's tmpfs mount point: a target that exists lends the tmpfs its mode (put before the config's options, so that a
 * mode= there wins); one that does not is made, and the tmpfs keeps the kernel's 1777.
 */
static int tmpfs_mount_point(const char *target, const char *data, char *with_mode, size_t cap)
{
    struct stat st;
    int fd = open_in_root(target, O_PATH);
    if (fd < 0) {
        if (errno != ENOENT)
            return ocirt_set_failure("open mount point \"%s\" in the rootfs", target), -1;
        snprintf(with_mode, cap, "%s", data);
        return ocirt_mkdirs_in_root(target);
    }
    int rc = fstat(fd, &st);
    ocirt_close_keeping_errno(fd);
    if (rc < 0)
        return ocirt_set_failure("stat mount point \"%s\"", target), -1;
    if (snprintf(with_mode, cap, "mode=%04o%s%s", (unsigned)(st.st_mode & 07777), data[0] != '\0' ? "," : "", data) >= (int)cap)
        return errno = E2BIG, ocirt_set_failure("tmpfs options for \"%s\"", target), -1;
    return 0;
}

int ocirt_op_mount(const struct ocirt_op *op)
{
    const char *data = op->s[4];
    char with_mode[4096];
    if (op->header->n[2] == 1) {
        if (tmpfs_mount_point(op->s[2], data, with_mode, sizeof with_mode) < 0)
            return -1;
        data = with_mode;
    }
    return ocirt_mount_at(op->s[1], op->s[2], op->header->n[1] == 1, op->s[3], (unsigned long)op->header->n[0], data);
}

int ocirt_op_make_mount_private(const struct ocirt_op *op)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", op->s[1]);
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

int ocirt_op_mkdirs(const struct ocirt_op *op)
{
    return ocirt_mkdirs_in_root(op->s[1]);
}

int ocirt_op_mkfile(const struct ocirt_op *op)
{
    return ocirt_mkfile_in_root(op->s[1]);
}

/* statfs's ST_* bits as the MS_* flags they report (fs/statfs.c); no atime flag means strictatime. */
static int current_flags(const char *target, int in_root, unsigned long *flags)
{
    static const struct { unsigned long st, ms; } map[] = {
        { 1, MS_RDONLY }, { 2, MS_NOSUID }, { 4, MS_NODEV }, { 8, MS_NOEXEC }, { 16, MS_SYNCHRONOUS },
        { 64, MS_MANDLOCK }, { 1024, MS_NOATIME }, { 2048, MS_NODIRATIME }, { 4096, MS_RELATIME },
        { 0x2000, MS_NOSYMFOLLOW },
    };
    struct statfs fs;
    int rc;
    if (in_root) {
        int fd = open_in_root(target, O_PATH);
        if (fd < 0)
            return -1;
        rc = fstatfs(fd, &fs);
        ocirt_close_keeping_errno(fd);
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
int ocirt_op_remount_bind(const struct ocirt_op *op)
{
    const char *target = op->s[1];
    int in_root = op->header->n[1] == 1;
    unsigned long flags = (unsigned long)op->header->n[0], cleared = (unsigned long)op->header->n[2];
    unsigned long atime = (unsigned long)op->header->n[3], inherited;
    if (ocirt_mount_at("", target, in_root, "", flags, "") == 0)
        return 0;
    if (errno != EPERM)
        return -1;
    if (current_flags(target, in_root, &inherited) < 0)
        return -1;
    inherited &= LOCKABLE_FLAGS;
    char names[128];
    if (inherited & cleared) {
        flag_names(inherited & cleared, names, sizeof names);
        errno = 0;
        ocirt_set_failure("%s%s%s", op->s[2], names, op->s[3]);
        return -1;
    }
    if (atime != 0 && atime != (inherited & ATIME_FLAGS)) {
        flag_names(inherited & ATIME_FLAGS, names, sizeof names);
        errno = 0;
        ocirt_set_failure("%s%s%s", op->s[4], names, op->s[5]);
        return -1;
    }
    return ocirt_mount_at("", target, in_root, "", flags | inherited, "");
}

int ocirt_op_remount_readonly(const struct ocirt_op *op)
{
    unsigned long inherited;
    int in_root = op->header->n[1] == 1;
    if (current_flags(op->s[1], in_root, &inherited) < 0)
        return -1;
    return ocirt_mount_at("", op->s[1], in_root, "", MS_BIND | MS_REMOUNT | MS_RDONLY | (inherited & LOCKABLE_FLAGS), "");
}

int ocirt_op_move_mount(const struct ocirt_op *op)
{
    int detached = (int)op->header->n[0];
    int fd = open_in_root(op->s[1], O_PATH);
    if (fd < 0)
        return -1;
    char pinned[64];
    snprintf(pinned, sizeof pinned, "/proc/self/fd/%d", fd);
    /* T_SYMLINKS: the target is reached through the magic link of the pinned fd. */
    int rc = (int)syscall(SYS_move_mount, detached, "", AT_FDCWD, pinned, MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_SYMLINKS);
    ocirt_close_keeping_errno(fd);
    ocirt_close_keeping_errno(detached);
    ocirt_forget_root_fd();
    return rc;
}

/* The recursive attributes ("rro", ...) on the mount now at the target and every mount below it. */
int ocirt_op_set_mount_attr(const struct ocirt_op *op)
{
    struct mount_attr attr = { .attr_set = (uint64_t)op->header->n[1], .attr_clr = (uint64_t)op->header->n[2] };
    int fd = op->header->n[0] == 1 ? open_in_root(op->s[1], O_PATH) : open(op->s[1], O_PATH | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = (int)syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr);
    ocirt_close_keeping_errno(fd);
    return rc;
}

/* Runs an *at call on the last component of path (not followed) in its parent, resolved in the rootfs and pinned. */
static int at_parent(const char *path, int *dir, const char **name, char *resolved, size_t cap)
{
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    const char *last = slash != NULL ? slash + 1 : parent;
    if (slash != NULL)
        *slash = '\0';
    char resolved_parent[PATH_MAX];
    if (resolve_in_root(parent, resolved_parent, sizeof resolved_parent) < 0)
        return -1;
    if (snprintf(resolved, cap, "%s/%s", strcmp(resolved_parent, "/") == 0 ? "" : resolved_parent, last) >= (int)cap)
        return errno = ENAMETOOLONG, -1;
    return (*dir = open_parent_in_root(resolved, name)) < 0 ? -1 : 0;
}

int ocirt_op_mknod(const struct ocirt_op *op)
{
    char resolved[PATH_MAX];
    const char *name;
    int dir;
    if (at_parent(op->s[1], &dir, &name, resolved, sizeof resolved) < 0)
        return -1;
    mode_t old_umask = umask(0);
    int rc = mknodat(dir, name, (mode_t)op->header->n[0], (dev_t)op->header->n[1]);
    umask(old_umask);
    if (rc < 0 && errno != EEXIST) {
        ocirt_close_keeping_errno(dir);
        return -1;
    }
    rc = fchownat(dir, name, (uid_t)op->header->n[2], (gid_t)op->header->n[3], AT_SYMLINK_NOFOLLOW);
    if (rc < 0)
        ocirt_set_failure("%s", op->s[2]);
    ocirt_close_keeping_errno(dir);
    return rc;
}

int ocirt_op_symlink(const struct ocirt_op *op)
{
    char resolved[PATH_MAX];
    const char *name;
    int dir;
    if (at_parent(op->s[2], &dir, &name, resolved, sizeof resolved) < 0)
        return -1;
    int rc = symlinkat(op->s[1], dir, name);
    ocirt_close_keeping_errno(dir);
    return rc < 0 && errno != EEXIST ? -1 : 0;
}

int ocirt_op_unlink(const struct ocirt_op *op)
{
    char resolved[PATH_MAX];
    const char *name;
    int dir;
    if (at_parent(op->s[1], &dir, &name, resolved, sizeof resolved) < 0)
        return -1;
    int rc = unlinkat(dir, name, 0);
    ocirt_close_keeping_errno(dir);
    return rc < 0 && errno != ENOENT ? -1 : 0;
}

int ocirt_is_directory(const char *path, int in_root)
{
    struct stat st;
    if (in_root) {
        int fd = open_in_root(path, O_PATH);
        if (fd < 0)
            return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
        int rc = fstat(fd, &st);
        ocirt_close_keeping_errno(fd);
        if (rc < 0)
            return -1;
    } else if (stat(path, &st) < 0) {
        return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
    }
    return S_ISDIR(st.st_mode) ? 1 : 0;
}

/* runc's guard for proc and sysfs (CVE-2019-19921): their mount point must not be a symlink or a file. */
int ocirt_op_require_dir(const struct ocirt_op *op)
{
    char on_host[PATH_MAX];
    struct stat st;
    if (host_path(op->s[1], on_host, sizeof on_host) < 0)
        return -1;
    if (lstat(on_host, &st) < 0 || S_ISDIR(st.st_mode))
        return 0;
    errno = 0;
    return -1;
}

/* runc's checkProcMount: a config mount may not land on procfs or sysfs files (e.g. through an image's symlink) but
 * where the compiled program allows it (lxcfs's /proc files, anything below /sys). */
int ocirt_op_refuse_kernel_fs_target(const struct ocirt_op *op)
{
    int fd = open_in_root(op->s[1], O_PATH);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    struct statfs fs;
    int rc = fstatfs(fd, &fs);
    ocirt_close_keeping_errno(fd);
    if (rc < 0)
        return -1;
    int allowed = (int)op->header->n[0];
    if ((fs.f_type == PROC_SUPER_MAGIC && !(allowed & 1)) || (fs.f_type == SYSFS_MAGIC && !(allowed & 2))) {
        errno = 0;
        return -1;
    }
    return 0;
}

/* Copies the entries of directory from into to: files, directories and symlinks with modes and owners. */
static int copy_tree(int from, int to)
{
    DIR *dir = fdopendir(from);
    if (dir == NULL)
        return ocirt_close_keeping_errno(from), -1;
    struct dirent *entry;
    int rc = 0;
    while (rc == 0 && (entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        struct stat st;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            ocirt_set_failure("tmpcopyup: lstat \"%s\"", name);
            rc = -1;
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            int sub_from, sub_to;
            if (mkdirat(to, name, st.st_mode & 07777) < 0
                || (sub_from = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
                ocirt_set_failure("tmpcopyup: copy directory \"%s\"", name);
                rc = -1;
                break;
            }
            if ((sub_to = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
                ocirt_close_keeping_errno(sub_from);
                rc = -1;
                break;
            }
            rc = copy_tree(sub_from, sub_to);
            ocirt_close_keeping_errno(sub_to);
        } else if (S_ISREG(st.st_mode)) {
            int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            int out = in < 0 ? -1 : openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            char buffer[65536];
            ssize_t n = 0;
            while (out >= 0 && (n = read(in, buffer, sizeof buffer)) > 0)
                if (write(out, buffer, (size_t)n) != n) {
                    n = -1;
                    break;
                }
            if (in < 0 || out < 0 || n < 0) {
                ocirt_set_failure("tmpcopyup: copy file \"%s\"", name);
                rc = -1;
            }
            if (in >= 0)
                ocirt_close_keeping_errno(in);
            if (out >= 0)
                ocirt_close_keeping_errno(out);
        } else if (S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            ssize_t n = readlinkat(from, name, target, sizeof target - 1);
            if (n < 0 || (target[n] = '\0', symlinkat(target, to, name)) < 0) {
                ocirt_set_failure("tmpcopyup: copy symlink \"%s\"", name);
                rc = -1;
            }
        } else {
            continue; /* sockets, fifos and devices are not content */
        }
        if (rc == 0 && fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0) {
            ocirt_set_failure("tmpcopyup: chown \"%s\"", name);
            rc = -1;
        }
        if (rc == 0 && !S_ISLNK(st.st_mode) && fchmodat(to, name, st.st_mode & 07777, 0) < 0) {
            ocirt_set_failure("tmpcopyup: chmod \"%s\"", name);
            rc = -1;
        }
    }
    int saved = errno;
    closedir(dir);
    errno = saved;
    return rc;
}

/* runc's "tmpcopyup": a tmpfs on a scratch directory, filled with a copy of the target, then moved over it. */
int ocirt_op_tmpfs_copyup(const struct ocirt_op *op)
{
    unsigned long flags = (unsigned long)op->header->n[0];
    const char *data = op->s[2];
    char scratch[] = "/tmp/ociruntime-copyup.XXXXXX";
    if (mkdtemp(scratch) == NULL)
        return -1;
    int rc = mount("tmpfs", scratch, "tmpfs", flags & ~(unsigned long)MS_RDONLY, or_null(data));
    if (rc == 0) {
        int from = open_in_root(op->s[1], O_RDONLY | O_DIRECTORY);
        int to = from < 0 ? -1 : open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        rc = from < 0 || to < 0 ? -1 : copy_tree(from, to);
        if (to >= 0)
            ocirt_close_keeping_errno(to);
        if (rc == 0 && (flags & MS_RDONLY))
            rc = mount(NULL, scratch, NULL, MS_REMOUNT | flags, or_null(data));
        if (rc == 0)
            rc = ocirt_mount_at(scratch, op->s[1], 1, "", MS_MOVE, "");
        if (rc < 0)
            umount2(scratch, MNT_DETACH);
    }
    int saved = errno;
    rmdir(scratch);
    errno = saved;
    return rc;
}

/* The whole of a /proc file, NUL-terminated, in a malloc'd buffer. */
static char *read_proc_file(const char *path)
{
    int fd = ocirt_open_proc_file(path, O_RDONLY);
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
    ocirt_close_keeping_errno(fd);
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
static int hide_host_kernel_filesystems(const char *root)
{
    /* mountinfo names the rootfs's mounts by its real path (the bundle's may go through a symlink, e.g. /var/run). */
    char real_root[PATH_MAX];
    if (realpath(root, real_root) == NULL)
        return ocirt_set_failure("resolve the rootfs \"%s\"", root), -1;
    char *mountinfo = read_proc_file("self/mountinfo");
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
    free(mountinfo);
    return rc;
}

/*
 * pivot_root(".", "."): the old root is stacked under the new one, then detached (made a slave first, so the
 * unmount does not reach the host); --no-pivot hides the host's procfs and sysfs mounts, moves the rootfs onto "/"
 * and chroots instead.
 */
int ocirt_op_switch_root(const struct ocirt_op *op)
{
    const char *root = op->s[1];
    if (op->header->n[0] == 1) {
        if (hide_host_kernel_filesystems(root) < 0 || chdir(root) < 0 || mount(root, "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0)
            return -1;
    } else {
        int old_root = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (old_root < 0 || chdir(root) < 0)
            return -1;
        if (syscall(SYS_pivot_root, ".", ".") < 0)
            return ocirt_close_keeping_errno(old_root), -1;
        int rc = fchdir(old_root);
        ocirt_close_keeping_errno(old_root);
        if (rc < 0 || mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0 || umount2(".", MNT_DETACH) < 0) {
            ocirt_set_failure("%s: detach the old root", op->s[0]);
            return -1;
        }
    }
    strcpy(rootfs, "/");
    ocirt_forget_root_fd();
    return chdir("/");
}
