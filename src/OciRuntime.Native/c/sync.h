/*
 * sync.h - the init's end of the sync socket (protocol.h's frames), shared by the bootstrap (bootstrap.c) and the
 * init's executor (init.c).
 */
#ifndef OCIRT_SYNC_H
#define OCIRT_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "protocol.h"

extern int ocirt_sync_fd;

int ocirt_write_all(int fd, const void *buf, size_t len);
int ocirt_send_frame(enum ocirt_message type, const void *payload, size_t len);
/*
 * Reads one frame's header and its payload into a malloc'd, NUL-terminated buffer (at most max bytes); -1 with errno on
 * an error, -1 with errno 0 at EOF.
 */
int ocirt_receive_frame(uint8_t *type, char **payload, uint32_t *length, uint32_t max);
/* ocirt_receive_frame, also taking up to max_fds fds sent with its first byte (SCM_RIGHTS, close-on-exec) into fds and their count into *fd_count. */
int ocirt_receive_frame_with_fds(uint8_t *type, char **payload, uint32_t *length, uint32_t max, int *fds, int *fd_count, int max_fds);

/* Sends an ERROR frame: errno_value, then text with ": ENAME (description)" appended when errno_value is not 0. */
void ocirt_send_error(int errno_value, const char *text);
/* Appends ": ENAME (description)" for errno_value (when not 0) to text of size cap, as RuntimeError.FromErrno words it. */
void ocirt_append_errno(char *text, size_t cap, int errno_value);
/* glibc's message for an errno, whichever libc the init was built with. */
const char *ocirt_errno_message(int errno_value);
/* Its name ("ENOENT"), or NULL for an errno glibc does not name. */
const char *ocirt_errno_name(int errno_value);

#endif
