/*
 * embed.c - the init image inside the binary, and the sealed memfd that `create` and `exec` start the bootstrap from.
 *
 * The image is the bootstrap and the init (this folder's parent) linked statically against musl: a process started
 * from it needs no dynamic loader and no glibc start-up, whose CPU-cache probing alone costs about 0.7 ms of cpuid
 * traps per process in a VM, and it maps 100 KiB instead of this 12 MiB binary. A sealed memfd is also the
 * CVE-2019-5736 guard (sealed_exe.c): the container cannot write through /proc/<pid>/exe to anything. `create` and
 * `exec` have the bootstrap fill and seal its own memfd (ocirt_spawn_init_image): the 116 KiB write, 0.1 ms, is off
 * their path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../sealed_exe.h"

__asm__(".section .rodata\n"
        ".balign 16\n"
        ".global ocirt_init_image\n"
        ".hidden ocirt_init_image\n"
        "ocirt_init_image:\n"
        ".incbin \"" OCIRT_INIT_IMAGE "\"\n"
        ".global ocirt_init_image_end\n"
        ".hidden ocirt_init_image_end\n"
        "ocirt_init_image_end:\n"
        ".previous\n");

extern const char ocirt_init_image[], ocirt_init_image_end[];

int ocirt_open_init_image(void)
{
    int image = memfd_create("ociruntime-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (image < 0)
        return -1;
    for (const char *next = ocirt_init_image; next < ocirt_init_image_end;) {
        ssize_t n = write(image, next, (size_t)(ocirt_init_image_end - next));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = n < 0 ? errno : EIO;
            close(image);
            return errno = saved, -1;
        }
        next += n;
    }
    return ocirt_seal(image);
}

int ocirt_spawn_init_image(char *const argv[], char *const envp[], int report_fd, const char *failure_text, int *pid_out)
{
    int image = memfd_create("ociruntime-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (image < 0)
        return 1;
    int rc = ocirt_spawn_early(image, ocirt_init_image, (size_t)(ocirt_init_image_end - ocirt_init_image), argv, envp,
                               report_fd, failure_text, pid_out);
    int saved = errno;
    close(image);
    return rc < 0 && saved == ENOSYS ? 1 : (errno = saved, rc);
}
