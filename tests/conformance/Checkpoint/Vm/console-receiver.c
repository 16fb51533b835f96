/*
 * console-receiver SOCKET OUTPUT: the checkpoint VM's --console-socket end (busybox has none). Listens on SOCKET,
 * takes the one pty master a runtime sends (SCM_RIGHTS), and appends what the container writes to its terminal to
 * OUTPUT until the terminal closes. Built static by CheckpointVmFixture.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv)
{
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    char control[CMSG_SPACE(sizeof(int))], byte, buffer[4096];
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    struct cmsghdr *cmsg;
    int listener, connection, master = -1, output;
    ssize_t n;

    if (argc != 3 || strlen(argv[1]) >= sizeof address.sun_path)
        return 2;
    strcpy(address.sun_path, argv[1]);
    listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 1) < 0)
        return 1;
    connection = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (connection < 0 || recvmsg(connection, &msg, MSG_CMSG_CLOEXEC) < 0)
        return 1;
    for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL; cmsg = CMSG_NXTHDR(&msg, cmsg))
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
            memcpy(&master, CMSG_DATA(cmsg), sizeof master);
    output = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (master < 0 || output < 0)
        return 1;
    while ((n = read(master, buffer, sizeof buffer)) > 0)
        if (write(output, buffer, (size_t)n) != n)
            return 1;
    return 0;
}
