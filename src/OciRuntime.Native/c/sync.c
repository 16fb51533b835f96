/*
 * sync.c - frames on the sync socket from the init's side (see protocol.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errno_names.h"
#include "sync.h"

int ocirt_sync_fd = -1;

/*
 * Moves exactly len bytes to or from fd, resuming short transfers and EINTR; -1 with errno on an error, -1 with errno 0
 * at EOF (the peer closed its end: no system call failed, so a failure text names none).
 */
static int transfer_all(int fd, char *p, size_t len, int writing)
{
    while (len > 0) {
        ssize_t n = writing ? write(fd, p, len) : read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            errno = 0;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int ocirt_write_all(int fd, const void *buf, size_t len)
{
    return transfer_all(fd, (char *)buf, len, 1);
}

int ocirt_send_frame(enum ocirt_message type, const void *payload, size_t len)
{
    struct ocirt_frame_header header = { .length = (uint32_t)len, .type = (uint8_t)type };
    if (ocirt_write_all(ocirt_sync_fd, &header, sizeof header) < 0)
        return -1;
    return ocirt_write_all(ocirt_sync_fd, payload, len);
}

/*
 * Reads the first bytes of a frame's header with recvmsg, which alone takes the fds attached to them (SCM_RIGHTS);
 * returns how many bytes it read, or -1 with errno (0 at EOF, EMSGSIZE when more fds came than max_fds).
 */
static ssize_t receive_header_start(char *header, size_t len, int *fds, int *fd_count, int max_fds)
{
    char control[CMSG_SPACE(OCIRT_MAX_BIRTH_FDS * sizeof(int))];
    struct iovec iov = { .iov_base = header, .iov_len = len };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                          .msg_controllen = CMSG_SPACE((size_t)max_fds * sizeof(int)) };
    ssize_t n;
    while ((n = recvmsg(ocirt_sync_fd, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
        ;
    if (n == 0)
        errno = 0;
    if (n <= 0)
        return -1;
    *fd_count = 0;
    for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS && fds != NULL) {
            *fd_count = (int)((cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            memcpy(fds, CMSG_DATA(cmsg), (size_t)*fd_count * sizeof(int));
        }
    }
    if (msg.msg_flags & MSG_CTRUNC)
        return errno = EMSGSIZE, -1;
    return n;
}

int ocirt_receive_frame_with_fds(uint8_t *type, char **payload, uint32_t *length, uint32_t max, int *fds, int *fd_count,
                                 int max_fds)
{
    struct ocirt_frame_header header;
    int no_fds;
    ssize_t started = receive_header_start((char *)&header, sizeof header, fds, fd_count != NULL ? fd_count : &no_fds,
                                           fds != NULL ? max_fds : 0);
    if (started < 0 || transfer_all(ocirt_sync_fd, (char *)&header + started, sizeof header - (size_t)started, 0) < 0)
        return -1;
    if (header.length > max) {
        errno = EMSGSIZE;
        return -1;
    }
    char *buf = malloc((size_t)header.length + 1);
    if (buf == NULL)
        return -1;
    if (transfer_all(ocirt_sync_fd, buf, header.length, 0) < 0) {
        free(buf);
        return -1;
    }
    buf[header.length] = '\0';
    *type = header.type;
    *payload = buf;
    *length = header.length;
    return 0;
}

int ocirt_receive_frame(uint8_t *type, char **payload, uint32_t *length, uint32_t max)
{
    return ocirt_receive_frame_with_fds(type, payload, length, max, NULL, NULL, 0);
}

static int known_errno(int errno_value)
{
    return errno_value > 0 && (size_t)errno_value < sizeof ocirt_errno_texts / sizeof ocirt_errno_texts[0] &&
           ocirt_errno_texts[errno_value].name != NULL;
}

const char *ocirt_errno_message(int errno_value)
{
    return known_errno(errno_value) ? ocirt_errno_texts[errno_value].message : "Unknown error";
}

const char *ocirt_errno_name(int errno_value)
{
    return known_errno(errno_value) ? ocirt_errno_texts[errno_value].name : NULL;
}

void ocirt_append_errno(char *text, size_t cap, int errno_value)
{
    size_t used = strlen(text);
    if (errno_value == 0 || used >= cap)
        return;
    if (known_errno(errno_value))
        snprintf(text + used, cap - used, ": %s (%s)", ocirt_errno_texts[errno_value].name,
                 ocirt_errno_texts[errno_value].message);
    else
        snprintf(text + used, cap - used, ": errno %d", errno_value);
}

void ocirt_send_error(int errno_value, const char *text)
{
    struct {
        int32_t errno_value;
        char text[4096];
    } payload = { .errno_value = errno_value };
    snprintf(payload.text, sizeof payload.text, "%s", text);
    ocirt_append_errno(payload.text, sizeof payload.text, errno_value);
    ocirt_send_frame(OCIRT_MSG_ERROR, &payload, sizeof payload.errno_value + strlen(payload.text));
}
