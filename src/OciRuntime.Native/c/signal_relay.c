/*
 * signal_relay.c - a foreground `run` or `exec` passes the signals it gets on to the container's process, as runc does.
 * The handler sends each one itself (kill and ioctl are async-signal-safe), so no thread waits for them: .NET's
 * PosixSignalRegistration would start one, and install handlers for SIGCHLD and others besides, in every run.
 * A signal that comes before the process exists is held, and sent when its pid is known.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>

#define HELD_MAX 64

/* 0 until the process exists, then its pid. */
static atomic_int target;
/* Signals caught before then, in order: a slot is 0 until its handler writes it, -1 once sent. */
static atomic_int held[HELD_MAX];
static atomic_int held_count;
/* With a terminal, SIGWINCH resizes the container's pty (the kernel signals its foreground group) and is not relayed. */
static atomic_int winsize_from = -1, winsize_to = -1;
static struct sigaction previous[NSIG];

/* Sends the held signal in slot, unless it was sent already or is not written yet (its handler then sends it). */
static void send_held(int slot, int pid)
{
    int sig = atomic_load(&held[slot]);
    if (sig > 0 && atomic_compare_exchange_strong(&held[slot], &sig, -1))
        kill(pid, sig);
}

static void relay(int sig)
{
    int saved_errno = errno;
    int pid = atomic_load(&target);
    int from = atomic_load(&winsize_from);

    if (sig == SIGWINCH && from >= 0) {
        struct winsize size;
        if (ioctl(from, TIOCGWINSZ, &size) == 0)
            ioctl(atomic_load(&winsize_to), TIOCSWINSZ, &size);
    } else if (pid > 0) {
        kill(pid, sig);
    } else {
        int slot = atomic_fetch_add(&held_count, 1);
        if (slot < HELD_MAX) {
            atomic_store(&held[slot], sig);
            /* The pid may have come since the check above, after ocirt_relay_target looked at this slot. */
            pid = atomic_load(&target);
            if (pid > 0)
                send_held(slot, pid);
        }
    }
    errno = saved_errno;
}

/*
 * Catches the count signals of sigs (ignored ones too: runc relays a SIGHUP that nohup ignored), holding them until
 * ocirt_relay_target. Returns 0, or -1 with errno.
 */
int ocirt_relay_catch(const int *sigs, int count)
{
    struct sigaction action;

    memset(&action, 0, sizeof action);
    action.sa_handler = relay;
    action.sa_flags = SA_RESTART;
    sigfillset(&action.sa_mask);
    for (int i = 0; i < count; i++)
        if (sigaction(sigs[i], &action, &previous[sigs[i]]) < 0)
            return -1;
    return 0;
}

/* From now on the signals go to pid; those held are sent first, in the order they came. */
void ocirt_relay_target(int pid)
{
    atomic_store(&target, pid);
    int count = atomic_load(&held_count);
    for (int slot = 0; slot < count && slot < HELD_MAX; slot++)
        send_held(slot, pid);
}

/* With a terminal: SIGWINCH copies the window size of from (our stdin) to to (the pty master); -1, -1 ends it. */
void ocirt_relay_resize(int from, int to)
{
    atomic_store(&winsize_to, to);
    atomic_store(&winsize_from, from);
}

/* The count signals of sigs get back the dispositions they had before ocirt_relay_catch. */
void ocirt_relay_release(const int *sigs, int count)
{
    for (int i = 0; i < count; i++)
        sigaction(sigs[i], &previous[sigs[i]], NULL);
}
