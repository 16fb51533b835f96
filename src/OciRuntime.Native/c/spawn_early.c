/*
 * spawn_early.c - starts the container init's bootstrap without waiting for its execve. posix_spawn's CLONE_VFORK
 * holds the calling thread until the child has executed, a third of a millisecond on create's critical path for the
 * 116 KiB static init image. Here the child is a clone(CLONE_VM) on a stack of its own: it shares our memory and our
 * threads' TLS, so from its first instruction to its execve it makes raw system calls only, and calls nothing that
 * touches errno, a lock or the heap (memcpy and strlen do not).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "protocol.h"
#include "sealed_exe.h"
#include "sync.h"

#define CHILD_STACK (32 * 1024)
#define FAILURE_MAX 200

#if defined(__x86_64__)
static long raw_syscall(long number, long a, long b, long c, long d, long e)
{
    long result;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
                     : "rcx", "r11", "memory");
    return result;
}
#endif

/* What the child needs, in the block it runs on: nothing of it is freed by the caller meanwhile. */
struct early_child {
    int exe_fd;
    const char *fill; /* what the child writes into exe_fd and seals before executing it, or NULL */
    size_t fill_length;
    char **argv;
    char **envp;
    int report_fd;
    struct {
        struct ocirt_frame_header header;
        int32_t errno_value;
        char text[FAILURE_MAX];
    } __attribute__((packed)) failure;
};

/* The kernel's struct sigaction, as rt_sigaction takes it. */
struct kernel_sigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    uint64_t mask;
};

#if defined(__x86_64__)
/*
 * Reports a failed step as the Error frame the parent reads where it awaits the bootstrap's first word ("<text>:
 * EACCES (Permission denied)", or "<text>: write: ENOSPC (...)" for a step before the execve) and exits 127.
 */
static void fail(struct early_child *child, const char *step, int errno_value)
{
    size_t used = strlen(child->failure.text);
    const char *name = ocirt_errno_name(errno_value);
    const char *parts[] = { step != NULL ? ": " : "", step != NULL ? step : "", ": ", name != NULL ? name : "errno", " (",
                            ocirt_errno_message(errno_value), ")" };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t length = strlen(parts[i]);
        if (used + length >= sizeof child->failure.text)
            break;
        memcpy(child->failure.text + used, parts[i], length);
        used += length;
    }
    child->failure.errno_value = errno_value;
    child->failure.header.length = (uint32_t)(sizeof child->failure.errno_value + used);
    raw_syscall(SYS_write, child->report_fd, (long)&child->failure, (long)(sizeof child->failure.header + child->failure.header.length), 0, 0);
    raw_syscall(SYS_exit_group, 127, 0, 0, 0, 0);
}

static int early_child_main(void *arg)
{
    struct early_child *child = arg;
    struct kernel_sigaction default_action = { .handler = SIG_DFL };
    uint64_t no_signals = 0;

    /* Every signal blocked since the clone: our handlers must not run here, on memory the caller uses. */
    for (long sig = 1; sig <= 64; sig++)
        raw_syscall(SYS_rt_sigaction, sig, (long)&default_action, 0, sizeof no_signals, 0);
    raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&no_signals, 0, sizeof no_signals, 0);
    if (child->fill != NULL) {
        for (size_t written = 0; written < child->fill_length;) {
            long n = raw_syscall(SYS_write, child->exe_fd, (long)(child->fill + written), (long)(child->fill_length - written), 0, 0);
            if (n == -EINTR)
                continue;
            if (n <= 0)
                fail(child, "write", n < 0 ? (int)-n : EIO);
            written += (size_t)n;
        }
        long sealed = raw_syscall(SYS_fcntl, child->exe_fd, F_ADD_SEALS, OCIRT_SEALS, 0, 0);
        if (sealed < 0)
            fail(child, "seal", (int)-sealed);
    }
    long rc = raw_syscall(SYS_execveat, child->exe_fd, (long)"", (long)child->argv, (long)child->envp, AT_EMPTY_PATH);
    fail(child, NULL, (int)-rc);
    return 0;
}
#endif

/* Copies strings (NULL-terminated) into the block at *cursor: the copy's pointer array. */
static char **copy_strings(char *const strings[], char **cursor)
{
    size_t count = 0;
    while (strings[count] != NULL)
        count++;
    char **copy = (char **)*cursor;
    *cursor += (count + 1) * sizeof(char *);
    for (size_t i = 0; i < count; i++) {
        size_t length = strlen(strings[i]) + 1;
        memcpy(*cursor, strings[i], length);
        copy[i] = *cursor;
        *cursor += length;
    }
    copy[count] = NULL;
    return copy;
}

static size_t strings_size(char *const strings[])
{
    size_t size = sizeof(char *);
    for (size_t i = 0; strings[i] != NULL; i++)
        size += sizeof(char *) + strlen(strings[i]) + 1;
    return size;
}

/*
 * Executes exe_fd (execveat AT_EMPTY_PATH: the caller may close it at once, the child has its own copy) with argv and
 * envp in a child with every signal at its default and an empty mask, returning as soon as the child exists. With fill,
 * exe_fd is an empty memfd that the child first fills with fill_length bytes of fill (memory the caller never frees)
 * and seals (OCIRT_SEALS). A failed step is an Error frame with its errno and failure_text on report_fd, and the child
 * exits 127. The block the child runs on (its stack, the copies of argv and envp) is never unmapped: the caller cannot
 * know when the child stops using it, and it is one per create or exec. Returns 0 and the pid, or -1 with errno
 * (ENOSYS where unsupported).
 */
int ocirt_spawn_early(int exe_fd, const char *fill, size_t fill_length, char *const argv[], char *const envp[],
                      int report_fd, const char *failure_text, int *pid_out)
{
#if defined(__x86_64__)
    size_t size = CHILD_STACK + sizeof(struct early_child) + 16 + strings_size(argv) + strings_size(envp);
    char *block = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED)
        return -1;
    struct early_child *child = (struct early_child *)(block + CHILD_STACK);
    char *cursor = (char *)(child + 1);
    cursor += (uintptr_t)cursor % 8 == 0 ? 0 : 8 - (uintptr_t)cursor % 8;
    child->exe_fd = exe_fd;
    child->fill = fill;
    child->fill_length = fill_length;
    child->argv = copy_strings(argv, &cursor);
    child->envp = copy_strings(envp, &cursor);
    child->report_fd = report_fd;
    size_t text = strnlen(failure_text, FAILURE_MAX / 2);
    memcpy(child->failure.text, failure_text, text);
    child->failure.text[text] = '\0';
    child->failure.header.type = OCIRT_MSG_ERROR;

    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    int pid = clone(early_child_main, block + CHILD_STACK, CLONE_VM | SIGCHLD, child);
    int saved_errno = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (pid < 0) {
        munmap(block, size);
        return errno = saved_errno, -1;
    }
    *pid_out = pid;
    return 0;
#else
    (void)exe_fd, (void)fill, (void)fill_length, (void)argv, (void)envp, (void)report_fd, (void)failure_text, (void)pid_out;
    return errno = ENOSYS, -1;
#endif
}
