/*
 * seccomp-agent.c - a minimal seccomp agent for the SCMP_ACT_NOTIFY conformance test.
 *
 * Usage: seccomp-agent SOCKET STATE_FILE
 * Listens on SOCKET, takes one connection, writes the container process state it receives to STATE_FILE, then
 * answers every notification on the seccompFd that came with it (SCM_RIGHTS) with success (0) without running the
 * syscall, so the container sees e.g. a mkdir succeed that made no directory. Exits when the container is gone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int fail(const char *what)
{
    perror(what);
    return 1;
}

int main(int argc, char **argv)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    static char state[1 << 16];
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { .iov_base = state, .iov_len = sizeof state - 1 };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    int server, connection, listener = -1;
    ssize_t n;
    size_t length = 0;
    FILE *out;

    if (argc != 3 || strlen(argv[1]) >= sizeof addr.sun_path)
        return 2;
    strcpy(addr.sun_path, argv[1]);
    server = socket(AF_UNIX, SOCK_STREAM, 0);
    if (server < 0 || bind(server, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(server, 1) < 0)
        return fail("listen");
    connection = accept(server, NULL, NULL);
    if (connection < 0)
        return fail("accept");

    /* The fd comes with the first bytes; the rest of the state may follow in more reads until the runtime closes. */
    n = recvmsg(connection, &msg, 0);
    if (n <= 0)
        return fail("recvmsg");
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            memcpy(&listener, CMSG_DATA(c), sizeof listener);
    }
    length = (size_t)n;
    while ((n = read(connection, state + length, sizeof state - 1 - length)) > 0)
        length += (size_t)n;
    out = fopen(argv[2], "w");
    if (out == NULL || fwrite(state, 1, length, out) != length || fclose(out) != 0)
        return fail("write state");
    if (listener < 0)
        return fail("no seccompFd received");

    for (;;) {
        struct seccomp_notif request;
        struct seccomp_notif_resp response;

        memset(&request, 0, sizeof request);
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request) < 0) {
            if (errno == EINTR)
                continue;
            return 0; /* the filtered processes are gone */
        }
        memset(&response, 0, sizeof response);
        response.id = request.id;
        ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response);
    }
}
