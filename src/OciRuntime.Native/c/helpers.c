/*
 * helpers.c - process primitives the managed code cannot do safely itself: spawning a child of a
 * multi-threaded process, and the final execve with the signal and fd hygiene it needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <termios.h>

#include "helpers.h"
#include "seccomp.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/*
 * posix_spawn (vfork-like, safe in a multi-threaded process) with the given file actions, every signal at its default
 * and an empty mask: .NET ignores SIGPIPE and blocks signals, which a child would inherit. Returns 0 and the pid, or -1
 * with errno.
 */
int ocirt_spawn_with_actions(const char *path, char *const argv[], char *const envp[],
                             const posix_spawn_file_actions_t *actions, int *pid_out)
{
    posix_spawnattr_t attr;
    sigset_t all, none;
    pid_t pid;
    int rc;

    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    rc = posix_spawn(&pid, path, actions, &attr, argv, envp);
    posix_spawnattr_destroy(&attr);
    if (rc != 0)
        return errno = rc, -1;
    *pid_out = pid;
    return 0;
}

/* ocirt_spawn_with_actions with stdin_fd (when >= 0) as the child's stdin. */
int ocirt_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int *pid_out)
{
    posix_spawn_file_actions_t actions;
    int rc;

    posix_spawn_file_actions_init(&actions);
    if (stdin_fd >= 0)
        posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    rc = ocirt_spawn_with_actions(path, argv, envp, &actions, pid_out);
    posix_spawn_file_actions_destroy(&actions);
    return rc;
}

/*
 * What execve would not reset, for the container's program: defaults for all signals and an empty mask; every fd above
 * keep_fds_upto (stdio and the preserved fds stay) marked close-on-exec, or closed now (close_now: no execve follows).
 * A seccomp filter (when given) is loaded last, so that it has only what follows to allow. Returns 0, or -1 with errno.
 */
int ocirt_reset_process(int keep_fds_upto, int close_now, const void *seccomp_filter, int seccomp_instructions,
                        unsigned int seccomp_flags)
{
    struct sigaction dfl;
    sigset_t none;

    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++)
        sigaction(sig, &dfl, NULL); /* fails harmlessly for SIGKILL, SIGSTOP and the unused ones */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (syscall(SYS_close_range, (unsigned)keep_fds_upto + 1, ~0U, close_now ? 0 : CLOSE_RANGE_CLOEXEC) < 0)
        return -1;
    if (seccomp_filter != NULL && ocirt_seccomp_load(seccomp_filter, seccomp_instructions, seccomp_flags) < 0)
        return -1;
    return 0;
}

/*
 * Sends payload (len >= 1) over a unix stream socket with fd attached to its first byte (SCM_RIGHTS); the rest
 * of a partial send follows without it. Returns 0, or -1 with errno.
 */
int ocirt_send_with_fd(int sock, int fd, const void *payload, int len)
{
    struct iovec iov = { .iov_base = (void *)payload, .iov_len = (size_t)len };
    char control[CMSG_SPACE(sizeof(int))];
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    struct cmsghdr *cmsg;
    ssize_t sent;

    memset(control, 0, sizeof control);
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    while ((sent = sendmsg(sock, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    if (sent < 0)
        return -1;
    for (size_t done = (size_t)sent; done < (size_t)len; done += (size_t)sent) {
        while ((sent = send(sock, (const char *)payload + done, (size_t)len - done, MSG_NOSIGNAL)) < 0 && errno == EINTR)
            ;
        if (sent < 0)
            return -1;
    }
    return 0;
}

/* Sends fd over a unix socket (SCM_RIGHTS) with a one-byte payload, as runc sends a pty master to a console socket. */
int ocirt_send_fd(int sock, int fd)
{
    char byte = 0;
    return ocirt_send_with_fd(sock, fd, &byte, 1);
}

/* Receives one fd sent with SCM_RIGHTS (close-on-exec); returns it, or -1 with errno (EBADMSG: the message had none). */
int ocirt_recv_fd(int sock)
{
    char buffer[256];
    struct iovec iov = { .iov_base = buffer, .iov_len = sizeof buffer };
    char control[CMSG_SPACE(sizeof(int))];
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    struct cmsghdr *cmsg;
    int fd;

    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) < 0)
        return -1;
    cmsg = CMSG_FIRSTHDR(&msg);
    if (cmsg == NULL || cmsg->cmsg_type != SCM_RIGHTS)
        return errno = EBADMSG, -1;
    memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
    return fd;
}

/* Connects a unix stream socket (close-on-exec) to path, e.g. an engine's --console-socket; returns fd, or -1 with errno. */
int ocirt_connect_unix(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof addr.sun_path)
        return errno = ENAMETOOLONG, -1;
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        int saved = errno;
        close(fd);
        return errno = saved, -1;
    }
    return fd;
}

/*
 * Puts a terminal in raw mode, saving its settings into saved (at least sizeof(struct termios)); returns 0, or -1 with errno.
 * Output processing stays on, as runc keeps it: the container's pty sends bare "\n" (ocirt_tty_clear_onlcr) and this
 * terminal turns it into "\r\n" for the screen.
 */
int ocirt_tty_make_raw(int fd, void *saved, int saved_size)
{
    struct termios raw;

    if ((size_t)saved_size < sizeof raw)
        return errno = EINVAL, -1;
    if (tcgetattr(fd, &raw) < 0)
        return -1;
    memcpy(saved, &raw, sizeof raw);
    cfmakeraw(&raw);
    raw.c_oflag |= OPOST;
    return tcsetattr(fd, TCSANOW, &raw);
}

/* Stops a pty turning "\n" into "\r\n" (runc's -onlcr), so relayed output is the process's bytes; 0, or -1 with errno. */
int ocirt_tty_clear_onlcr(int fd)
{
    struct termios settings;

    if (tcgetattr(fd, &settings) < 0)
        return -1;
    settings.c_oflag &= ~(tcflag_t)ONLCR;
    return tcsetattr(fd, TCSANOW, &settings);
}

int ocirt_tty_restore(int fd, const void *saved)
{
    return tcsetattr(fd, TCSANOW, (const struct termios *)saved);
}
