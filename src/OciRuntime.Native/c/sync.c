/*
 * sync.c - frames on the sync socket from the init's side (see protocol.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int ocirt_receive_frame(uint8_t *type, char **payload, uint32_t *length, uint32_t max)
{
    struct ocirt_frame_header header;
    if (transfer_all(ocirt_sync_fd, (char *)&header, sizeof header, 0) < 0)
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

static int known_errno(int errno_value)
{
    return errno_value > 0 && (size_t)errno_value < sizeof ocirt_errno_texts / sizeof ocirt_errno_texts[0] &&
           ocirt_errno_texts[errno_value].name != NULL;
}

const char *ocirt_errno_message(int errno_value)
{
    return known_errno(errno_value) ? ocirt_errno_texts[errno_value].message : "Unknown error";
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
