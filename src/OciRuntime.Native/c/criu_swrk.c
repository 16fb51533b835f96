/*
 * criu_swrk.c - what `checkpoint` and `restore` need to run `criu swrk`: a child whose fds 3, 4, ... are given
 * fds (the RPC socket, namespace files), and the reading of CRIU's answers, one of which carries a pty master.
 * Neither create nor start calls these.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "helpers.h"

/*
 * ocirt_spawn_with_actions with fds[i] as the child's fd 3 + i (and stdio_fd, when >= 0, as its 0, 1 and 2). The
 * sources are first copied above the targets, so that no dup2 overwrites a source a later one reads. Returns 0, or -1
 * with errno.
 */
int ocirt_spawn_with_fds(const char *path, char *const argv[], char *const envp[], int stdio_fd, const int *fds, int count,
                         int *pid_out)
{
    posix_spawn_file_actions_t actions;
    int copies[64];
    int rc = 0, made = 0;

    if (count < 0 || count > 64)
        return errno = EINVAL, -1;
    for (; made < count; made++) {
        copies[made] = fcntl(fds[made], F_DUPFD_CLOEXEC, 3 + count);
        if (copies[made] < 0) {
            rc = errno;
            break;
        }
    }
    if (rc == 0) {
        posix_spawn_file_actions_init(&actions);
        for (int i = 0; stdio_fd >= 0 && i < 3; i++)
            posix_spawn_file_actions_adddup2(&actions, stdio_fd, i);
        for (int i = 0; i < count; i++)
            posix_spawn_file_actions_adddup2(&actions, copies[i], 3 + i);
        if (ocirt_spawn_with_actions(path, argv, envp, &actions, pid_out) < 0)
            rc = errno;
        posix_spawn_file_actions_destroy(&actions);
    }
    for (int i = 0; i < made; i++)
        close(copies[i]);
    return rc == 0 ? 0 : (errno = rc, -1);
}

/*
 * Receives one message of a SOCK_SEQPACKET socket into buf; *fd_out is an fd it carried (SCM_RIGHTS, close-on-exec)
 * or -1. Returns the message's length (0 at end of file), or -1 with errno (EMSGSIZE: it did not fit).
 */
int ocirt_recv_message(int socket, void *buf, int size, int *fd_out)
{
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { .iov_base = buf, .iov_len = (size_t)size };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    struct cmsghdr *cmsg;
    ssize_t n;

    *fd_out = -1;
    do
        n = recvmsg(socket, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
            memcpy(fd_out, CMSG_DATA(cmsg), sizeof(int));
    }
    if (msg.msg_flags & MSG_TRUNC) {
        if (*fd_out >= 0)
            close(*fd_out);
        *fd_out = -1;
        return errno = EMSGSIZE, -1;
    }
    return (int)n;
}
