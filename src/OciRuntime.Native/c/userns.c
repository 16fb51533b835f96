/*
 * userns.c - a user namespace to hold an id mapping, for idmapped mounts (Launch/IdmappedMounts.cs).
 *
 * mount_setattr(MOUNT_ATTR_IDMAP) takes the mapping as a user namespace fd, and only a process can create a user
 * namespace. The runtime is multi-threaded, so the child is made with a raw clone(CLONE_NEWUSER) and does nothing but
 * wait: the caller writes its uid_map/gid_map, opens /proc/<pid>/ns/user, then releases and reaps it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * Starts a child in a new user namespace that lives until *release_fd is closed. Returns its pid, or -1 with errno.
 * The child only calls read(2) and _exit(2): nothing that a copy of a multi-threaded process may not do.
 */
int ocirt_start_userns_holder(int *release_fd)
{
    int fds[2];
    long pid;

    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid == 0) {
        char byte;
        close(fds[1]);
        while (read(fds[0], &byte, 1) < 0 && errno == EINTR)
            ;
        _exit(0);
    }
    close(fds[0]);
    if (pid < 0) {
        int saved = errno;
        close(fds[1]);
        return errno = saved, -1;
    }
    *release_fd = fds[1];
    return (int)pid;
}
