/*
 * helpers.h - helpers.c's functions the init uses too (the managed code binds them in Kernel/NativeHelpers.cs).
 */
#ifndef OCIRT_HELPERS_H
#define OCIRT_HELPERS_H

#include <spawn.h>

int ocirt_spawn_with_actions(const char *path, char *const argv[], char *const envp[],
                             const posix_spawn_file_actions_t *actions, int *pid_out);
int ocirt_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int *pid_out);
int ocirt_reset_process(int keep_fds_upto, int close_now, const void *seccomp_filter, int seccomp_instructions,
                        unsigned int seccomp_flags);
int ocirt_send_fd(int sock, int fd);

#endif
