/*
 * init_failure.c - the init's failure text and where it goes (init_failure.h): an ERROR frame on the sync socket while
 * the parent listens, else a line on the container's stderr. Its state is its own: any depth of the init may set the
 * text, and only the executor reads it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "init_failure.h"
#include "sync.h"

/* Zero-initialized (no 4 KiB of .data in the init image): the parent listens until READY or the execve say otherwise. */
static struct {
    int parent_stopped_listening;
    int text_set;
    char text[4096];
} failure;

static void set_text(const char *fmt, va_list ap)
{
    vsnprintf(failure.text, sizeof failure.text, fmt, ap);
    failure.text_set = 1;
}

void ocirt_set_failure(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    set_text(fmt, ap);
    va_end(ap);
    errno = saved;
}

int ocirt_fail_without_errno(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_text(fmt, ap);
    va_end(ap);
    errno = 0;
    return -1;
}

void ocirt_clear_failure(void)
{
    failure.text_set = 0;
}

const char *ocirt_failure_text(void)
{
    return failure.text_set ? failure.text : NULL;
}

void ocirt_parent_stops_listening(void)
{
    failure.parent_stopped_listening = 1;
}

void ocirt_parent_keeps_listening(int listening)
{
    failure.parent_stopped_listening = !listening;
}

void ocirt_init_fail(int errno_value, const char *text)
{
    if (!failure.parent_stopped_listening) {
        ocirt_send_error(errno_value, text);
    } else {
        char line[sizeof failure.text + 256];
        snprintf(line, sizeof line, "ociruntime init: %s", text);
        ocirt_append_errno(line, sizeof line - 1, errno_value);
        strcat(line, "\n");
        ocirt_write_all(2, line, strlen(line));
    }
    _exit(1);
}

void ocirt_close_keeping_errno(int fd)
{
    int saved = errno;
    close(fd);
    errno = saved;
}

void ocirt_close_fd_at(const int *fd)
{
    if (*fd >= 0)
        ocirt_close_keeping_errno(*fd);
}

void ocirt_free_at(void *pointer)
{
    int saved = errno;
    free(*(void **)pointer);
    errno = saved;
}
