/*
 * sealed_exe.c - the guard against runc's CVE-2019-5736: a process that enters a container runs from a read-only
 * mount of the runtime binary (ocirt_open_readonly_exe, used by `create` and `exec` where they may mount) or from a
 * sealed, anonymous copy of it (ocirt_run_from_sealed_copy, the bootstrap's fallback), never from the writable host file.
 *
 * While the init (or a process joining the container) still runs our binary inside the container's namespaces, a
 * container process can open /proc/<pid>/exe and, once we exec'd, write through it to the host's runtime binary,
 * which every later container start would then run as root on the host. A memfd sealed against writes cannot be
 * changed, and it is not the host file; a binary on a read-only mount is safe as it is (EROFS) and is not copied.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sealed_exe.h"

extern char **environ;

int ocirt_seal(int memfd)
{
    if (fcntl(memfd, F_ADD_SEALS, OCIRT_SEALS) < 0) {
        int saved = errno;
        close(memfd);
        return errno = saved, -1;
    }
    return memfd;
}

/* Copies fd's whole content into a new sealed memfd; returns it, or -1 with errno. */
static int sealed_copy_of(int fd)
{
    struct stat st;
    int copy;

    if (fstat(fd, &st) < 0)
        return -1;
    copy = memfd_create("ociruntime", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (copy < 0)
        return -1;
    for (off_t done = 0; done < st.st_size;) {
        ssize_t n = sendfile(copy, fd, &done, (size_t)(st.st_size - done));
        if (n <= 0) {
            int saved = n < 0 ? errno : EIO;
            close(copy);
            return errno = saved, -1;
        }
    }
    return ocirt_seal(copy);
}

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif

struct ocirt_mount_attr {
    unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

/*
 * The cheap form of the guard, for `create` and `exec` to start the init from: a detached, read-only bind mount of
 * our own binary (open_tree + mount_setattr, which need CAP_SYS_ADMIN). A process started from it has
 * /proc/<pid>/exe on a read-only mount, so writing through it fails with EROFS and the bootstrap needs no copy.
 * Returns the close-on-exec fd (exec "/proc/self/fd/<fd>"), or -1 with errno; callers fall back to the sealed copy.
 */
int ocirt_open_readonly_exe(void)
{
    struct ocirt_mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
    int tree = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc/self/exe", OPEN_TREE_CLONE | O_CLOEXEC);
    if (tree < 0)
        return -1;
    if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) {
        int saved = errno;
        close(tree);
        return errno = saved, -1;
    }
    return tree;
}

/*
 * Re-executes the process from a sealed copy of /proc/self/exe, with the same argv, environment and fds, unless it
 * already runs from one or from a read-only mount. Returns 0 when nothing was needed, -1 with errno on failure (on success
 * it does not return: the copy starts over, and this time returns 0).
 */
int ocirt_run_from_sealed_copy(char **argv)
{
    struct statvfs vfs;
    int self, copy;

    self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (self < 0)
        return -1;
    if (fcntl(self, F_GET_SEALS) == OCIRT_SEALS || (fstatvfs(self, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))) {
        close(self);
        return 0;
    }
    copy = sealed_copy_of(self);
    int saved = errno;
    close(self);
    if (copy < 0)
        return errno = saved, -1;
    fexecve(copy, argv, environ);
    saved = errno;
    close(copy);
    return errno = saved, -1;
}
