/*
 * seccomp.c - loads a seccomp filter that `create` compiled with libseccomp (Seccomp/SeccompCompiler.cs).
 * The init cannot use libseccomp itself: after pivot_root the host's libraries are gone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp.h"

/*
 * Installs the filter on the calling thread (only that thread: the init calls execve from it), with
 * SECCOMP_FILTER_FLAG_* flags. Needs no_new_privs or CAP_SYS_ADMIN. Returns the listener fd for
 * SECCOMP_FILTER_FLAG_NEW_LISTENER, else 0, or -1 with errno set.
 */
int ocirt_seccomp_load(const void *filter, int instructions, unsigned int flags)
{
    struct sock_fprog program = { .len = (unsigned short)instructions, .filter = (struct sock_filter *)filter };
    if (instructions <= 0 || instructions > BPF_MAXINSNS)
        return errno = EINVAL, -1;
    return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &program);
}
