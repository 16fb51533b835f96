/*
 * sealed_exe.c - the guard against runc's CVE-2019-5736: a process that enters a container runs from a sealed,
 * anonymous copy of the runtime binary, not from the host file.
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
#include <unistd.h>

#include "sealed_exe.h"

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

/* Copies fd's whole content into a new sealed memfd; returns it or -errno. */
static int sealed_copy_of(int fd)
{
    struct stat st;
    int copy;

    if (fstat(fd, &st) < 0)
        return -errno;
    copy = memfd_create("ociruntime", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (copy < 0)
        return -errno;
    for (off_t done = 0; done < st.st_size;) {
        ssize_t n = sendfile(copy, fd, &done, (size_t)(st.st_size - done));
        if (n <= 0) {
            int saved = n < 0 ? errno : EIO;
            close(copy);
            return -saved;
        }
    }
    if (fcntl(copy, F_ADD_SEALS, SEALS) < 0) {
        int saved = errno;
        close(copy);
        return -saved;
    }
    return copy;
}

/*
 * Re-executes the process from a sealed copy of /proc/self/exe, with the same argv, environment and fds, unless it
 * already runs from one or from a read-only mount. Returns 0 when nothing was needed, -errno on failure (on success
 * it does not return: the copy starts over, and this time returns 0).
 */
int ocirt_run_from_sealed_copy(char **argv)
{
    struct statvfs vfs;
    int self, copy;

    self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (self < 0)
        return -errno;
    if (fcntl(self, F_GET_SEALS) == SEALS || (fstatvfs(self, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))) {
        close(self);
        return 0;
    }
    copy = sealed_copy_of(self);
    close(self);
    if (copy < 0)
        return copy;
    fexecve(copy, argv, environ);
    close(copy);
    return -errno;
}
