/*
 * in_root.c - paths inside the container's (untrusted) rootfs (in_root.h).
 *
 * A path "in root" is resolved as if the rootfs were "/" (an absolute symlink restarts at the rootfs, ".." stops at
 * it), and what is created or mounted there goes through an fd pinned with openat2(RESOLVE_IN_ROOT) from the rootfs fd
 * for each call, so a symlink swapped in after the resolution (runc's CVE-2021-30465) cannot lead out of it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "in_root.h"
#include "init_failure.h"

#define MAX_SYMLINKS 255

/* Opens root->path, unless it is open: openat, as musl's open adds an fcntl for O_CLOEXEC. */
static int open_root(struct ocirt_root *root)
{
    if (root->fd >= 0)
        return 0;
    struct stat st;
    int fd OCIRT_AUTOCLOSE = openat(AT_FDCWD, root->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0)
        return ocirt_set_failure("open rootfs \"%s\"", root->path), -1;
    root->dev = st.st_dev;
    root->ino = st.st_ino;
    root->fd = OCIRT_TAKE_FD(fd);
    return 0;
}

int ocirt_root_set(struct ocirt_root *root, const char *path, size_t length)
{
    if (length == 0 || length >= sizeof root->path)
        return errno = ENAMETOOLONG, -1;
    ocirt_root_close(root);
    memcpy(root->path, path, length + 1);
    return open_root(root);
}

void ocirt_root_switched(struct ocirt_root *root)
{
    strcpy(root->path, "/");
    ocirt_root_close(root);
}

void ocirt_root_close(struct ocirt_root *root)
{
    ocirt_close_fd_at(&root->fd);
    root->fd = -1;
}

void ocirt_root_after_mount(struct ocirt_root *root, int target_fd)
{
    struct stat st;
    /* A host path may be the rootfs or hold it; a path in root covers it only when it resolved to the root itself. */
    if (target_fd < 0 || fstat(target_fd, &st) < 0 || (st.st_dev == root->dev && st.st_ino == root->ino))
        ocirt_root_close(root);
}

