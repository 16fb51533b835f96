/* sealed_exe.h - running from a sealed copy of our own binary (see sealed_exe.c). */
#ifndef OCIRT_SEALED_EXE_H
#define OCIRT_SEALED_EXE_H

#include <stddef.h>

/* The seals that make a memfd immutable: no write, resize or further seal. */
#define OCIRT_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

int ocirt_run_from_sealed_copy(char **argv);
int ocirt_open_readonly_exe(void);
/* Seals memfd against every change; returns it, or -1 with errno (and closes it). */
int ocirt_seal(int memfd);
/* A sealed memfd holding the init image (init_image/embed.c), or -1 with errno. */
int ocirt_open_init_image(void);
/*
 * Starts argv from a memfd of the init image that the child itself fills and seals before its execve
 * (ocirt_spawn_early), so the copy is off the caller's path: 0 and the pid; 1 where no memfd can be made or this
 * architecture has no early spawn (the caller starts the bootstrap another way); -1 with errno.
 */
int ocirt_spawn_init_image(char *const argv[], char *const envp[], int report_fd, const char *failure_text, int *pid_out);
/* spawn_early.c: see there. */
int ocirt_spawn_early(int exe_fd, const char *fill, size_t fill_length, char *const argv[], char *const envp[],
                      int report_fd, const char *failure_text, int *pid_out);

#endif
