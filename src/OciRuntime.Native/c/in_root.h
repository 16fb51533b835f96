/*
 * in_root.h - paths inside the container's (untrusted) rootfs (in_root.c), resolved as if the rootfs were "/" from one
 * fd of it, as runc's internal/pathrs resolves them from a root *os.File.
 */
#ifndef OCIRT_IN_ROOT_H
#define OCIRT_IN_ROOT_H

#include <stddef.h>
#include <sys/types.h>

#include <limits.h>

/* The rootfs: its host path ("/" after the root switch) and the fd every lookup starts from. */
struct ocirt_root {
    char path[PATH_MAX];
    int fd;      /* -1 until opened, and again once a mount covered the directory it holds */
    dev_t dev;   /* fd's identity, to tell a mount on the rootfs itself */
    ino_t ino;
};

#define OCIRT_ROOT_INITIAL { .path = "/", .fd = -1 }

/* SET_ROOTFS: path (length bytes) becomes the rootfs, opened now. */
int ocirt_root_set(struct ocirt_root *root, const char *path, size_t length);
/* The root switch made the rootfs "/": the next lookup opens it. */
void ocirt_root_switched(struct ocirt_root *root);
/* Closes the rootfs fd (the next lookup opens the rootfs anew): a created container holds no fd of its root. */
void ocirt_root_close(struct ocirt_root *root);
/* After a mount on target_fd (in root) or on a host path (target_fd -1): closes the rootfs fd if that mount may cover it. */
void ocirt_root_after_mount(struct ocirt_root *root, int target_fd);

/* An fd (close-on-exec) for path in the rootfs; -1 with errno (ENOENT when it is missing). */
int ocirt_open_in_root(struct ocirt_root *root, const char *path, int flags);
/* The parent directory of path in the rootfs, pinned, the last component (*name, not followed) to an *at call; the
 * path as resolved in resolved. */
int ocirt_open_parent_in_root(struct ocirt_root *root, const char *path, const char **name, char *resolved, size_t cap);
/* mkdir -p of path in the rootfs (symlinks resolved inside it), 0755. */
int ocirt_mkdirs_in_root(struct ocirt_root *root, const char *path);
/* An empty file at path in the rootfs, its directories made; an existing one stays. */
int ocirt_mkfile_in_root(struct ocirt_root *root, const char *path);
/* Whether path (in the rootfs when in_root, else on the host) is a directory; -1 with errno on other errors than ENOENT. */
int ocirt_is_directory_in_root(struct ocirt_root *root, const char *path, int in_root);
/* path (absolute, in the rootfs) as the host sees it, without following anything. */
int ocirt_host_path(const struct ocirt_root *root, const char *path, char *out, size_t cap);

#endif