int ocirt_host_path(const struct ocirt_root *root, const char *path, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s%s", strcmp(root->path, "/") == 0 ? "" : root->path, path);
    if (n < 0 || (size_t)n >= cap)
        return errno = ENAMETOOLONG, -1;
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
 * directories along symlinks and on kernels without openat2; what exists is then opened pinned (ocirt_open_in_root).
 */
static int resolve_in_root(const struct ocirt_root *root, const char *path, char *out, size_t cap)
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
        if (ocirt_host_path(root, candidate, on_host, sizeof on_host) < 0)
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

/* openat2(RESOLVE_IN_ROOT) from the rootfs fd; before Linux 5.6, resolved here. */
int ocirt_open_in_root(struct ocirt_root *root, const char *path, int flags)
{
    if (open_root(root) < 0)
        return -1;
    struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    while (*path == '/')
        path++;
    int fd, attempts = 0;
    /* EAGAIN: a ".." was resolved while a mount or rename happened anywhere on the host; openat2(2) asks for a retry. */
    do
        fd = (int)syscall(SYS_openat2, root->fd, *path == '\0' ? "." : path, &how, sizeof how);
    while (fd < 0 && errno == EAGAIN && ++attempts < 64);
    if (fd < 0 && errno == ENOSYS) {
        char resolved[PATH_MAX], on_host[PATH_MAX];
        if (resolve_in_root(root, path, resolved, sizeof resolved) < 0 || ocirt_host_path(root, resolved, on_host, sizeof on_host) < 0)
            return -1;
        return open(on_host, flags | O_NOFOLLOW | O_CLOEXEC);
    }
    return fd;
}

/* The parent directory of an absolute, resolved path in the rootfs, pinned; *name is its last component. */
static int open_resolved_parent(struct ocirt_root *root, char *resolved, const char **name)
{
    char *slash = strrchr(resolved, '/');
    *name = slash + 1;
    if (slash == resolved)
        return ocirt_open_in_root(root, "/", O_PATH | O_DIRECTORY);
    *slash = '\0';
    int fd = ocirt_open_in_root(root, resolved, O_PATH | O_DIRECTORY);
    *slash = '/';
    return fd;
}

int ocirt_open_parent_in_root(struct ocirt_root *root, const char *path, const char **name, char *resolved, size_t cap)
{
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    const char *last = slash != NULL ? slash + 1 : parent;
    if (slash != NULL)
        *slash = '\0';
    char resolved_parent[PATH_MAX];
    if (resolve_in_root(root, parent, resolved_parent, sizeof resolved_parent) < 0)
        return -1;
    if (snprintf(resolved, cap, "%s/%s", strcmp(resolved_parent, "/") == 0 ? "" : resolved_parent, last) >= (int)cap)
        return errno = ENAMETOOLONG, -1;
    return open_resolved_parent(root, resolved, name);
}

/* Whether path exists in the rootfs (as a directory when that is asked): one lookup, where making it walks each level. */
static int exists_in_root(struct ocirt_root *root, const char *path, int flags)
{
    int fd OCIRT_AUTOCLOSE = ocirt_open_in_root(root, path, O_PATH | flags);
    return fd >= 0;
}

int ocirt_mkdirs_in_root(struct ocirt_root *root, const char *path)
{
    if (exists_in_root(root, path, O_DIRECTORY))
        return 0;
    char resolved[PATH_MAX];
    if (resolve_in_root(root, path, resolved, sizeof resolved) < 0)
        return -1;
    /* resolved has no symlink left: each level is made, then entered without following one (a swapped-in link fails);
     * the last one may exist as anything. */
    int dir OCIRT_AUTOCLOSE = ocirt_open_in_root(root, "/", O_PATH | O_DIRECTORY);
    if (dir < 0)
        return -1;
    for (char *next = resolved + 1; *next != '\0';) {
        char *slash = strchrnul(next, '/');
        int last = *slash == '\0';
        *slash = '\0';
        if (mkdirat(dir, next, 0755) < 0 && errno != EEXIST) {
            ocirt_set_failure("mkdir \"%s\" in \"%s\"", resolved, root->path);
            return -1;
        }
        if (last)
            break;
        /* A level that is not a directory fails here (ENOTDIR), in the words of the operation. */
        int level = openat(dir, next, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (level < 0)
            return -1;
        ocirt_close_keeping_errno(dir);
        dir = level;
        *slash = '/';
        next = slash + 1;
    }
    return 0;
}

int ocirt_mkfile_in_root(struct ocirt_root *root, const char *path)
{
    if (exists_in_root(root, path, 0))
        return 0;
    char resolved[PATH_MAX];
    if (resolve_in_root(root, path, resolved, sizeof resolved) < 0)
        return -1;
    char directory[PATH_MAX];
    memcpy(directory, resolved, strlen(resolved) + 1);
    drop_last(directory);
    if (directory[0] != '\0' && ocirt_mkdirs_in_root(root, directory) < 0)
        return -1;
    const char *name;
    int dir OCIRT_AUTOCLOSE = open_resolved_parent(root, resolved, &name);
    if (dir < 0)
        return -1;
    if (mknodat(dir, name, S_IFREG | 0644, 0) < 0 && errno != EEXIST) {
        ocirt_set_failure("create \"%s\" in \"%s\"", resolved, root->path);
        return -1;
    }
    return 0;
}

int ocirt_is_directory_in_root(struct ocirt_root *root, const char *path, int in_root)
{
    struct stat st;
    if (in_root) {
        int fd OCIRT_AUTOCLOSE = ocirt_open_in_root(root, path, O_PATH);
        if (fd < 0)
            return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
        if (fstat(fd, &st) < 0)
            return -1;
    } else if (stat(path, &st) < 0) {
        return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
    }
    return S_ISDIR(st.st_mode) ? 1 : 0;
}
