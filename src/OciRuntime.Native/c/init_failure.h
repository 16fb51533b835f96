/*
 * init_failure.h - how the init's operations fail, and where the init reports it (init_failure.c): a leaf every init
 * file includes, as runc keeps bail() in nsenter/log.h.
 *
 * The convention: a function returns -1 with errno set (0 when no system call failed: ocirt_fail_without_errno) and
 * may replace the operation's error text with ocirt_set_failure; the executor (init.c) reports the text with errno's
 * name appended. Fds and buffers that an error path must release are declared OCIRT_AUTOCLOSE / OCIRT_AUTOFREE, and
 * handed over with OCIRT_TAKE_FD.
 */
#ifndef OCIRT_INIT_FAILURE_H
#define OCIRT_INIT_FAILURE_H

/*
 * Replaces the op's error text (its s0) by a formatted one for this failure, e.g. with what was found at run time.
 * The errno at the time of the op's failure is still appended.
 */
void ocirt_set_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A failure no system call reported (errno 0, nothing appended), in words formatted as ocirt_set_failure's; returns -1. */
int ocirt_fail_without_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Clears the text a failed operation left, before the next one runs. */
void ocirt_clear_failure(void);
/* The text ocirt_set_failure left for this operation, or NULL. */
const char *ocirt_failure_text(void);

/* The sync socket is gone (closed with the runtime's fds): a failure from now on goes to the container's stderr. */
void ocirt_parent_stops_listening(void);
/* READY: whether the parent still listens for a failure after it (exec: until the execve). */
void ocirt_parent_keeps_listening(int listening);

/* Ends the init with text (and errno_value's name): to the parent while it listens, else to the container's stderr. */
void __attribute__((noreturn)) ocirt_init_fail(int errno_value, const char *text);

/* close() that keeps the errno of what failed before it. */
void ocirt_close_keeping_errno(int fd);
/* The cleanups of OCIRT_AUTOCLOSE and OCIRT_AUTOFREE: each keeps errno. */
void ocirt_close_fd_at(const int *fd);
void ocirt_free_at(void *pointer);
#define OCIRT_AUTOCLOSE __attribute__((cleanup(ocirt_close_fd_at)))
#define OCIRT_AUTOFREE __attribute__((cleanup(ocirt_free_at)))
/* The fd of an OCIRT_AUTOCLOSE variable whose ownership moves on (returned, kept, closed by the callee): disarmed. */
#define OCIRT_TAKE_FD(fd) __extension__({ int taken_ = (fd); (fd) = -1; taken_; })

#endif
